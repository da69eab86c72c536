package dev.conductor.test;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.Conductor;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** The set-up components of one {@link ConductorTest} class or test: looks them up by type and shuts them down. */
final class ComponentSession {

    private final Class<?> testClass;

    private final Conductor conductor;

    private final Map<Class<?>, Component> added;

    ComponentSession(Class<?> testClass, Conductor conductor, Map<Class<?>, Component> added) {
        this.testClass = testClass;
        this.conductor = conductor;
        this.added = Map.copyOf(added);
    }

    /** Sets every component-typed field of {@code testInstance} (and of its superclasses) to its component. */
    void inject(Object testInstance) {
        for (Field field : ComponentPlan.componentFields(testInstance.getClass())) {
            Component component = find(field.getType(), "field " + field.getName());
            try {
                field.setAccessible(true);
                field.set(testInstance, component);
            }
            catch (IllegalAccessException | RuntimeException ex) {
                throw new IllegalStateException("Cannot inject component " + component.getClass().getSimpleName()
                        + " into " + field + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * The component for {@code type}: the one added for exactly that type (a replaced type yields its
     * replacement), otherwise the one component of the graph that is a {@code type}.
     *
     * @throws ParameterResolutionException when no component, or more than one, is a {@code type}
     */
    Component find(Class<?> type, String target) {
        Component declared = added.get(type);
        if (declared != null) {
            return declared;
        }
        List<ComponentDefinition> definitions = conductor.graph().definitions();
        List<ComponentDefinition> matches = definitions.stream()
                .filter(definition -> type.isInstance(definition.component()))
                .toList();
        if (matches.size() == 1) {
            return matches.get(0).component();
        }
        if (matches.isEmpty()) {
            throw new ParameterResolutionException("No component of " + testClass.getName() + " is a "
                    + type.getName() + " (for " + target + "); its components are " + names(definitions) + ". Add "
                    + type.getSimpleName() + " to @ConductorTest(components = ...), or declare a field of that type.");
        }
        throw new ParameterResolutionException(matches.size() + " components of " + testClass.getName() + " are a "
                + type.getName() + " (for " + target + "): " + names(matches) + ". Ask for one of their own types.");
    }

    private static String names(List<ComponentDefinition> definitions) {
        return definitions.stream().map(ComponentDefinition::name).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Shuts every component down in reverse dependency order. */
    void shutdown() {
        conductor.shutdown();
    }
}
