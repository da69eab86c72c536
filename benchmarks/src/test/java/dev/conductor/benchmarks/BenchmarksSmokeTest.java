package dev.conductor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks compiling and running in CI: every harness once, with tiny sizes. Only correctness is
 * asserted, never timing: a shared CI machine says nothing about the goals.
 */
class BenchmarksSmokeTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void everyMakespanStrategyRunsEveryComponentInDependencyOrder() throws Exception {
        List<MakespanHarness.Result> results = MakespanHarness.run(
                new MakespanHarness.Options(20, 3, 0, 2, 1, 1, 0), QUIET);

        assertThat(results).extracting(MakespanHarness.Result::strategy)
                .containsExactly("Conductor", "Tier-by-tier barriers", "Spring sequential (default)",
                        "Spring concurrent phases");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.violations()).as(result.strategy()).isEmpty();
            // Nothing beats the critical path: each sleep lasts at least its latency
            assertThat(result.setupMillis()).as(result.strategy()).isGreaterThanOrEqualTo(
                    result.setupCriticalMillis() * 0.999);
            assertThat(result.shutdownMillis()).as(result.strategy()).isGreaterThanOrEqualTo(
                    result.shutdownCriticalMillis() * 0.999);
        });
    }

    @Test
    void overheadHarnessSetsUpAndShutsDownEveryShape() {
        List<OverheadHarness.Result> results = OverheadHarness.run(new OverheadHarness.Options(new int[] { 200 },
                List.of(NoOpGraphs.Shape.values()), 1, 0, false), QUIET);

        assertThat(results).hasSize(3).allSatisfy(result -> {
            assertThat(result.allActive()).as(result.shape().name()).isTrue();
            assertThat(result.allStopped()).as(result.shape().name()).isTrue();
        });
    }

    @Test
    void svgRenderHarnessDrawsEveryPictureOfEveryShape() {
        List<SvgRenderHarness.Result> results = SvgRenderHarness.run(new int[] { 50 },
                List.of(NoOpGraphs.Shape.values()), 1, QUIET);

        assertThat(results).hasSize(9).allSatisfy(result -> assertThat(result.bytes()).isPositive());
    }

    @Test
    void startupHarnessStartsEveryVariant() throws Exception {
        List<StartupHarness.Result> results = StartupHarness.run(1, 0, QUIET);

        assertThat(results).extracting(StartupHarness.Result::variant)
                .containsExactly(StartupHarness.Variant.values());
        assertThat(results.get(0).components()).isZero();
        if (!StartupHarness.conductorAutoConfigurations().isEmpty()) {
            assertThat(results.get(2).components()).isEqualTo(StartupApps.BEANS);
        }
    }

    @Test
    void jmhOverheadBenchmarkRuns() throws Exception {
        var options = new OptionsBuilder()
                .include(OverheadBenchmark.class.getName() + ".components1k")
                .param("shape", "sparse")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .output("/dev/null")
                .build();

        var results = new Runner(options).run();

        assertThat(results).hasSize(1);
        RunResult result = results.iterator().next();
        assertThat(result.getPrimaryResult().getSampleCount()).isPositive();
    }
}
