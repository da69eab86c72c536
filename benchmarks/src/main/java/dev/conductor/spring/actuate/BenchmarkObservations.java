package dev.conductor.spring.actuate;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleListener;
import io.micrometer.observation.ObservationRegistry;

/**
 * For the benchmarks only: the starter's observations of the lifecycle (package-private there) without a Spring
 * context, so that the telemetry benchmark measures them on the engine alone. On the class path this class shares
 * the starter's package.
 */
public final class BenchmarkObservations {

    private final ConductorObservations observations;

    public BenchmarkObservations(ObservationRegistry registry, ComponentGraph graph) {
        this.observations = new ConductorObservations(registry, null, () -> graph);
    }

    /** The listener to add to the engine: a child observation per component's step. */
    public LifecycleListener listener() {
        return observations;
    }

    /** Runs a setup inside the whole setup's observation. */
    public void setup(Runnable setup) {
        observations.observe(setup);
    }

    /** Runs a shutdown inside the whole shutdown's observation. */
    public void shutdown(Runnable shutdown) {
        observations.shutdownObserver().observe(shutdown);
    }
}
