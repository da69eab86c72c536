package dev.conductor.benchmarks;

import dev.conductor.core.LifecycleEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one setup plus one shutdown of a graph of no-op components through {@link LifecycleEngine}, reported
 * per component ({@code @OperationsPerInvocation} is the graph size, so the score is µs per component and
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per component). The engine is built once per trial and
 * set up and shut down again on every invocation, which the engine allows.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OverheadBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OverheadBenchmark {

    /** The graph for one size; subclasses fix the size so that it can be an {@code OperationsPerInvocation}. */
    @State(Scope.Benchmark)
    public abstract static class Graph {

        @Param({ "sparse", "wide", "chain" })
        public String shape;

        LifecycleEngine engine;

        abstract int size();

        @Setup
        public void build() {
            engine = LifecycleEngine.builder(NoOpGraphs.build(NoOpGraphs.Shape.of(shape), size(), 1)).build();
        }
    }

    /** 1,000 components. */
    public static class Graph1k extends Graph {

        @Override
        int size() {
            return 1_000;
        }
    }

    /** 10,000 components. */
    public static class Graph10k extends Graph {

        @Override
        int size() {
            return 10_000;
        }
    }

    /** 100,000 components. */
    public static class Graph100k extends Graph {

        @Override
        int size() {
            return 100_000;
        }
    }

    @Benchmark
    @OperationsPerInvocation(1_000)
    public void components1k(Graph1k graph) {
        cycle(graph.engine);
    }

    @Benchmark
    @OperationsPerInvocation(10_000)
    public void components10k(Graph10k graph) {
        cycle(graph.engine);
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public void components100k(Graph100k graph) {
        cycle(graph.engine);
    }

    private static void cycle(LifecycleEngine engine) {
        engine.setup();
        engine.shutdown();
    }
}
