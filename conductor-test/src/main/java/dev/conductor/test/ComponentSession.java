package dev.conductor.test;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.Conductor;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The set-up components of one group of tests: looks them up by type, injects them into test instances and shuts
 * them down. Closing it (as JUnit closes the values of a store it discards) shuts the components down.
 */
final class ComponentSession implements AutoCloseable {

    private final Class<?> testClass;

    private final Conductor conductor;

    private final Map<Class<?>, Component> added;

    private boolean shutDown;

    ComponentSession(Class<?> testClass, Conductor conductor, Map<Class<?>, Component> added) {
        this.testClass = testClass;
        this.conductor = conductor;
        this.added = Map.copyOf(added);
    }

    /**
     * Sets every component-typed field of {@code testInstance} (and of its superclasses) to its component. A
     * field that already holds another object is an error, as it is in a component: that object would be
     * neither set up nor shut down.
     */
    void inject(Object testInstance) {
        for (Field field : ComponentPlan.componentFields(testInstance.getClass())) {
            Component component = find(field.getType(), "field " + field.getName());
            Object current = read(field, testInstance);
            if (current == component) {
                continue;
            }
            if (current != null) {
                throw new ExtensionConfigurationException("The field " + field.getDeclaringClass().getSimpleName()
                        + "." + field.getName() + " already holds a " + current.getClass().getName()
                        + " that Conductor did not create: it would never be set up or shut down. Leave the field"
                        + " empty to receive the test's " + component.getClass().getSimpleName() + ", make it final"
                        + " (or static) to keep your own, or replace the component with @Patch.");
            }
            try {
                field.set(testInstance, component);
            }
            catch (IllegalAccessException | RuntimeException ex) {
                throw new IllegalStateException("Cannot inject component " + component.getClass().getSimpleName()
                        + " into " + field + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Empties the fields of {@code testInstance} that hold one of these components, once they are shut down. */
    void clear(Object testInstance) {
        List<Component> components = conductor.graph().definitions().stream().map(ComponentDefinition::component)
                .toList();
        for (Field field : ComponentPlan.componentFields(testInstance.getClass())) {
            Object current = read(field, testInstance);
            if (current != null && components.stream().anyMatch(component -> component == current)) {
                try {
                    field.set(testInstance, null);
                }
                catch (IllegalAccessException ex) {
                    throw new IllegalStateException("Cannot empty " + field + ": " + ex.getMessage(), ex);
                }
            }
        }
    }

    private static Object read(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return field.get(instance);
        }
        catch (IllegalAccessException | RuntimeException ex) {
            throw new IllegalStateException("Cannot read " + field + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The component for {@code type}: the one added for exactly that type (a replaced type yields its
     * replacement), otherwise the one component of the graph whose class is {@code type}, otherwise the one
     * component of the graph that is a {@code type}.
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
        for (ComponentDefinition match : matches) {
            if (match.component().getClass() == type) {
                return match.component();   // names its own type exactly: no subclass can be meant
            }
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

    /** Shuts every component down in reverse dependency order; does nothing the second time. */
    void shutdown() {
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
        }
        conductor.shutdown();
    }

    @Override
    public void close() {
        shutdown();
    }
}
