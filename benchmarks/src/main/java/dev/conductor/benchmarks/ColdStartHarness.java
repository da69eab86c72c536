package dev.conductor.benchmarks;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter's cost in a cold start: a child JVM per start, from starting it to {@code SpringApplication.run}
 * returning (the child prints {@code READY}), the variants interleaved run by run; and, in one more start per
 * variant with {@code -Xlog:class+load}, how many classes the JVM loaded and how many of them are Conductor's.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.ColdStartHarness [--runs=10] [--warmups=1]
 *     [--before=other/benchmarks.jar]
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.ColdStartHarness --steps=10
 *     [--before=other/benchmarks.jar]
 * </pre>
 *
 * <p>Variants: {@code baseline} (Conductor's auto-configurations excluded and its Spring Boot listener removed, as if
 * the starter were not on the class path), {@code starter-0} (the starter, no component), {@code starter-4} (four
 * independent no-op components). A non-web application with whatever else is on the benchmarks' class path
 * auto-configured.
 *
 * <p>Besides the wall-clock time, each child reports the CPU time its main thread had used when {@code run}
 * returned: the startup runs on that thread, so its CPU time follows the work done, and varies far less than the
 * wall-clock time when other processes share the machine. With {@code --before}, every variant also runs with that
 * class path (the benchmarks jar of another build), interleaved with this one's: a before/after in one run.
 * With {@code --steps=N}, it shows instead where starter-0's time goes: the main thread's CPU time per startup step
 * (a bean's creation, a post-processor's run, the configuration classes' parsing), starter-0 against baseline.
 */
public final class ColdStartHarness {

    private static final String[] VARIANTS = { "baseline", "starter-0", "starter-4" };

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, "runs", "warmups", "child", "cpu", "before", "steps");
        String child = parsed.value("child", "");
        if (!child.isEmpty()) {
            runChild(child, Boolean.parseBoolean(parsed.value("cpu", "false")),
                    Boolean.parseBoolean(parsed.value("steps", "false")));
            return;
        }
        int steps = parsed.intValue("steps", 0);
        if (steps > 0) {
            steps(steps, parsed.value("before", ""));
            return;
        }
        run(parsed.intValue("runs", 10), parsed.intValue("warmups", 1), parsed.value("before", ""));
    }

    /**
     * Where starter-0's time goes: {@code runs} interleaved starts of baseline and starter-0 (after one warm-up
     * each), each child recording its starting thread's CPU time per startup step ({@link StepCpu}); prints the
     * steps whose medians differ by 0.3 ms or more.
     */
    static void steps(int runs, String before) throws Exception {
        System.out.printf(Locale.ROOT, "Main thread CPU ms per startup step (less the steps nested in it), median of %d"
                + " start(s) per variant; Java %s, load average %.2f%n", runs, Runtime.version(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, String> classPaths = new LinkedHashMap<>();
        if (!before.isEmpty()) {
            classPaths.put("starter-0 (before)", before);
        }
        classPaths.put("starter-0", System.getProperty("java.class.path"));
        Map<String, Map<String, List<Double>>> measured = new LinkedHashMap<>();
        for (int run = -1; run < runs; run++) {
            Map<String, Double> baseline = stepMillis("baseline", System.getProperty("java.class.path"));
            if (run >= 0) {
                addTo(measured, "baseline", baseline);
            }
            for (Map.Entry<String, String> classPath : classPaths.entrySet()) {
                Map<String, Double> starter = stepMillis("starter-0", classPath.getValue());
                if (run >= 0) {
                    addTo(measured, classPath.getKey(), starter);
                }
            }
        }
        System.out.printf(Locale.ROOT, "Load average after the runs: %.2f%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String variant : classPaths.keySet()) {
            Map<String, List<Double>> starter = measured.get(variant);
            Map<String, List<Double>> baseline = measured.get("baseline");
            List<Map.Entry<String, Double>> differences = new ArrayList<>();
            java.util.Set<String> keys = new java.util.TreeSet<>(starter.keySet());
            keys.addAll(baseline.keySet());
            for (String key : keys) {
                differences.add(Map.entry(key, median(starter, key, runs) - median(baseline, key, runs)));
            }
            differences.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            System.out.println("| " + variant + " minus baseline | ms | baseline ms | " + variant + " ms |");
            System.out.println("| --- | ---: | ---: | ---: |");
            System.out.printf(Locale.ROOT, "| (all: the median of the totals) | %+.1f | %.1f | %.1f |%n",
                    Stats.median(totals(starter, runs)) - Stats.median(totals(baseline, runs)),
                    Stats.median(totals(baseline, runs)), Stats.median(totals(starter, runs)));
            for (Map.Entry<String, Double> difference : differences) {
                if (Math.abs(difference.getValue()) >= 0.3) {
                    System.out.printf(Locale.ROOT, "| %s | %+.1f | %.1f | %.1f |%n", difference.getKey(),
                            difference.getValue(), median(baseline, difference.getKey(), runs),
                            median(starter, difference.getKey(), runs));
                }
            }
            System.out.println();
        }
    }

    private static void addTo(Map<String, Map<String, List<Double>>> measured, String variant,
            Map<String, Double> millis) {
        Map<String, List<Double>> byStep = measured.computeIfAbsent(variant, key -> new HashMap<>());
        millis.forEach((step, value) -> byStep.computeIfAbsent(step, key -> new ArrayList<>()).add(value));
    }

    /** The median of a step's times, a start without the step counting as 0. */
    private static double median(Map<String, List<Double>> byStep, String step, int runs) {
        double[] values = new double[runs];
        List<Double> measured = byStep.getOrDefault(step, List.of());
        for (int i = 0; i < measured.size() && i < runs; i++) {
            values[i] = measured.get(i);
        }
        return Stats.median(values);
    }

    private static double[] totals(Map<String, List<Double>> byStep, int runs) {
        double[] totals = new double[runs];
        for (List<Double> values : byStep.values()) {
            for (int i = 0; i < values.size() && i < runs; i++) {
                totals[i] += values.get(i);
            }
        }
        return totals;
    }

    /** Starts one child that records its steps; returns its milliseconds by step. */
    private static Map<String, Double> stepMillis(String variant, String classPath) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", classPath, ColdStartHarness.class.getName(),
                "--child=" + variant, "--steps=true").redirectErrorStream(true).start();
        Map<String, Double> millis = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("STEP ")) {
                    int tab = line.lastIndexOf('\t');
                    millis.put(line.substring(5, tab), Double.parseDouble(line.substring(tab + 1)));
                }
                output.add(line);
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || millis.isEmpty()) {
            process.destroyForcibly();
            throw new IllegalStateException(variant + " did not start; its output: " + output);
        }
        return millis;
    }

    static void run(int runs, int warmups, String before) throws Exception {
        System.out.printf(Locale.ROOT, "Cold start, a child JVM per start, %d run(s) per variant after %d warm-up(s),"
                + " interleaved; Java %s, %d CPUs, load average %.2f%n%n", runs, warmups, Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, String> classPaths = new LinkedHashMap<>();
        if (!before.isEmpty()) {
            classPaths.put(" (before)", before);
        }
        classPaths.put("", System.getProperty("java.class.path"));
        Map<String, double[]> millis = new HashMap<>();
        Map<String, double[]> cpu = new HashMap<>();
        for (String suffix : classPaths.keySet()) {
            for (String variant : VARIANTS) {
                millis.put(variant + suffix, new double[runs]);
                cpu.put(variant + suffix, new double[runs]);
            }
        }
        for (int run = -warmups; run < runs; run++) {
            for (String variant : VARIANTS) {
                for (Map.Entry<String, String> classPath : classPaths.entrySet()) {
                    double[] measured = start(variant, classPath.getValue(), null);
                    if (run >= 0) {
                        millis.get(variant + classPath.getKey())[run] = measured[0];
                        cpu.get(variant + classPath.getKey())[run] = measured[1];
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "Load average after the timed runs: %.2f%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| Variant | JVM start to ready ms (median) | min-max | Main thread CPU ms (median) | min-max"
                + " | Classes loaded | Conductor's |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, String> classPath : classPaths.entrySet()) {
            double baseline = Stats.median(millis.get("baseline" + classPath.getKey()));
            double baselineCpu = Stats.median(cpu.get("baseline" + classPath.getKey()));
            for (String variant : VARIANTS) {
                Path log = Files.createTempFile("class-load-" + variant, ".log");
                try {
                    start(variant, classPath.getValue(), log);
                    List<String> lines = Files.readAllLines(log);
                    long conductor = lines.stream().filter(line -> line.contains(" dev.conductor.spring.")
                            || line.contains(" dev.conductor.core.")).count();
                    double[] values = millis.get(variant + classPath.getKey());
                    double[] cpuValues = cpu.get(variant + classPath.getKey());
                    System.out.printf(Locale.ROOT, "| %s | %.0f (%+.0f) | %.0f-%.0f | %.0f (%+.0f) | %.0f-%.0f | %d | %d |%n",
                            variant + classPath.getKey(), Stats.median(values), Stats.median(values) - baseline,
                            Arrays.stream(values).min().orElse(Double.NaN),
                            Arrays.stream(values).max().orElse(Double.NaN), Stats.median(cpuValues),
                            Stats.median(cpuValues) - baselineCpu, Arrays.stream(cpuValues).min().orElse(Double.NaN),
                            Arrays.stream(cpuValues).max().orElse(Double.NaN), lines.size(), conductor);
                }
                finally {
                    Files.deleteIfExists(log);
                }
            }
        }
    }

    /**
     * Starts one child with {@code classPath}; returns the milliseconds from starting it to its READY line, and the
     * CPU milliseconds its main thread had used by then ({@code NaN} when the class loading is logged).
     */
    private static double[] start(String variant, String classPath, Path classLog) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", classPath, ColdStartHarness.class.getName(), "--child=" + variant,
                "--cpu=" + (classLog == null)));
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long ready = -1;
        double cpu = Double.NaN;
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("READY") && ready < 0) {
                    ready = System.nanoTime();
                }
                if (line.startsWith("CPU ")) {
                    cpu = Double.parseDouble(line.substring(4));
                }
                output.add(line);
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || ready < 0
                || (classLog == null && Double.isNaN(cpu))) {
            process.destroyForcibly();
            throw new IllegalStateException(variant + " did not start; its output: " + output);
        }
        return new double[] { (ready - begin) / 1e6, cpu };
    }

    private static void runChild(String variant, boolean cpu, boolean steps) throws Exception {
        StepCpu stepCpu = steps ? new StepCpu() : null;
        List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=WARN",
                "spring.main.web-application-type=none"));
        if (variant.equals("baseline")) {
            properties.add("spring.autoconfigure.exclude="
                    + String.join(",", StartupHarness.conductorAutoConfigurations()));
        }
        SpringApplication application = variant.equals("starter-4")
                ? new SpringApplication(Application.class, FourComponents.class)
                : new SpringApplication(Application.class);
        if (variant.equals("baseline")) {
            // the listener Conductor registers in spring.factories (its class is loaded all the same)
            Set<ApplicationListener<?>> listeners = new LinkedHashSet<>(application.getListeners());
            listeners.removeIf(listener -> listener.getClass().getName().startsWith("dev.conductor."));
            application.setListeners(listeners);
        }
        Map<String, Object> defaults = new HashMap<>();
        properties.forEach(p -> defaults.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)));
        application.setDefaultProperties(defaults);
        if (stepCpu != null) {
            application.setApplicationStartup(stepCpu);
        }
        ConfigurableApplicationContext context = application.run();
        System.out.println("READY " + variant);
        if (stepCpu != null) {
            stepCpu.millis().forEach((step, ms) -> System.out.println("STEP " + step + "\t" + ms));
        }
        System.out.flush();
        if (cpu) { // after READY: the management classes this loads are not part of the start
            System.out.println("CPU " + ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6);
            System.out.flush();
        }
        context.close();
    }

    /** Auto-configuration only. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    @Configuration(proxyBeanMethods = false)
    static class FourComponents {

        @Bean
        @ConductorComponent
        NoOp database() {
            return new NoOp();
        }

        @Bean
        @ConductorComponent
        NoOp messageQueue() {
            return new NoOp();
        }

        @Bean
        @ConductorComponent
        NoOp webApi() {
            return new NoOp();
        }

        @Bean
        @ConductorComponent
        NoOp backgroundWorkers() {
            return new NoOp();
        }
    }

    static final class NoOp implements Component {
    }
}
