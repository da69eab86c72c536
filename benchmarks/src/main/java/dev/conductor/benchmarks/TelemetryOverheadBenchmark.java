package dev.conductor.benchmarks;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one setup plus one shutdown of 10,000 no-op components per invocation, as {@link OverheadBenchmark}, with
 * what watches the engine as a parameter (see {@link Telemetry}): nothing, a JDK Flight Recorder recording with
 * Conductor's events disabled or enabled, the starter's observations with a registry without or with a handler.
 * The score is µs per component; {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per component.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TelemetryOverheadBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TelemetryOverheadBenchmark {

    static final int SIZE = 10_000;

    @Param({ "sparse", "wide" })
    public String shape;

    @Param({ "plain", "jfr-conductor-off", "jfr-conductor-on", "observation-noop", "observation-handler" })
    public String telemetry;

    private Telemetry.Cycle cycle;

    private Recording recording;

    @Setup
    public void build() {
        Telemetry variant = Telemetry.of(telemetry);
        ComponentGraph graph = NoOpGraphs.build(NoOpGraphs.Shape.of(shape), SIZE, 1);
        cycle = variant.engine(graph, LifecycleEngine.builder(graph));
        recording = variant.startRecording();
    }

    @TearDown
    public void stop() {
        if (recording != null) {
            recording.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public void components10k() {
        cycle.setup().run();
        cycle.shutdown().run();
    }
}
