package dev.conductor.benchmarks;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Engine overhead in microseconds per component: no-op components through {@link ComponentGraph} and
 * {@link LifecycleEngine}, setup plus shutdown, at several graph sizes. The quick-to-read companion of the JMH
 * {@code OverheadBenchmark}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.OverheadHarness \
 *     [--sizes=1000,10000,100000] [--shapes=sparse,wide,chain] [--rounds=10] [--warmups=5]
 *     [--executor=default|shared-pool]
 * </pre>
 *
 * <p>The goals, at 10,000 and at 100,000 components on 2 cores: setup plus shutdown at most 1 microsecond per
 * component, and building the graph (the definitions and {@code ComponentGraph.Builder.build()}, from names and
 * instances the application already has) at most 1 microsecond per component too.
 */
public final class OverheadHarness {

    static final double GOAL_MICROS = 1;

    private OverheadHarness() {
    }

    /** What to run. */
    record Options(int[] sizes, List<NoOpGraphs.Shape> shapes, int rounds, int warmups, boolean sharedPool) {
    }

    /** Medians per component over the measured rounds. */
    record Result(NoOpGraphs.Shape shape, int size, double buildMicros, double setupMicros, double shutdownMicros,
            double bytesPerComponent, boolean allActive, boolean allStopped) {

        double totalMicros() {
            return setupMicros + shutdownMicros;
        }
    }

    public static void main(String[] args) {
        Args parsed = Args.parse(args, "sizes", "shapes", "rounds", "warmups", "executor");
        int[] sizes = java.util.Arrays.stream(parsed.value("sizes", "1000,10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        List<NoOpGraphs.Shape> shapes = java.util.Arrays.stream(parsed.value("shapes", "sparse,wide,chain").split(","))
                .map(NoOpGraphs.Shape::of).toList();
        String executor = parsed.value("executor", "default");
        if (!executor.equals("default") && !executor.equals("shared-pool")) {
            throw new IllegalArgumentException("--executor is default or shared-pool, not " + executor);
        }
        run(new Options(sizes, shapes, parsed.intValue("rounds", 10), parsed.intValue("warmups", 5),
                executor.equals("shared-pool")), System.out);
    }

    static List<Result> run(Options options, PrintStream out) {
        out.printf(Locale.ROOT, "Engine overhead: no-op components, %s, median of %d round(s) after %d"
                + " warm-up(s); Java %s, %d CPUs; allocation %s%n%n",
                options.sharedPool() ? "one cached thread pool shared by all rounds" : "the engine's default executor",
                options.rounds(), options.warmups(),
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                AllocationCounter.exact() ? "of all threads" : "of live threads only (a lower bound on JDK < 21)");
        out.println("| Shape | Components | Graph build µs/comp | Setup µs/comp | Shutdown µs/comp "
                + "| Setup + shutdown µs/comp | Allocated B/comp (setup + shutdown) | Goal (<= 1 µs) build / engine |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        List<Result> results = new ArrayList<>();
        for (NoOpGraphs.Shape shape : options.shapes()) {
            for (int size : options.sizes()) {
                Result result = measure(shape, size, options);
                results.add(result);
                out.printf(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %,.0f | %s |%n",
                        shape.name().toLowerCase(Locale.ROOT), size, result.buildMicros(), result.setupMicros(),
                        result.shutdownMicros(), result.totalMicros(), result.bytesPerComponent(),
                        size >= 10_000 ? yesNo(result.buildMicros() <= GOAL_MICROS) + " / "
                                + yesNo(result.totalMicros() <= GOAL_MICROS) : "");
            }
        }
        out.println();
        return results;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /**
     * With {@code sharedPool}, every engine gets the same long-lived cached pool, as a container that owns its
     * threads would pass in; that separates the engine's own cost from the cost of creating threads.
     */
    private static Result measure(NoOpGraphs.Shape shape, int size, Options options) {
        ExecutorService pool = options.sharedPool() ? Executors.newCachedThreadPool(daemonThreads()) : null;
        try {
            return measure(shape, size, options, pool);
        }
        finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        return task -> {
            Thread thread = new Thread(task, "overhead-pool");
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Result measure(NoOpGraphs.Shape shape, int size, Options options, ExecutorService pool) {
        double[] build = new double[options.rounds()];
        double[] setup = new double[options.rounds()];
        double[] shutdown = new double[options.rounds()];
        double[] bytes = new double[options.rounds()];
        boolean allActive = true;
        boolean allStopped = true;
        for (int round = -options.warmups(); round < options.rounds(); round++) {
            NoOpGraphs.Blueprint blueprint = NoOpGraphs.Blueprint.of(shape, size, round);
            long start = System.nanoTime();
            ComponentGraph graph = blueprint.build();
            long built = System.nanoTime();
            LifecycleEngine.Builder builder = LifecycleEngine.builder(graph);
            if (pool != null) {
                builder.executor(pool);
            }
            LifecycleEngine engine = builder.build();
            long allocatedBefore = AllocationCounter.allocatedBytes();
            long setupStart = System.nanoTime();
            engine.setup();
            long setUp = System.nanoTime();
            allActive &= engine.isActive();
            engine.shutdown();
            long end = System.nanoTime();
            long allocated = AllocationCounter.allocatedBytes() - allocatedBefore;
            allStopped &= !engine.isActive() && engine.report().components().stream()
                    .allMatch(component -> component.shutdownDuration() != null);
            if (round >= 0) {
                build[round] = (built - start) / 1e3 / size;
                setup[round] = (setUp - setupStart) / 1e3 / size;
                shutdown[round] = (end - setUp) / 1e3 / size;
                bytes[round] = (double) allocated / size;
            }
        }
        return new Result(shape, size, Stats.median(build), Stats.median(setup), Stats.median(shutdown),
                Stats.median(bytes), allActive, allStopped);
    }
}
