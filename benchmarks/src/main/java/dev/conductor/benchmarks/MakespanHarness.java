package dev.conductor.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Setup and shutdown makespan on random dependency graphs, five strategies side by side on the same graphs and
 * the same sleeps: Conductor, tier-by-tier barriers, Spring's sequential default, Spring's concurrent startup
 * per phase and Spring's background bean bootstrap. Each makespan is divided by the critical path, the lower
 * bound no strategy can beat.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.MakespanHarness \
 *     [--components=200] [--degree=3] [--min-ms=1] [--max-ms=20] [--seeds=3] [--runs=3] [--warmups=1] \\
 *     [--strategies=conductor,tiers,spring-sequential,spring-phases,spring-background]
 * </pre>
 *
 * <p>Prints one Markdown table per graph and a summary. The goal for Conductor is a makespan within
 * 1.02 times the critical path plus 2 ms. "CP as slept" is the critical path by the latencies the run actually
 * saw (sleeps overshoot when many threads wake at once on few cores): makespan minus it is what the strategy
 * itself lost.
 */
public final class MakespanHarness {

    static final double GOAL_FACTOR = 1.02;

    static final double GOAL_SLACK_MILLIS = 2;

    private MakespanHarness() {
    }

    /** What to run. */
    record Options(int components, int degree, int minMillis, int maxMillis, int seeds, int runs, int warmups,
            List<String> strategies) {

        /** Every strategy. */
        Options(int components, int degree, int minMillis, int maxMillis, int seeds, int runs, int warmups) {
            this(components, degree, minMillis, maxMillis, seeds, runs, warmups, List.of());
        }

        boolean includes(Strategy strategy) {
            return strategies.isEmpty() || strategies.contains(strategy.id());
        }
    }

    /** The median makespans of one strategy on one graph, with every rule the strategy broke. */
    record Result(long seed, String strategy, long setupCriticalMillis, long shutdownCriticalMillis,
            double setupMillis, double shutdownMillis, double measuredSetupCriticalMillis,
            double measuredShutdownCriticalMillis, List<String> violations, String failure) {

        /** Whether the strategy set up and shut down the graph at all; when not, {@link #failure()} says why. */
        boolean completed() {
            return failure == null;
        }

        double setupRatio() {
            return setupMillis / setupCriticalMillis;
        }

        double shutdownRatio() {
            return shutdownMillis / shutdownCriticalMillis;
        }

        boolean setupGoalMet() {
            return completed() && setupMillis <= GOAL_FACTOR * setupCriticalMillis + GOAL_SLACK_MILLIS;
        }

        boolean shutdownGoalMet() {
            return completed() && shutdownMillis <= GOAL_FACTOR * shutdownCriticalMillis + GOAL_SLACK_MILLIS;
        }
    }

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, "components", "degree", "min-ms", "max-ms", "seeds", "runs", "warmups",
                "strategies");
        String selected = parsed.value("strategies", "");
        List<String> strategies = selected.isEmpty() ? List.of() : List.of(selected.split(","));
        List<String> known = strategies().stream().map(Strategy::id).toList();
        if (!known.containsAll(strategies)) {
            throw new IllegalArgumentException("Unknown strategy in --strategies=" + String.join(",", strategies)
                    + "; known: " + String.join(", ", known));
        }
        Options options = new Options(parsed.intValue("components", 200), parsed.intValue("degree", 3),
                parsed.intValue("min-ms", 1), parsed.intValue("max-ms", 20), parsed.intValue("seeds", 3),
                parsed.intValue("runs", 3), parsed.intValue("warmups", 1), strategies);
        List<Result> results = run(options, System.out);
        boolean incorrect = results.stream().anyMatch(result -> !result.violations().isEmpty());
        if (incorrect) {
            System.exit(1);
        }
    }

    static List<Strategy> strategies() {
        return List.of(new ConductorStrategy(), new TierBarrierStrategy(), new SpringSequentialStrategy(),
                new SpringConcurrentPhasesStrategy(), new SpringBackgroundBootstrapStrategy());
    }

    static List<Result> run(Options options, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "Makespan: %d components, %d dependencies each, latencies %d-%d ms, %d run(s) after"
                + " %d warm-up(s), median shown; Java %s, %d CPUs, %s for tiers and Spring phases, %s for"
                + " Spring background bootstrap%n%n",
                options.components(), options.degree(), options.minMillis(), options.maxMillis(), options.runs(),
                options.warmups(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                PerTaskThreads.describe(), SpringBackgroundBootstrapStrategy.BootstrapExecutor.describe());
        List<Result> all = new ArrayList<>();
        for (long seed = 1; seed <= options.seeds(); seed++) {
            RandomDag dag = RandomDag.generate(seed, options.components(), options.degree(), options.minMillis(),
                    options.maxMillis());
            out.printf(Locale.ROOT, "Seed %d: %d tiers, critical path %d ms (setup), %d ms (shutdown)%n%n", seed,
                    dag.tierCount(), dag.setupCriticalPathMillis(), dag.shutdownCriticalPathMillis());
            List<Result> results = new ArrayList<>();
            for (Strategy strategy : strategies()) {
                if (options.includes(strategy)) {
                    results.add(measure(seed, dag, strategy, options));
                }
            }
            printTable(results, out);
            all.addAll(results);
        }
        printSummary(all, out);
        return all;
    }

    private static Result measure(long seed, RandomDag dag, Strategy strategy, Options options) throws Exception {
        List<String> violations = new ArrayList<>();
        double[] setup = new double[options.runs()];
        double[] shutdown = new double[options.runs()];
        double[] measuredSetup = new double[options.runs()];
        double[] measuredShutdown = new double[options.runs()];
        for (int run = -options.warmups(); run < options.runs(); run++) {
            Trace trace = new Trace(dag);
            long setupNanos;
            long shutdownNanos;
            try (Strategy.Prepared prepared = strategy.prepare(dag, trace)) {
                long start = System.nanoTime();
                prepared.setup();
                long setUp = System.nanoTime();
                prepared.shutdown();
                long end = System.nanoTime();
                setupNanos = setUp - start;
                shutdownNanos = end - setUp;
            }
            catch (Strategy.Failed ex) {
                // Not a makespan: say so once and do not repeat it (a deadlock costs the whole watchdog time)
                return new Result(seed, strategy.name(), dag.setupCriticalPathMillis(),
                        dag.shutdownCriticalPathMillis(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        List.copyOf(violations), "run " + (run + options.warmups() + 1) + ": " + ex.getMessage());
            }
            violations.addAll(trace.violations());
            if (run >= 0) {
                setup[run] = Stats.millis(setupNanos);
                shutdown[run] = Stats.millis(shutdownNanos);
                measuredSetup[run] = Stats.millis(trace.measuredSetupCriticalPathNanos());
                measuredShutdown[run] = Stats.millis(trace.measuredShutdownCriticalPathNanos());
            }
        }
        return new Result(seed, strategy.name(), dag.setupCriticalPathMillis(), dag.shutdownCriticalPathMillis(),
                Stats.median(setup), Stats.median(shutdown), Stats.median(measuredSetup),
                Stats.median(measuredShutdown), List.copyOf(violations), null);
    }

    private static void printTable(List<Result> results, PrintStream out) {
        out.println("| Strategy | Setup ms | Setup / CP | Setup CP as slept | Shutdown ms | Shutdown / CP "
                + "| Shutdown CP as slept | Goal (<= 1.02 x CP + 2 ms) setup / shutdown | Correct |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        for (Result result : results) {
            if (!result.completed()) {
                out.printf(Locale.ROOT, "| %s | failed | | | | | | no / no | %s |%n", result.strategy(),
                        result.failure());
                continue;
            }
            out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.1f | %.1f | %.3f | %.1f | %s / %s | %s |%n",
                    result.strategy(), result.setupMillis(), result.setupRatio(),
                    result.measuredSetupCriticalMillis(), result.shutdownMillis(), result.shutdownRatio(),
                    result.measuredShutdownCriticalMillis(),
                    yesNo(result.setupGoalMet()), yesNo(result.shutdownGoalMet()),
                    result.violations().isEmpty() ? "yes" : "NO: " + result.violations().get(0));
        }
        out.println();
    }

    private static void printSummary(List<Result> results, PrintStream out) {
        out.println("Summary over all seeds (mean of the per-seed ratios):");
        out.println();
        out.println("| Strategy | Setup / critical path | Shutdown / critical path | Goal met on |");
        out.println("| --- | ---: | ---: | --- |");
        for (Strategy strategy : strategies()) {
            List<Result> mine = results.stream().filter(result -> result.strategy().equals(strategy.name())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            List<Result> completed = mine.stream().filter(Result::completed).toList();
            double setup = completed.stream().mapToDouble(Result::setupRatio).average().orElse(Double.NaN);
            double shutdown = completed.stream().mapToDouble(Result::shutdownRatio).average().orElse(Double.NaN);
            long met = mine.stream().filter(result -> result.setupGoalMet() && result.shutdownGoalMet()).count();
            String failed = completed.size() == mine.size() ? ""
                    : String.format(Locale.ROOT, " (failed on %d of %d)", mine.size() - completed.size(), mine.size());
            out.printf(Locale.ROOT, "| %s | %s | %s | %d of %d seeds%s |%n", strategy.name(), ratio(setup),
                    ratio(shutdown), met, mine.size(), failed);
        }
        out.println();
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
