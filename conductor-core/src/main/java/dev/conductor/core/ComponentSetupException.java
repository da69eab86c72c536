package dev.conductor.core;

import java.util.List;

/**
 * A component's setup threw or passed its timeout. By the time this is thrown, every component that had become
 * active was shut down again; failures of that rollback, and of other setups that failed at the same time, are
 * attached as suppressed exceptions.
 */
public class ComponentSetupException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final String component;

    private final List<String> dependencyPath;

    private final boolean timeout;

    ComponentSetupException(String component, List<String> dependencyPath, boolean timeout, Throwable cause) {
        super(message(component, dependencyPath, timeout, cause), cause);
        this.component = component;
        this.dependencyPath = List.copyOf(dependencyPath);
        this.timeout = timeout;
    }

    private static String message(String component, List<String> path, boolean timeout, Throwable cause) {
        StringBuilder message = new StringBuilder("Setup of component '").append(component).append("' ")
                .append(timeout ? "timed out" : "failed");
        if (path.size() > 1) {
            message.append(" (dependency path: ").append(String.join(" -> ", path)).append(')');
        }
        message.append(": ").append(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName());
        message.append(timeout ? ". Make its setup finish in time, or raise its setup timeout."
                : ". The components already active were shut down again.");
        return message.toString();
    }

    /** The name of the component whose setup failed. */
    public String getComponent() {
        return component;
    }

    /**
     * The chain of dependencies from a component nothing depends on down to the failing component, each depending
     * on the next (for example {@code [WebApi, MessageQueue]}); just the component when nothing depends on it.
     */
    public List<String> getDependencyPath() {
        return dependencyPath;
    }

    /** Whether the setup passed its timeout rather than threw. */
    public boolean isTimeout() {
        return timeout;
    }
}
