package dev.conductor.core;

import java.time.Duration;
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

    private final int attempts;

    private final Duration elapsed;

    private final transient List<Throwable> earlierFailures;

    ComponentSetupException(String component, List<String> dependencyPath, boolean timeout, Throwable cause) {
        this(component, dependencyPath, timeout, cause, 1, null, List.of());
    }

    ComponentSetupException(String component, List<String> dependencyPath, boolean timeout, Throwable cause,
            int attempts, Duration elapsed, List<Throwable> earlierFailures) {
        super(message(component, dependencyPath, timeout, cause, attempts, elapsed), cause);
        this.earlierFailures = List.copyOf(earlierFailures);
        this.component = component;
        this.dependencyPath = List.copyOf(dependencyPath);
        this.timeout = timeout;
        this.attempts = attempts;
        this.elapsed = elapsed;
    }

    private static String message(String component, List<String> path, boolean timeout, Throwable cause,
            int attempts, Duration elapsed) {
        StringBuilder message = new StringBuilder("Setup of component '").append(component).append("' ")
                .append(timeout ? "timed out" : "failed");
        if (attempts > 1) {
            message.append(" after ").append(attempts).append(" attempts over ").append(Durations.format(elapsed));
        }
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

    /** How many attempts were made at the setup; more than 1 when it was retried. */
    public int getAttempts() {
        return attempts;
    }

    /**
     * How long the attempts took, from the start of the first to the end of the last, delays included; {@code null}
     * when there was a single attempt.
     */
    public Duration getElapsed() {
        return elapsed;
    }

    /** The failures of the attempts before the last, in order; empty when there was a single attempt. */
    public List<Throwable> getEarlierFailures() {
        return earlierFailures;
    }

    /** Whether the (last) attempt passed its timeout rather than threw. */
    public boolean isTimeout() {
        return timeout;
    }
}
