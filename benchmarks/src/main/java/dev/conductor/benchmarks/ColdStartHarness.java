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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
 * </pre>
 *
 * <p>Variants: {@code baseline} (Conductor's auto-configurations excluded, as if the starter were not on the class
 * path), {@code starter-0} (the starter, no component), {@code starter-4} (four independent no-op components). A non-web
 * application with whatever else is on the benchmarks' class path auto-configured.
 */
public final class ColdStartHarness {

    private static final String[] VARIANTS = { "baseline", "starter-0", "starter-4" };

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, "runs", "warmups", "child");
        String child = parsed.value("child", "");
        if (!child.isEmpty()) {
            runChild(child);
            return;
        }
        run(parsed.intValue("runs", 10), parsed.intValue("warmups", 1));
    }

    static void run(int runs, int warmups) throws Exception {
        System.out.printf(Locale.ROOT, "Cold start, a child JVM per start, %d run(s) per variant after %d warm-up(s),"
                + " interleaved; Java %s, %d CPUs, load average %.2f%n%n", runs, warmups, Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, double[]> millis = new HashMap<>();
        for (String variant : VARIANTS) {
            millis.put(variant, new double[runs]);
        }
        for (int run = -warmups; run < runs; run++) {
            for (String variant : VARIANTS) {
                double elapsed = start(variant, null);
                if (run >= 0) {
                    millis.get(variant)[run] = elapsed;
                }
            }
        }
        System.out.println("| Variant | JVM start to ready ms (median) | min-max | Classes loaded | Conductor's |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        double baseline = Stats.median(millis.get("baseline"));
        for (String variant : VARIANTS) {
            Path log = Files.createTempFile("class-load-" + variant, ".log");
            try {
                start(variant, log);
                List<String> lines = Files.readAllLines(log);
                long conductor = lines.stream().filter(line -> line.contains(" dev.conductor.spring.")
                        || line.contains(" dev.conductor.core.")).count();
                double[] values = millis.get(variant);
                System.out.printf(Locale.ROOT, "| %s | %.0f (%+.0f) | %.0f-%.0f | %d | %d |%n", variant,
                        Stats.median(values), Stats.median(values) - baseline,
                        java.util.Arrays.stream(values).min().orElse(Double.NaN),
                        java.util.Arrays.stream(values).max().orElse(Double.NaN), lines.size(), conductor);
            }
            finally {
                Files.deleteIfExists(log);
            }
        }
    }

    /** Starts one child; returns the milliseconds from starting it to its READY line. */
    private static double start(String variant, Path classLog) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStartHarness.class.getName(),
                "--child=" + variant));
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long ready = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("READY") && ready < 0) {
                    ready = System.nanoTime();
                }
                output.add(line);
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || ready < 0) {
            process.destroyForcibly();
            throw new IllegalStateException(variant + " did not start; its output: " + output);
        }
        return (ready - begin) / 1e6;
    }

    private static void runChild(String variant) throws Exception {
        List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=WARN",
                "spring.main.web-application-type=none"));
        if (variant.equals("baseline")) {
            properties.add("spring.autoconfigure.exclude="
                    + String.join(",", StartupHarness.conductorAutoConfigurations()));
        }
        SpringApplication application = variant.equals("starter-4")
                ? new SpringApplication(Application.class, FourComponents.class)
                : new SpringApplication(Application.class);
        Map<String, Object> defaults = new HashMap<>();
        properties.forEach(p -> defaults.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)));
        application.setDefaultProperties(defaults);
        ConfigurableApplicationContext context = application.run();
        System.out.println("READY " + variant);
        System.out.flush();
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
