package dev.conductor.core;

import java.time.Duration;

/**
 * Where the engine reports to JDK Flight Recorder. Refers to no {@code jdk.jfr} type itself, so that a runtime
 * without the {@code jdk.jfr} module (a trimmed {@code jlink} image, or a module path that does not resolve it)
 * runs exactly as before: every call here is then a single test of a constant.
 */
final class FlightRecording {

    /** Whether the {@code jdk.jfr} module is in the boot layer; {@link FlightEvents} is only touched when it is. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private FlightRecording() {
    }

    /** A component's transition; see {@link Lifecycle#emit}. */
    static void transition(Lifecycle lifecycle, ComponentRecord record, LifecycleEvent.Kind kind, Throwable failure,
            Duration retryDelay, int attempt) {
        if (AVAILABLE) {
            FlightEvents.transition(lifecycle, record, kind, failure, retryDelay, attempt);
        }
    }

    /** A whole setup begins: returns what {@link #setupEnded} takes, {@code null} when nothing is recorded. */
    static Object setupStarted() {
        return AVAILABLE ? FlightEvents.setupStarted() : null;
    }

    /** A whole setup ended, with {@code failure} ({@code null} when it succeeded). */
    static void setupEnded(Object started, ComponentGraph graph, RuntimeException failure) {
        if (started != null) {
            FlightEvents.setupEnded(started, graph, failure);
        }
    }

    /** A whole shutdown, or the rollback of a failed setup, begins. */
    static Object shutdownStarted() {
        return AVAILABLE ? FlightEvents.shutdownStarted() : null;
    }

    /** A whole shutdown ended, with the components whose shutdown failed. */
    static void shutdownEnded(Object started, ComponentGraph graph, boolean rollback,
            java.util.Map<String, Throwable> failures) {
        if (started != null) {
            FlightEvents.shutdownEnded(started, graph, rollback, failures);
        }
    }
}
