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
                        "Spring concurrent phases", "Spring background bootstrap");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.violations()).as(result.strategy()).isEmpty();
            if (result.strategy().equals("Spring background bootstrap") && !result.completed()) {
                // Spring refuses or deadlocks on background beans that need each other: reported, not timed
                assertThat(result.failure()).matches("run \\d+: (refused by Spring|deadlocked): .+");
                return;
            }
            assertThat(result.completed()).as(result.strategy()).isTrue();
            // Nothing beats the critical path: each sleep lasts at least its latency
            assertThat(result.setupMillis()).as(result.strategy()).isGreaterThanOrEqualTo(
                    result.setupCriticalMillis() * 0.999);
            assertThat(result.shutdownMillis()).as(result.strategy()).isGreaterThanOrEqualTo(
                    result.shutdownCriticalMillis() * 0.999);
        });
    }

    @Test
    void backgroundBootstrapCompletesAGraphWithoutDependenciesInDependencyOrder() throws Exception {
        // Spring's supported case, independent background beans: the strategy itself must be correct there
        RandomDag independent = RandomDag.generate(1, 20, 0, 1, 3);
        Trace trace = new Trace(independent);
        try (Strategy.Prepared prepared = new SpringBackgroundBootstrapStrategy().prepare(independent, trace)) {
            prepared.setup();
            prepared.shutdown();
        }

        assertThat(trace.violations()).isEmpty();
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
    void telemetryOverheadHarnessRunsEveryVariantOnEveryShape() {
        var results = TelemetryOverheadHarness.run(200, List.of(NoOpGraphs.Shape.values()),
                List.of(Telemetry.values()), 1, 0, QUIET);

        assertThat(results).hasSize(3).allSatisfy((shape, variants) -> assertThat(variants).as(shape.name())
                .containsOnlyKeys(Telemetry.values())
                .allSatisfy((variant, figures) -> assertThat(figures[0]).as(variant.label).isPositive()));
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
    void wholeApplicationStartsAndStopsEveryVariantInAChildJvm() throws Exception {
        List<WholeAppHarness.Result> results = WholeAppHarness.run(List.of(OrderServiceShape.Variant.values()), 1, 0,
                QUIET);

        assertThat(results).extracting(WholeAppHarness.Result::variant)
                .containsExactly(OrderServiceShape.Variant.values());
        assertThat(results).allSatisfy(result -> {
            assertThat(result.violations()).as(result.variant().id).isEmpty();
            if (result.variant() == result.variant().noOpBound()) {
                return; // its parts do no work: it is there for the bound
            }
            // The parts' own latencies are a floor no variant can beat
            assertThat(result.setupSpanMillis()[0]).as(result.variant().id).isGreaterThanOrEqualTo(750);
            assertThat(result.shutdownSpanMillis()[0]).as(result.variant().id).isGreaterThanOrEqualTo(550);
        });
    }

    @Test
    void wholeApplicationCheckCatchesAPartShutDownTwiceOrTooEarly() {
        List<String> correct = List.of("START database 1", "START messageQueue 1", "UP database 400",
                "UP messageQueue 600", "START webApi 600", "START backgroundWorkers 600", "UP webApi 650",
                "UP backgroundWorkers 750", "READY conductor 760", "STOP webApi 800", "STOP backgroundWorkers 800",
                "DOWN webApi 1000", "DOWN backgroundWorkers 1050", "STOP database 1050", "STOP messageQueue 1050",
                "DOWN database 1150", "DOWN messageQueue 1350");
        List<String> twice = new java.util.ArrayList<>(correct);
        twice.add("DOWN webApi 1400");
        List<String> early = new java.util.ArrayList<>(correct);
        early.add(early.indexOf("DOWN webApi 1000"), "DOWN database 900");
        early.remove("DOWN database 1150");

        assertThat(WholeAppHarness.check(correct)).isEmpty();
        assertThat(WholeAppHarness.span(correct, "START ", "UP ")).isEqualTo(749);
        assertThat(WholeAppHarness.span(correct, "STOP ", "DOWN ")).isEqualTo(550);
        assertThat(WholeAppHarness.check(twice)).containsExactly("webApi was set up or shut down more than once");
        assertThat(WholeAppHarness.check(early)).contains("database was shut down before webApi, which needs it");
    }

    @Test
    void jmhGraphBuildBenchmarkRuns() throws Exception {
        var options = new OptionsBuilder()
                .include(GraphBuildBenchmark.class.getName() + ".build10k")
                .param("shape", "chain")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .output("/dev/null")
                .build();

        var results = new Runner(options).run();

        assertThat(results).hasSize(1);
        assertThat(results.iterator().next().getPrimaryResult().getSampleCount()).isPositive();
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
