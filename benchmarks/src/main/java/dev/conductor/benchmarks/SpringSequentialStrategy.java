package dev.conductor.benchmarks;

/**
 * Spring's {@code DefaultLifecycleProcessor} as it comes: every node a {@code SmartLifecycle} bean in one
 * phase, its dependencies declared with {@code dependsOn}, so Spring starts the dependencies first, one bean at
 * a time, and stops dependents first, also one at a time.
 */
final class SpringSequentialStrategy implements Strategy {

    @Override
    public String id() {
        return "spring-sequential";
    }

    @Override
    public String name() {
        return "Spring sequential (default)";
    }

    @Override
    public Prepared prepare(RandomDag dag, Trace trace) {
        return SpringLifecycleContext.create(dag, trace, false);
    }
}
