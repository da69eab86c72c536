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
 */
public record LifecycleEvent(String component, Kind kind, Duration duration, Throwable failure,
        String implementation) {

    /** What happened to the component. */
    public enum Kind {
        SETUP_STARTED, SETUP_FINISHED, SETUP_FAILED, SHUTDOWN_STARTED, SHUTDOWN_FINISHED, SHUTDOWN_FAILED;

        /** Whether this kind reports a failure. */
        public boolean isFailure() {
            return this == SETUP_FAILED || this == SHUTDOWN_FAILED;
        }

        /** Whether this kind belongs to setup rather than shutdown. */
        public boolean isSetup() {
            return this == SETUP_STARTED || this == SETUP_FINISHED || this == SETUP_FAILED;
        }
    }

    public LifecycleEvent {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        if (kind.isFailure() != (failure != null)) {
            throw new IllegalArgumentException("A " + kind + " event " + (failure == null ? "needs" : "takes no")
                    + " failure");
        }
    }

    /** An event without its implementation class. */
    public LifecycleEvent(String component, Kind kind, Duration duration, Throwable failure) {
        this(component, kind, duration, failure, null);
    }

    @Override
    public String toString() {
        String simple = implementation == null ? null : implementation.substring(implementation.lastIndexOf('.') + 1);
        return component + (simple == null || simple.equals(component) || simple.endsWith("$" + component) ? ""
                : " (" + simple + ")") + " " + kind + " after " + Durations.format(duration)
                + (failure == null ? "" : ": " + failure);
    }
}
