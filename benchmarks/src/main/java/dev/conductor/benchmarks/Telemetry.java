package dev.conductor.benchmarks;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.actuate.BenchmarkObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * What watches the engine in the telemetry benchmarks: nothing; a JDK Flight Recorder recording with the JDK's
 * default settings and Conductor's events disabled, or enabled; or the starter's observations, with a registry that
 * has no handler (every observation a no-op), or one handler that does nothing.
 */
enum Telemetry {

    /** Nothing: no recording, no listener. */
    PLAIN("plain"),

    /** A recording with the JDK's default settings, Conductor's events disabled. */
    JFR_CONDUCTOR_OFF("jfr-conductor-off"),

    /** A recording with the JDK's default settings and every Conductor event enabled, no threshold. */
    JFR_CONDUCTOR_ON("jfr-conductor-on"),

    /** The starter's observations with a registry that has no handler. */
    OBSERVATION_NOOP("observation-noop"),

    /** The starter's observations with a registry whose one handler takes every observation and does nothing. */
    OBSERVATION_HANDLER("observation-handler");

    static final List<String> CONDUCTOR_EVENTS = List.of("dev.conductor.ComponentSetup",
            "dev.conductor.ComponentShutdown", "dev.conductor.SetupRetry", "dev.conductor.RuntimeFailure",
            "dev.conductor.Restart", "dev.conductor.Escalation", "dev.conductor.Setup", "dev.conductor.Shutdown");

    final String label;

    Telemetry(String label) {
        this.label = label;
    }

    static Telemetry of(String label) {
        for (Telemetry telemetry : values()) {
            if (telemetry.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                return telemetry;
            }
        }
        throw new IllegalArgumentException("Unknown telemetry '" + label + "': use plain, jfr-conductor-off,"
                + " jfr-conductor-on, observation-noop or observation-handler");
    }

    /** Starts what this variant runs while the engine works; {@code null} for none. Close it afterwards. */
    Recording startRecording() {
        if (this != JFR_CONDUCTOR_OFF && this != JFR_CONDUCTOR_ON) {
            return null;
        }
        try {
            Recording recording = new Recording(Configuration.getConfiguration("default"));
            for (String event : CONDUCTOR_EVENTS) {
                if (this == JFR_CONDUCTOR_ON) {
                    recording.enable(event).withoutThreshold();
                }
                else {
                    recording.disable(event);
                }
            }
            recording.setToDisk(false);
            recording.start();
            return recording;
        }
        catch (IOException | ParseException ex) {
            throw new IllegalStateException("The JDK's default recording settings could not be read", ex);
        }
    }

    /** An engine for the graph, watched by this variant. */
    Cycle engine(ComponentGraph graph, LifecycleEngine.Builder builder) {
        if (this != OBSERVATION_NOOP && this != OBSERVATION_HANDLER) {
            LifecycleEngine engine = builder.build();
            return new Cycle(engine::setup, engine::shutdown, engine);
        }
        ObservationRegistry registry = ObservationRegistry.create();
        if (this == OBSERVATION_HANDLER) {
            registry.observationConfig().observationHandler(new ObservationHandler<>() {

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
        }
        BenchmarkObservations observations = new BenchmarkObservations(registry, graph);
        LifecycleEngine engine = builder.listener(observations.listener()).build();
        return new Cycle(() -> observations.setup(engine::setup), () -> observations.shutdown(engine::shutdown),
                engine);
    }

    /** A setup and a shutdown, each with whatever this variant wraps around it. */
    record Cycle(Runnable setup, Runnable shutdown, LifecycleEngine engine) {
    }
}
