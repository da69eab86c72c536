package dev.conductor.test;

import dev.conductor.core.Component;
import dev.conductor.core.Conductor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * What a {@link ConductorTest} class declares: its patches, the component types to add (named ones, then field
 * types) and its lifecycle. Read once per class; {@link #start()} makes a new set of components from it each time.
 */
final class ComponentPlan {

    private final Class<?> testClass;

    private final ConductorTest.Lifecycle lifecycle;

    private final List<Patch> patches;

    private final Set<Class<? extends Component>> types;

    private ComponentPlan(Class<?> testClass, ConductorTest declaration, List<Patch> patches,
            Set<Class<? extends Component>> types) {
        this.testClass = testClass;
        this.lifecycle = declaration.lifecycle();
        this.patches = List.copyOf(patches);
        this.types = types;
    }

    static ComponentPlan of(Class<?> testClass, ConductorTest declaration) {
        Set<Class<? extends Component>> types = new LinkedHashSet<>(List.of(declaration.components()));
        collectFieldTypes(testClass, types);
        return new ComponentPlan(testClass, declaration,
                AnnotationSupport.findRepeatableAnnotations(testClass, Patch.class), types);
    }

    ConductorTest.Lifecycle lifecycle() {
        return lifecycle;
    }

    /** The fields of {@code type} (and its superclasses) that receive a component. */
    static List<Field> componentFields(Class<?> type) {
        return ReflectionSupport.findFields(type, ComponentPlan::receivesComponent, HierarchyTraversalMode.TOP_DOWN);
    }

    private static boolean receivesComponent(Field field) {
        int modifiers = field.getModifiers();
        return !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers) && !field.isSynthetic()
                && Component.class.isAssignableFrom(field.getType());
    }

    @SuppressWarnings("unchecked")
    private static void collectFieldTypes(Class<?> testClass, Set<Class<? extends Component>> types) {
        for (Field field : componentFields(testClass)) {
            types.add((Class<? extends Component>) field.getType());
        }
        List<Class<?>> nested = ReflectionSupport.findNestedClasses(testClass,
                candidate -> AnnotationSupport.isAnnotated(candidate, Nested.class));
        for (Class<?> type : nested) {
            collectFieldTypes(type, types);
        }
    }

    /**
     * Creates the components, then sets them up. When a setup fails, the components already active have been
     * shut down again by the time the {@link dev.conductor.core.ComponentSetupException} propagates.
     */
    ComponentSession start() {
        Conductor conductor = new Conductor();
        for (Patch patch : patches) {
            patch(conductor, patch);
        }
        Map<Class<?>, Component> added = new HashMap<>();
        for (Class<? extends Component> type : types) {
            added.put(type, conductor.add(type));
        }
        conductor.setup();
        return new ComponentSession(testClass, conductor, added);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void patch(Conductor conductor, Patch patch) {
        try {
            conductor.patch((Class) patch.type(), (Class) patch.with());
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            throw new ExtensionConfigurationException("Invalid @Patch(type = " + patch.type().getSimpleName()
                    + ".class, with = " + patch.with().getSimpleName() + ".class) on " + testClass.getName() + ": "
                    + ex.getMessage(), ex);
        }
    }
}
