package dev.conductor.core;

import java.time.Duration;
import java.util.List;

/**
 * The whole setup did not finish by its deadline. The setups still in progress were given up, nothing more was
 * started, and every component that had become active was shut down again before this was thrown; failures of
 * that rollback are attached as a suppressed {@link ComponentShutdownException}.
 */
public class SetupDeadlineException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final Duration deadline;

    private final List<String> inProgress;

    private final List<String> waiting;

    private final transient java.util.Map<String, Throwable> failures = new java.util.LinkedHashMap<>();

    SetupDeadlineException(Duration deadline, List<String> inProgress, List<String> waiting) {
        super("Setup did not finish within its deadline of " + Durations.format(deadline) + ": still in progress: "
                + names(inProgress) + "; still waiting for their dependencies: " + names(waiting) + ". The"
                + " components already active were shut down again. Make those setups faster, or raise the setup"
                + " deadline.");
        this.deadline = deadline;
        this.inProgress = List.copyOf(inProgress);
        this.waiting = List.copyOf(waiting);
    }

    private static String names(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        int shown = Math.min(names.size(), 20);
        return String.join(", ", names.subList(0, shown))
                + (names.size() > shown ? ", and " + (names.size() - shown) + " more" : "");
    }

    /** The deadline that passed. */
    public Duration getDeadline() {
        return deadline;
    }

    /** The components whose setup was running (or waiting to be retried) when the deadline passed. */
    public List<String> getInProgress() {
        return inProgress;
    }

    void failed(String component, Throwable cause) {
        failures.put(component, cause);
    }

    /**
     * Why each setup in progress ended: given up at the deadline, or its own failure just before; by component,
     * in the order they ended.
     */
    public java.util.Map<String, Throwable> getFailures() {
        return java.util.Collections.unmodifiableMap(failures);
    }

    /** The components that had not started their setup, waiting for their dependencies. */
    public List<String> getWaiting() {
        return waiting;
    }
}
