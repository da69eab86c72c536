package dev.conductor.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A whole application, from JVM start to ready and from SIGTERM to exit: {@link OrderServiceShape} in a child
 * JVM per run (the same {@code java} and class path as this one), the variants interleaved run by run so that
 * a busy moment of the machine hits them alike. "Ready" is the child printing {@code READY} after
 * {@code SpringApplication.run} returned, measured by this process from the moment it started the child;
 * "exit" is from SIGTERM ({@code ProcessHandle.destroy()}) to the child's exit.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.WholeAppHarness \
 *     [--runs=7] [--warmups=1]
 *     [--variants=conductor,conductor-late-beans,conductor-never,conductor-noop,spring-sequential,spring-background]
 * </pre>
 *
 * <p>Also printed, from the child's own clock: each variant's span from the first part beginning its setup
 * (shutdown) to the last part finishing it, which the JVM's and Spring's start do not blur.
 *
 * <p>Each run is also checked: every part set up before ready, every part shut down before exit, no part
 * shut down before the parts that need it.
 */
public final class WholeAppHarness {

    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private WholeAppHarness() {
    }

    /** Medians and spread over the measured runs of one variant. */
    record Result(OrderServiceShape.Variant variant, double[] readyMillis, double[] exitMillis,
            double[] setupSpanMillis, double[] shutdownSpanMillis, List<String> violations) {

        double medianReady() {
            return Stats.median(readyMillis);
        }

        double medianExit() {
            return Stats.median(exitMillis);
        }
    }

    /** One child JVM's timings and what it printed. */
    record Run(double readyMillis, double exitMillis, List<String> lines) {
    }

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, "runs", "warmups", "variants");
        List<OrderServiceShape.Variant> variants = Arrays
                .stream(parsed.value("variants", "conductor,conductor-late-beans,conductor-never,conductor-noop,"
                        + "spring-sequential,spring-background,conductor-busy,conductor-noop-busy,"
                        + "spring-background-busy").split(","))
                .map(OrderServiceShape.Variant::of).toList();
        List<Result> results = run(variants, parsed.intValue("runs", 7), parsed.intValue("warmups", 1), System.out);
        if (results.stream().anyMatch(result -> !result.violations().isEmpty())) {
            System.exit(1);
        }
    }

    static List<Result> run(List<OrderServiceShape.Variant> variants, int runs, int warmups, PrintStream out)
            throws Exception {
        out.printf(Locale.ROOT, "Whole application (the order service's shape, simulated latencies): a child JVM per"
                + " run, %d run(s) per variant after %d warm-up(s), interleaved; Java %s, %d CPUs%n%n", runs, warmups,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        out.println("Parts (setup / shutdown ms): " + describeParts() + "; critical path " + criticalPath(true)
                + " ms setup, " + criticalPath(false) + " ms shutdown; one after the other " + sum(true) + " / "
                + sum(false) + " ms");
        out.println();
        double[][] ready = new double[variants.size()][runs];
        double[][] exit = new double[variants.size()][runs];
        double[][] setupSpan = new double[variants.size()][runs];
        double[][] shutdownSpan = new double[variants.size()][runs];
        List<List<Double>> childReadyAll = new ArrayList<>();
        List<List<Double>> firstBeanAll = new ArrayList<>();
        variants.forEach(variant -> {
            childReadyAll.add(new ArrayList<>());
            firstBeanAll.add(new ArrayList<>());
        });
        List<List<String>> violations = new ArrayList<>();
        variants.forEach(variant -> violations.add(new ArrayList<>()));
        for (int run = -warmups; run < runs; run++) {
            for (int v = 0; v < variants.size(); v++) {
                Run result = runOnce(variants.get(v));
                List<String> broken = check(result.lines());
                if (!broken.isEmpty()) {
                    violations.get(v).add(broken.get(0) + " (output: " + String.join(" | ", result.lines()) + ")");
                }
                if (run >= 0) {
                    ready[v][run] = result.readyMillis();
                    exit[v][run] = result.exitMillis();
                    setupSpan[v][run] = span(result.lines(), "START ", "UP ");
                    childReadyAll.get(v).add(firstUptime(result.lines(), "READY "));
                    double bean = firstUptime(result.lines(), "BEAN ");
                    if (!Double.isNaN(bean)) {
                        firstBeanAll.get(v).add(bean);
                    }
                    shutdownSpan[v][run] = span(result.lines(), "STOP ", "DOWN ");
                }
            }
        }
        double[][] childReady = new double[variants.size()][];
        double[][] firstBean = new double[variants.size()][];
        for (int v = 0; v < variants.size(); v++) {
            childReady[v] = childReadyAll.get(v).stream().mapToDouble(Double::doubleValue).toArray();
            firstBean[v] = firstBeanAll.get(v).stream().mapToDouble(Double::doubleValue).toArray();
        }
        List<Result> results = new ArrayList<>();
        out.println("| Variant | JVM start to ready ms (median) | min-max | SIGTERM to exit ms (median) | min-max "
                + "| Parts' setup span ms (median) | Parts' shutdown span ms (median) | Correct |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (int v = 0; v < variants.size(); v++) {
            Result result = new Result(variants.get(v), ready[v], exit[v], setupSpan[v], shutdownSpan[v],
                    List.copyOf(violations.get(v)));
            results.add(result);
            out.printf(Locale.ROOT, "| %s | %.0f | %.0f-%.0f | %.0f | %.0f-%.0f | %.0f | %.0f | %s |%n",
                    result.variant().description, result.medianReady(), min(ready[v]), max(ready[v]),
                    result.medianExit(), min(exit[v]), max(exit[v]), Stats.median(setupSpan[v]),
                    Stats.median(shutdownSpan[v]),
                    result.violations().isEmpty() ? "yes" : "NO: " + result.violations().get(0));
        }
        out.println();
        boolean anyBound = false;
        for (int v = 0; v < variants.size(); v++) {
            int noOp = variants.indexOf(variants.get(v).noOpBound());
            if (noOp < 0 || noOp == v || firstBean[v].length == 0) {
                continue; // a no-op variant itself, or one without component beans
            }
            if (!anyBound) {
                anyBound = true;
                out.printf(Locale.ROOT, "The bound, by the child's clock (JVM uptime): ready no sooner than max(the"
                        + " same application's ready with no-op parts, the first component bean + the critical path,"
                        + " %d ms)%n%n", criticalPath(true));
                out.println("| Variant | Ready, child's clock ms (median) | First part bean ms (median) | No-op parts'"
                        + " ready ms (median) | Bound ms (median) | Ready / bound |");
                out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            }
            double noOpReady = Stats.median(childReady[noOp]);
            double[] bound = new double[firstBean[v].length];
            double[] ratio = new double[firstBean[v].length];
            for (int i = 0; i < bound.length; i++) {
                bound[i] = Math.max(noOpReady, firstBean[v][i] + criticalPath(true));
                ratio[i] = childReady[v][i] / bound[i];
            }
            out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.3f |%n", variants.get(v).description,
                    Stats.median(childReady[v]), Stats.median(firstBean[v]), noOpReady, Stats.median(bound),
                    Stats.median(ratio));
        }
        if (anyBound) {
            out.println();
        }
        return results;
    }

    /** The uptime on the first line that starts with {@code prefix}, or NaN. */
    static double firstUptime(List<String> lines, String prefix) {
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                return uptime(line);
            }
        }
        return Double.NaN;
    }

    private static Run runOnce(OrderServiceShape.Variant variant) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrderServiceShape.class.getName(), "--variant=" + variant.id).redirectErrorStream(true);
        long start = System.nanoTime();
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("READY")) {
                        ready.complete(System.nanoTime());
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
            catch (IOException ex) {
                ready.completeExceptionally(ex);
            }
            ready.completeExceptionally(new IllegalStateException("The child exited without printing READY"));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long readyAt;
        try {
            readyAt = ready.get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            process.destroyForcibly();
            throw new IllegalStateException(variant.id + " did not get ready; its output: " + lines, ex);
        }
        long term = System.nanoTime();
        // SIGTERM through the handle: Process.destroy() would also close our end of the child's output
        process.toHandle().destroy();
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(variant.id + " did not exit after SIGTERM; its output: " + lines);
        }
        long exited = System.nanoTime();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (lines) {
            return new Run((readyAt - start) / 1e6, (exited - term) / 1e6, List.copyOf(lines));
        }
    }

    /** Every part up once before READY, down once after it, and never down before a part that needs it. */
    static List<String> check(List<String> lines) {
        List<String> violations = new ArrayList<>();
        int readyLine = indexOf(lines, "READY");
        for (OrderServiceShape.Part part : OrderServiceShape.PARTS) {
            int up = indexOf(lines, "UP " + part.name() + " ");
            int down = indexOf(lines, "DOWN " + part.name() + " ");
            if (up < 0 || up > readyLine) {
                violations.add(part.name() + " was not set up before ready");
            }
            if (down < readyLine) {
                violations.add(part.name() + " was not shut down after ready and before exit");
            }
            if (count(lines, "UP " + part.name() + " ") > 1 || count(lines, "DOWN " + part.name() + " ") > 1) {
                violations.add(part.name() + " was set up or shut down more than once");
            }
            for (String dependency : part.dependencies()) {
                if (indexOf(lines, "DOWN " + dependency + " ") < down) {
                    violations.add(dependency + " was shut down before " + part.name() + ", which needs it");
                }
                if (indexOf(lines, "UP " + dependency + " ") > up) {
                    violations.add(part.name() + " was set up before " + dependency + ", which it needs");
                }
            }
        }
        return violations;
    }

    /**
     * From the first part beginning to the last part finishing, by the child's own clock: the scheduling of the
     * parts alone, without the JVM's and Spring's start, which dominate "ready" on a busy machine.
     */
    static double span(List<String> lines, String begin, String end) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String line : lines) {
            if (line.startsWith(begin)) {
                first = Math.min(first, uptime(line));
            }
            else if (line.startsWith(end)) {
                last = Math.max(last, uptime(line));
            }
        }
        return first == Long.MAX_VALUE || last == Long.MIN_VALUE ? Double.NaN : last - first;
    }

    private static long uptime(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).count();
    }

    private static String describeParts() {
        List<String> parts = new ArrayList<>();
        for (OrderServiceShape.Part part : OrderServiceShape.PARTS) {
            parts.add(part.name() + " " + part.setupMillis() + " / " + part.shutdownMillis()
                    + (part.dependencies().isEmpty() ? "" : " (needs " + String.join(", ", part.dependencies()) + ")"));
        }
        return String.join(", ", parts);
    }

    /** The longest chain: the two roots are the only dependencies in this shape. */
    private static int criticalPath(boolean setup) {
        int roots = 0;
        int leaves = 0;
        for (OrderServiceShape.Part part : OrderServiceShape.PARTS) {
            int millis = setup ? part.setupMillis() : part.shutdownMillis();
            if (part.dependencies().isEmpty()) {
                roots = Math.max(roots, millis);
            }
            else {
                leaves = Math.max(leaves, millis);
            }
        }
        return roots + leaves;
    }

    private static int sum(boolean setup) {
        return OrderServiceShape.PARTS.stream()
                .mapToInt(part -> setup ? part.setupMillis() : part.shutdownMillis()).sum();
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
