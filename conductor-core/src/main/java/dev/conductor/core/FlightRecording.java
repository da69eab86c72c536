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

    /**
     * Whether a recording may be running: once the JVM's flight recorder has been initialized (by
     * {@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, or a {@code jdk.jfr.Recording} made by the
     * application). Until then no event can be recorded, so none is begun, and Conductor's event classes (with the
     * flight recorder's own, about a hundred classes) stay unloaded; a recording started later sees every
     * transition from then on.
     */
    private static boolean recording() {
        return AVAILABLE && RecorderState.initialized();
    }

    /** The only reference to a {@code jdk.jfr} type outside {@link FlightEvents}. */
    private static final class RecorderState {

        static boolean initialized() {
            return jdk.jfr.FlightRecorder.isInitialized();
        }
    }

    /** A component's transition; see {@link Lifecycle#emit}. */
    static void transition(Lifecycle lifecycle, ComponentRecord record, LifecycleEvent.Kind kind, Throwable failure,
            Duration retryDelay, int attempt) {
        if (recording()) {
            FlightEvents.transition(lifecycle, record, kind, failure, retryDelay, attempt);
        }
    }

    /** A whole setup begins: returns what {@link #setupEnded} takes, {@code null} when nothing is recorded. */
    static Object setupStarted() {
        return recording() ? FlightEvents.setupStarted() : null;
    }

    /** A whole setup ended, with {@code failure} ({@code null} when it succeeded). */
    static void setupEnded(Object started, ComponentGraph graph, RuntimeException failure) {
        if (started != null) {
            FlightEvents.setupEnded(started, graph, failure);
        }
    }

    /** A whole shutdown, or the rollback of a failed setup, begins. */
    static Object shutdownStarted() {
        return recording() ? FlightEvents.shutdownStarted() : null;
    }

    /** A whole shutdown ended, with the components whose shutdown failed. */
    static void shutdownEnded(Object started, ComponentGraph graph, boolean rollback,
            java.util.Map<String, Throwable> failures) {
        if (started != null) {
            FlightEvents.shutdownEnded(started, graph, rollback, failures);
        }
    }
}
