package dev.conductor.spring.test;

import dev.conductor.core.Component;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.bean.override.BeanOverrideHandler;
import org.springframework.test.context.bean.override.BeanOverrideProcessor;

/** Checks each {@link PatchComponent} against what can be known without a bean factory and makes its handler. */
class PatchComponentProcessor implements BeanOverrideProcessor {

    @Override
    public BeanOverrideHandler createHandler(Annotation annotation, Class<?> testClass, Field field) {
        PatchComponent patch = (PatchComponent) annotation;
        String declaration = "field '" + field.getDeclaringClass().getSimpleName() + "." + field.getName() + "'";
        Class<?> replacement = isSet(patch.with()) ? patch.with() : field.getType();
        check(replacement, field.getType(), "the field's ", declaration);
        return handler(field, patch, field.getType(), replacement, declaration);
    }

    @Override
    public List<BeanOverrideHandler> createHandlers(Annotation annotation, Class<?> testClass) {
        PatchComponent patch = (PatchComponent) annotation;
        String declaration = "test class " + testClass.getSimpleName();
        if (!isSet(patch.with())) {
            throw new IllegalStateException("Unable to patch a component for " + declaration
                    + ": expected the replacement class in 'with', but it is missing. On a test class, write"
                    + " @PatchComponent(target = ..., with = ...)");
        }
        return List.of(handler(null, patch, patch.with(), patch.with(), declaration));
    }

    private static PatchComponentHandler handler(@Nullable Field field,
            PatchComponent patch, Class<?> replaceable, Class<?> replacement, String declaration) {
        boolean inferred = !isSet(patch.target());
        check(replacement, inferred ? Component.class : patch.target(), "", declaration);
        if (replacement.isInterface() || Modifier.isAbstract(replacement.getModifiers())) {
            throw new IllegalStateException("Unable to patch a component for " + declaration
                    + ": expected a concrete replacement class, but " + replacement.getName() + " is "
                    + (replacement.isInterface() ? "an interface" : "abstract"));
        }
        return new PatchComponentHandler(field, inferred ? replaceable : patch.target(), inferred, replacement,
                declaration);
    }

    private static void check(Class<?> replacement, Class<?> required, String what, String declaration) {
        if (!required.isAssignableFrom(replacement)) {
            throw new IllegalStateException("Unable to patch a component for " + declaration
                    + ": expected a replacement of " + what + "type " + required.getName() + ", but "
                    + replacement.getName() + " is not one");
        }
    }

    /** {@code Component.class}, the default of both attributes, stands for "not set". */
    private static boolean isSet(Class<?> type) {
        return type != Component.class;
    }
}
