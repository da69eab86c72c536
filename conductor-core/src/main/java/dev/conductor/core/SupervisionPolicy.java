package dev.conductor.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine does when a component reports that it failed while running (see {@link FailureReporter}):
 * nothing, restart it with its dependents, or escalate. Immutable.
 *
 * <pre>{@code
 * SupervisionPolicy.restart(3, Duration.ofMinutes(1),          // at most 3 restarts a minute, then escalate
 *         RetryPolicy.builder().delay(Duration.ofSeconds(1)).multiplier(2).build());   // 1 s, 2 s, 4 s apart
 * }</pre>
 *
 * <p>A restart shuts down the component's transitive dependents in reverse dependency order, then the component,
 * then sets the component up again (with its retry policy) and its dependents, each the moment its own
 * dependencies are active again; every other component keeps running. Escalation shuts the whole graph down in
 * order and ends {@code Conductor.serve()} or {@code run()} with a {@link ComponentFailedException}; a restart
 * budget that is spent escalates, as an Erlang/OTP supervisor does when its intensity is exceeded.
 */
public final class SupervisionPolicy {

    /** What the policy does with a failure. */
    public enum Action {
        /** Record the failure (it shows in the report and in health) and do nothing else: the default. */
        NONE,
        /** Restart the component and its dependents, within the restart budget. */
        RESTART,
        /** Shut the whole graph down and end {@code serve()}/{@code run()} with the failure. */
        ESCALATE
    }

    private static final SupervisionPolicy NONE = new SupervisionPolicy(Action.NONE, 0, Duration.ZERO,
            RetryPolicy.none());

    private static final SupervisionPolicy ESCALATE = new SupervisionPolicy(Action.ESCALATE, 0, Duration.ZERO,
            RetryPolicy.none());

    private final Action action;

    private final int maxRestarts;

    private final Duration window;

    private final RetryPolicy backoff;

    private SupervisionPolicy(Action action, int maxRestarts, Duration window, RetryPolicy backoff) {
        this.action = action;
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.backoff = backoff;
    }

    /** Records runtime failures and does nothing else. The default. */
    public static SupervisionPolicy none() {
        return NONE;
    }

    /** Shuts the whole graph down at the first runtime failure. */
    public static SupervisionPolicy escalate() {
        return ESCALATE;
    }

    /**
     * Restarts the failed component and its dependents, at most {@code maxRestarts} times within any
     * {@code window}; the next failure escalates. Restarts wait out {@code backoff}'s delays, the n-th restart in
     * a row after {@code backoff.delayAfter(n)}.
     */
    public static SupervisionPolicy restart(int maxRestarts, Duration window, RetryPolicy backoff) {
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("maxRestarts must be at least 1, but was " + maxRestarts
                    + ": use SupervisionPolicy.escalate() to restart nothing");
        }
        return new SupervisionPolicy(Action.RESTART, maxRestarts, Durations.requirePositive(window,
                "The restart window"), Objects.requireNonNull(backoff, "backoff"));
    }

    public Action action() {
        return action;
    }

    /** How many restarts the window allows. */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** The window the restarts are counted in. */
    public Duration window() {
        return window;
    }

    /** The delays before restarts. */
    public RetryPolicy backoff() {
        return backoff;
    }

    @Override
    public String toString() {
        return action == Action.RESTART ? "restart at most " + maxRestarts + " times in " + Durations.format(window)
                : action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
