package dev.conductor.core;

/**
 * A component failed while running and its {@link SupervisionPolicy} escalated: at once, or because its restart
 * budget was spent. By the time this is thrown (from {@code Conductor.serve()} or {@code run()}), the whole graph
 * was shut down in order.
 */
public class ComponentFailedException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final String component;

    private final int restarts;

    ComponentFailedException(String component, int restarts, Throwable cause) {
        super("Component '" + component + "' failed while running" + (restarts > 0 ? ", after " + restarts
                + " restart" + (restarts == 1 ? "" : "s") + " within its restart window," : "") + " and its"
                + " supervision escalated: every component was shut down. Cause: "
                + ComponentShutdownException.describe(cause), cause);
        this.component = component;
        this.restarts = restarts;
    }

    /** The component that failed. */
    public String getComponent() {
        return component;
    }

    /** How many times it had been restarted within its window before this failure. */
    public int getRestarts() {
        return restarts;
    }
}
