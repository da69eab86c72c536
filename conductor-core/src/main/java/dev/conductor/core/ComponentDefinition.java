package dev.conductor.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A component as the engine sees it: a name, the instance, the names of the components it depends on, and
 * optional timeouts that override the engine's defaults.
 *
 * <pre>{@code
 * ComponentDefinition.of("webApi", webApi)
 *         .dependsOn("database", "messageQueue")
 *         .withSetupTimeout(Duration.ofSeconds(10));
 * }</pre>
 *
 * @param name the unique name of the component, used in reports and errors
 * @param component the instance to set up and shut down
 * @param dependencies the names of the components this one depends on, in declaration order
 * @param setupTimeout how long its setup may take, or {@code null} for the engine's default
 * @param shutdownTimeout how long its shutdown may take, or {@code null} for the engine's default
 */
public record ComponentDefinition(String name, Component component, Set<String> dependencies,
        Duration setupTimeout, Duration shutdownTimeout) {

    public ComponentDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A component name must not be blank");
        }
        // Messages built only when thrown: a definition is made per component at every start
        if (component == null) {
            throw new NullPointerException("component '" + name + "'");
        }
        if (dependencies == null) {
            throw new NullPointerException("dependencies of '" + name + "'");
        }
        dependencies = DependencyNames.copyOf(dependencies);
        if (setupTimeout != null) {
            Durations.requirePositive(setupTimeout, "The setup timeout of '" + name + "'");
        }
        if (shutdownTimeout != null) {
            Durations.requirePositive(shutdownTimeout, "The shutdown timeout of '" + name + "'");
        }
    }

    /** A component with no dependencies and the engine's default timeouts. */
    public static ComponentDefinition of(String name, Component component) {
        return new ComponentDefinition(name, component, DependencyNames.EMPTY, null, null);
    }

    /** This definition with further dependencies, by component name. */
    public ComponentDefinition dependsOn(String... names) {
        Objects.requireNonNull(names);
        return new ComponentDefinition(name, component, DependencyNames.copyOf(dependencies).with(names),
                setupTimeout, shutdownTimeout);
    }

    /** This definition with further dependencies, by component name. */
    public ComponentDefinition dependsOn(Iterable<String> names) {
        Objects.requireNonNull(names);
        return new ComponentDefinition(name, component, DependencyNames.copyOf(dependencies).with(names),
                setupTimeout, shutdownTimeout);
    }

    /** This definition with its own setup timeout. */
    public ComponentDefinition withSetupTimeout(Duration timeout) {
        return new ComponentDefinition(name, component, dependencies, timeout, shutdownTimeout);
    }

    /** This definition with its own shutdown timeout. */
    public ComponentDefinition withShutdownTimeout(Duration timeout) {
        return new ComponentDefinition(name, component, dependencies, setupTimeout, timeout);
    }
}
