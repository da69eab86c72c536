package dev.conductor.benchmarks;

import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.StartupReport;
import dev.conductor.core.StartupReport.SvgView;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long {@link StartupReport#toSvg} takes and how big its pictures are: a real lifecycle of no-op components
 * (set up and shut down, so that both timelines have data), then each picture rendered once cold (the first
 * render in the JVM, class loading and interpretation included) and then {@code rounds} times warm (median).
 * Besides the wall-clock time it reports the rendering thread's CPU time, which a busy shared machine inflates
 * far less.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.SvgRenderHarness \
 *     [--sizes=200,10000] [--shapes=sparse,wide,chain] [--rounds=20]
 * </pre>
 *
 * <p>The goal is "well under a second into a few MB at most" at 10,000 components.
 */
public final class SvgRenderHarness {

    private SvgRenderHarness() {
    }

    /** One picture of one graph: the first render, the median of the others, and the size in bytes. */
    record Result(NoOpGraphs.Shape shape, int size, SvgView view, double firstMillis, double medianMillis,
            double medianCpuMillis, int bytes) {
    }

    public static void main(String[] args) {
        Args parsed = Args.parse(args, "sizes", "shapes", "rounds");
        int[] sizes = Arrays.stream(parsed.value("sizes", "200,10000").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        List<NoOpGraphs.Shape> shapes = Arrays.stream(parsed.value("shapes", "sparse,wide,chain").split(","))
                .map(NoOpGraphs.Shape::of).toList();
        run(sizes, shapes, parsed.intValue("rounds", 20), System.out);
    }

    static List<Result> run(int[] sizes, List<NoOpGraphs.Shape> shapes, int rounds, PrintStream out) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        out.printf(Locale.ROOT, "%-7s %7s %-18s %10s %10s %10s %10s%n", "shape", "size", "picture", "first ms",
                "median ms", "cpu ms", "bytes");
        List<Result> results = new ArrayList<>();
        for (int size : sizes) {
            for (NoOpGraphs.Shape shape : shapes) {
                LifecycleEngine engine = LifecycleEngine.builder(NoOpGraphs.build(shape, size, 1)).build();
                engine.setup();
                engine.shutdown();
                StartupReport report = engine.report();
                for (SvgView view : SvgView.values()) {
                    long start = System.nanoTime();
                    String svg = report.toSvg(view);
                    double first = Stats.millis(System.nanoTime() - start);
                    double[] times = new double[Math.max(1, rounds)];
                    double[] cpu = new double[Math.max(1, rounds)];
                    for (int round = 0; round < rounds; round++) {
                        long cpuBegin = threads.getCurrentThreadCpuTime();
                        long begin = System.nanoTime();
                        report.toSvg(view);
                        times[round] = Stats.millis(System.nanoTime() - begin);
                        cpu[round] = Stats.millis(threads.getCurrentThreadCpuTime() - cpuBegin);
                    }
                    Result result = new Result(shape, size, view, first, rounds == 0 ? first : Stats.median(times),
                            rounds == 0 ? first : Stats.median(cpu), svg.getBytes(StandardCharsets.UTF_8).length);
                    results.add(result);
                    out.printf(Locale.ROOT, "%-7s %7d %-18s %10.1f %10.1f %10.1f %10d%n",
                            shape.name().toLowerCase(Locale.ROOT), size, view, result.firstMillis(),
                            result.medianMillis(), result.medianCpuMillis(), result.bytes());
                }
            }
        }
        return results;
    }
}
