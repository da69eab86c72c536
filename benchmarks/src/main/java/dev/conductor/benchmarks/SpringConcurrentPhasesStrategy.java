package dev.conductor.benchmarks;

/**
 * The best a Spring user can do by hand: each tier mapped to its own {@code SmartLifecycle} phase, concurrent
 * startup switched on for every phase ({@code DefaultLifecycleProcessor.setConcurrentStartupForPhases}, Spring
 * Framework 6.2.6+) with a bootstrap executor, and asynchronous {@code stop(Runnable)} so that a phase also
 * stops concurrently. Each phase is still a barrier.
 */
final class SpringConcurrentPhasesStrategy implements Strategy {

    @Override
    public String id() {
        return "spring-phases";
    }

    @Override
    public String name() {
        return "Spring concurrent phases";
    }

    @Override
    public Prepared prepare(RandomDag dag, Trace trace) {
        return SpringLifecycleContext.create(dag, trace, true);
    }
}
