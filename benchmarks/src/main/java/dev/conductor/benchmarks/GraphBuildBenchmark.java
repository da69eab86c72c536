package dev.conductor.benchmarks;

import dev.conductor.core.ComponentGraph;
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
 * JMH: what a user pays at every start before any component runs, one {@code ComponentDefinition} per
 * component and {@code ComponentGraph.Builder.build()} (name and instance checks, dependency resolution, cycle
 * detection, tiers), from names and instances made before the clock. The score is µs per component
 * ({@code @OperationsPerInvocation} is the graph size); the goal is at most 1 µs at 10,000 and 100,000.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar GraphBuildBenchmark -wi 3 -w 1s -i 5 -r 1s -f 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GraphBuildBenchmark {

    /** The blueprint for one size; subclasses fix the size so that it can be an {@code OperationsPerInvocation}. */
    @State(Scope.Benchmark)
    public abstract static class Parts {

        @Param({ "sparse", "wide", "chain" })
        public String shape;

        NoOpGraphs.Blueprint blueprint;

        abstract int size();

        @Setup
        public void prepare() {
            blueprint = NoOpGraphs.Blueprint.of(NoOpGraphs.Shape.of(shape), size(), 1);
        }
    }

    /** 10,000 components. */
    public static class Parts10k extends Parts {

        @Override
        int size() {
            return 10_000;
        }
    }

    /** 100,000 components. */
    public static class Parts100k extends Parts {

        @Override
        int size() {
            return 100_000;
        }
    }

    @Benchmark
    @OperationsPerInvocation(10_000)
    public ComponentGraph build10k(Parts10k parts) {
        return parts.blueprint.build();
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public ComponentGraph build100k(Parts100k parts) {
        return parts.blueprint.build();
    }
}
