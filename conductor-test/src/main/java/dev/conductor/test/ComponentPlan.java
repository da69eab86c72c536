package dev.conductor.test;

import dev.conductor.core.Component;
import dev.conductor.core.Conductor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * What a group of tests declares: the outermost {@link ConductorTest} class, or a {@code @Nested} class with its
 * own components, patches or {@link ConfigureConductor} methods (merged onto its enclosing group's). Holds the
 * patches, the component types to add (named ones, then field types), the conductor's configuration and the
 * lifecycle; {@link #start()} makes a new set of components from it each time.
 */
final class ComponentPlan {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Class<?> owner;

    private final ComponentPlan parent;

    private final ConductorTest.Lifecycle lifecycle;

    private final Map<Class<?>, Class<?>> patches;

    private final Set<Class<? extends Component>> types;

    private final Duration setupTimeout;

    private final Duration shutdownTimeout;

    private final List<Method> configurers;

    private ComponentPlan(Class<?> owner, ComponentPlan parent, ConductorTest declaration) {
        this.owner = owner;
        this.parent = parent;
        this.patches = new LinkedHashMap<>(parent == null ? Map.of() : parent.patches);
        this.types = new LinkedHashSet<>(parent == null ? Set.of() : parent.types);
        this.configurers = new ArrayList<>(parent == null ? List.of() : parent.configurers);
        ConductorTest.Lifecycle declared = declaration != null ? declaration.lifecycle() : parent.lifecycle;
        // A plain class is one invocation of itself.
        this.lifecycle = declared == ConductorTest.Lifecycle.PER_INVOCATION
                && !AnnotationSupport.isAnnotated(owner, ClassTemplate.class) ? ConductorTest.Lifecycle.PER_CLASS : declared;
        Duration setup = declaration == null ? null : duration(declaration.setupTimeout(), "setupTimeout");
        Duration shutdown = declaration == null ? null : duration(declaration.shutdownTimeout(), "shutdownTimeout");
        this.setupTimeout = setup != null || parent == null ? setup : parent.setupTimeout;
        this.shutdownTimeout = shutdown != null || parent == null ? shutdown : parent.shutdownTimeout;
        if (declaration != null) {
            types.addAll(List.of(declaration.components()));
        }
        collectFieldTypes(owner, types);
        addPatches();
        addConfigurers();
    }

    /**
     * The plan that {@code testClass} runs under: its own, its enclosing class's (for a {@code @Nested} class
     * that declares nothing itself), or {@code null} when no {@link ConductorTest} applies.
     */
    static ComponentPlan of(Class<?> testClass) {
        ComponentPlan enclosing = isNested(testClass) ? of(testClass.getEnclosingClass()) : null;
        if (enclosing == null) {
            return AnnotationSupport.findAnnotation(testClass, ConductorTest.class)
                    .map(declaration -> new ComponentPlan(testClass, null, declaration))
                    .orElse(null);
        }
        return declaresOwn(testClass)
                ? new ComponentPlan(testClass, enclosing, testClass.getDeclaredAnnotation(ConductorTest.class))
                : enclosing;
    }

    private static boolean isNested(Class<?> type) {
        return type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())
                && AnnotationSupport.isAnnotated(type, Nested.class);
    }

    /** Whether a {@code @Nested} class makes a group of its own, with its own graph. */
    private static boolean declaresOwn(Class<?> nested) {
        if (nested.getDeclaredAnnotation(ConductorTest.class) != null
                || nested.getDeclaredAnnotationsByType(Patch.class).length > 0) {
            return true;
        }
        for (Method method : nested.getDeclaredMethods()) {
            if (method.isAnnotationPresent(ConfigureConductor.class)) {
                return true;
            }
        }
        return false;
    }

    /** The class whose tests this plan's components serve: the group's own class. */
    Class<?> owner() {
        return owner;
    }

    /** The enclosing group's plan, or {@code null} for the outermost. */
    ComponentPlan parent() {
        return parent;
    }

    ConductorTest.Lifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * What makes two plans interchangeable for {@link ConductorTest.Lifecycle#SHARED}: the component types, the
     * patches, the timeouts and the {@link ConfigureConductor} methods.
     */
    CacheKey cacheKey() {
        return new CacheKey(Set.copyOf(types), Map.copyOf(patches), String.valueOf(setupTimeout),
                String.valueOf(shutdownTimeout), List.copyOf(configurers));
    }

    record CacheKey(Set<Class<? extends Component>> types, Map<Class<?>, Class<?>> patches, String setupTimeout,
            String shutdownTimeout, List<Method> configurers) {
    }

    /** The fields of {@code type} (and its superclasses) that receive a component. */
    static List<Field> componentFields(Class<?> type) {
        return ReflectionSupport.findFields(type, ComponentPlan::receivesComponent, HierarchyTraversalMode.TOP_DOWN);
    }

    private static boolean receivesComponent(Field field) {
        int modifiers = field.getModifiers();
        return !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers) && !field.isSynthetic()
                && Component.class.isAssignableFrom(field.getType()) && !isJUnitParameter(field);
    }

    /**
     * Whether JUnit fills the field with an argument of a {@code @ParameterizedClass} invocation: it stays JUnit's,
     * as such arguments do in constructors. Looked up by name, since junit-jupiter-params is optional.
     */
    private static boolean isJUnitParameter(Field field) {
        for (java.lang.annotation.Annotation annotation : field.getDeclaredAnnotations()) {
            if (annotation.annotationType().getName().equals(JUNIT_PARAMETER)) {
                return true;
            }
        }
        return false;
    }

    private static final String JUNIT_PARAMETER = "org.junit.jupiter.params.Parameter";

    /** The field types of {@code type} and of its {@code @Nested} classes that do not make a group of their own. */
    @SuppressWarnings("unchecked")
    private static void collectFieldTypes(Class<?> type, Set<Class<? extends Component>> types) {
        for (Field field : componentFields(type)) {
            types.add((Class<? extends Component>) field.getType());
        }
        List<Class<?>> nested = ReflectionSupport.findNestedClasses(type,
                candidate -> AnnotationSupport.isAnnotated(candidate, Nested.class) && !declaresOwn(candidate));
        for (Class<?> candidate : nested) {
            collectFieldTypes(candidate, types);
        }
    }

    private void addPatches() {
        Map<Class<?>, Patch> own = new HashMap<>();
        // JUnit's lookup drops a repeated annotation equal to one it found; the JDK's keeps each one written
        Map<Class<?>, Patch> declared = new HashMap<>();
        for (Patch patch : owner.getDeclaredAnnotationsByType(Patch.class)) {
            if (declared.putIfAbsent(patch.type(), patch) != null) {
                throw twoPatches(patch.type(), declared.get(patch.type()), patch);
            }
        }
        for (Patch patch : AnnotationSupport.findRepeatableAnnotations(owner, Patch.class)) {
            Patch earlier = own.putIfAbsent(patch.type(), patch);
            if (earlier != null) {
                throw twoPatches(patch.type(), earlier, patch);
            }
            patches.put(patch.type(), patch.with());   // a nested group's patch replaces its enclosing group's
        }
    }

    private ExtensionConfigurationException twoPatches(Class<?> type, Patch earlier, Patch patch) {
        return new ExtensionConfigurationException("Two @Patch of " + type.getSimpleName() + " on "
                + owner.getName() + ": with = " + earlier.with().getSimpleName() + ".class and with = "
                + patch.with().getSimpleName() + ".class. A type can be replaced once: keep one of them"
                + " (a @Nested class may patch it again for its own tests).");
    }

    private void addConfigurers() {
        List<Method> methods = ReflectionSupport.findMethods(owner,
                method -> method.isAnnotationPresent(ConfigureConductor.class), HierarchyTraversalMode.TOP_DOWN);
        for (Method method : methods) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1
                    || method.getParameterTypes()[0] != Conductor.Builder.class || method.getReturnType() != void.class) {
                throw new ExtensionConfigurationException("@ConfigureConductor method " + describe(method)
                        + " must be static, return void and take one Conductor.Builder, for example"
                        + " 'static void conductor(Conductor.Builder builder)'.");
            }
            configurers.add(method);
        }
    }

    private Duration duration(String value, String attribute) {
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        Matcher matcher = DURATION.matcher(text);
        try {
            Duration duration;
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            else {
                duration = Duration.parse(text);
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new DateTimeParseException("not positive", text, 0);
            }
            return duration;
        }
        catch (DateTimeParseException | ArithmeticException ex) {
            throw new ExtensionConfigurationException("Invalid @ConductorTest(" + attribute + " = \"" + value
                    + "\") on " + owner.getName() + ": expected a positive duration such as \"500ms\", \"10s\","
                    + " \"2m\" or \"PT10S\".", ex);
        }
    }

    /**
     * Configures a conductor, creates the components, then sets them up. When a setup fails, the components
     * already active have been shut down again by the time the {@link dev.conductor.core.ComponentSetupException}
     * propagates.
     */
    ComponentSession start() {
        Conductor.Builder builder = Conductor.builder();
        if (setupTimeout != null) {
            builder.setupTimeout(setupTimeout);
        }
        if (shutdownTimeout != null) {
            builder.shutdownTimeout(shutdownTimeout);
        }
        for (Method configurer : configurers) {
            try {
                ReflectionSupport.invokeMethod(configurer, null, builder);
            }
            catch (RuntimeException | Error ex) {
                throw new ExtensionConfigurationException("@ConfigureConductor method " + describe(configurer)
                        + " of " + owner.getName() + " failed: " + ex, ex);
            }
        }
        Conductor conductor = builder.build();
        patches.forEach((type, with) -> patch(conductor, type, with));
        Map<Class<?>, Component> added = new HashMap<>();
        for (Class<? extends Component> type : types) {
            added.put(type, conductor.add(type));
        }
        conductor.setup();
        return new ComponentSession(owner, conductor, added);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void patch(Conductor conductor, Class<?> type, Class<?> with) {
        try {
            conductor.patch((Class) type, (Class) with);
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            throw new ExtensionConfigurationException("Invalid @Patch(type = " + type.getSimpleName()
                    + ".class, with = " + with.getSimpleName() + ".class) on " + owner.getName() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }
}
