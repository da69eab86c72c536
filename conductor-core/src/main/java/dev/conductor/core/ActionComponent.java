package dev.conductor.core;

import java.util.Objects;

/** The component that {@link Component#of(Component.Action, Component.Action)} builds from two actions. */
final class ActionComponent implements Component {

    private final Component.Action setup;

    private final Component.Action shutdown;

    ActionComponent(Component.Action setup, Component.Action shutdown) {
        this.setup = Objects.requireNonNull(setup, "setup action (use () -> { } for none)");
        this.shutdown = Objects.requireNonNull(shutdown, "shutdown action (use () -> { } for none)");
    }

    @Override
    public void setup() throws Exception {
        setup.run();
    }

    @Override
    public void shutdown() throws Exception {
        shutdown.run();
    }

    @Override
    public String toString() {
        return "Component.of(" + setup + ", " + shutdown + ")";
    }
}
