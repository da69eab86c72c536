package dev.conductor.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One transition of one component.
 *
 * @param component the component's name
 * @param kind what happened
 * @param duration how long the setup or shutdown took; {@link Duration#ZERO} for the {@code *_STARTED} kinds
 * @param failure why the setup or shutdown failed; {@code null} unless {@link Kind#isFailure()}
 * @param implementation the class name of the instance (for a patched component, the replacement's, while
 *        {@code component} names the type it replaces); {@code null} when unknown
 * @param attempt which attempt at the setup this is about, 1 for the first; 1 for shutdowns
 * @param retryDelay for {@link Kind#SETUP_RETRYING}, how long until the next attempt; otherwise {@code null}
 */
public record LifecycleEvent(String component, Kind kind, Duration duration, Throwable failure,
        String implementation, int attempt, Duration retryDelay) {

    /** What happened to the component. */
    public enum Kind {
        SETUP_STARTED, SETUP_FINISHED, SETUP_FAILED,
        /** An attempt at the setup failed (its failure is given) and the setup will be tried again after a delay. */
        SETUP_RETRYING,
        SHUTDOWN_STARTED, SHUTDOWN_FINISHED, SHUTDOWN_FAILED,
        /** The component reported a failure while running; {@code failure} is its cause. */
        RUNTIME_FAILURE,
        /** A restart of the component and its dependents was requested (by its supervision or by a call). */
        RESTART_REQUESTED,
        /** The component and its dependents were shut down for the restart. */
        RESTART_SHUT_DOWN,
        /** The component and its dependents were set up again. */
        RESTART_FINISHED,
        /** The restart's setup failed; what it had set up again was shut down. */
        RESTART_FAILED,
        /** Its supervision escalated: the whole graph is shut down. */
        ESCALATED;

        /** Whether this kind reports a failure. */
        public boolean isFailure() {
            return this == SETUP_FAILED || this == SHUTDOWN_FAILED || this == RUNTIME_FAILURE
                    || this == RESTART_FAILED || this == ESCALATED;
        }

        /** Whether this kind is about a restart or the supervision of a running component. */
        public boolean isSupervision() {
            return compareTo(RUNTIME_FAILURE) >= 0;
        }

        /** Whether this kind belongs to setup rather than shutdown. */
        public boolean isSetup() {
            return this == SETUP_STARTED || this == SETUP_FINISHED || this == SETUP_FAILED || this == SETUP_RETRYING;
        }
    }

    public LifecycleEvent {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        boolean needsFailure = kind.isFailure() || kind == Kind.SETUP_RETRYING;
        if (needsFailure != (failure != null) && kind != Kind.RESTART_REQUESTED) {
            throw new IllegalArgumentException("A " + kind + " event " + (failure == null ? "needs" : "takes no")
                    + " failure");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("The attempt is counted from 1, but was " + attempt);
        }
        if ((kind == Kind.SETUP_RETRYING) != (retryDelay != null)) {
            throw new IllegalArgumentException("Only a SETUP_RETRYING event has a retry delay");
        }
    }

    /** A first attempt's event, without its implementation class. */
    public LifecycleEvent(String component, Kind kind, Duration duration, Throwable failure) {
        this(component, kind, duration, failure, null, 1, null);
    }

    @Override
    public String toString() {
        String simple = implementation == null ? null : implementation.substring(implementation.lastIndexOf('.') + 1);
        return component + (simple == null || simple.equals(component) || simple.endsWith("$" + component) ? ""
                : " (" + simple + ")") + " " + kind + (attempt > 1 ? " (attempt " + attempt + ")" : "") + " after "
                + Durations.format(duration) + (failure == null ? "" : ": " + failure)
                + (retryDelay == null ? "" : "; retrying in " + Durations.format(retryDelay));
    }
}
