package dev.conductor.core;

import java.util.List;

/**
 * A setup was cancelled before it completed: {@code shutdown()} was called meanwhile (from another thread, from a
 * shutdown hook on SIGTERM, or from inside a component), or the thread that called {@code setup()} was
 * interrupted. The setups in flight were interrupted, and every component that had become active was shut down
 * again, in reverse order, before this was thrown. Failures of the interrupted setups are attached as suppressed
 * exceptions; a failure of the rollback as a suppressed {@link ComponentShutdownException}.
 */
public class SetupCancelledException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final List<String> rolledBack;

    SetupCancelledException(String reason, List<String> rolledBack, Throwable cause) {
        super("Setup was cancelled before it completed: " + reason + ". "
                + (rolledBack.isEmpty() ? "No component had become active."
                        : "The components already active were shut down again: " + names(rolledBack) + "."),
                cause);
        this.rolledBack = List.copyOf(rolledBack);
    }

    private static String names(List<String> names) {
        int shown = Math.min(names.size(), 20);
        return String.join(", ", names.subList(0, shown))
                + (names.size() > shown ? ", and " + (names.size() - shown) + " more" : "");
    }

    /** The components that had become active and were shut down again, in the order they were added. */
    public List<String> getRolledBack() {
        return rolledBack;
    }

    /** Whether the cancellation came from an interrupt of the thread that called {@code setup()}. */
    public boolean isInterrupted() {
        return getCause() instanceof InterruptedException;
    }
}
