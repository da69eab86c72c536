package dev.conductor.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot startup with and without the Conductor starter: the same minimal non-web application started
 * many times in one JVM, after a warm-up, in three variants taken in turn so that drift hits them alike:
 *
 * <ol>
 * <li>{@code baseline}: 100 plain beans, Conductor's auto-configurations excluded (as if the starter were not
 * on the class path);</li>
 * <li>{@code starter-0}: the same 100 plain beans with the starter active and no component;</li>
 * <li>{@code starter-100}: the starter active and the 100 beans are {@code @ConductorComponent}s (no-op).</li>
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.StartupHarness [--runs=40] [--warmups=15]
 * </pre>
 *
 * <p>Startup time is from {@code SpringApplication.run} to its return (context refreshed and started); the
 * context is closed outside the clock. The goal is under 20 ms more than the baseline with 0 components.
 */
public final class StartupHarness {

    static final double GOAL_MILLIS = 20;

    private static final String IMPORTS =
            "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

    private StartupHarness() {
    }

    /** One application variant. */
    enum Variant {
        BASELINE("baseline: 100 plain beans, no starter", StartupApps.PlainBeans.class, false),
        STARTER_0("starter + 0 components (100 plain beans)", StartupApps.PlainBeans.class, true),
        STARTER_100("starter + 100 @ConductorComponent beans", StartupApps.ComponentBeans.class, true);

        final String label;

        final Class<?> beans;

        final boolean starter;

        Variant(String label, Class<?> beans, boolean starter) {
            this.label = label;
            this.beans = beans;
            this.starter = starter;
        }
    }

    /** The median startup per variant, and how many Conductor components the last context of each ran. */
    record Result(Variant variant, double medianMillis, int components) {
    }

    public static void main(String[] args) throws IOException {
        Args parsed = Args.parse(args, "runs", "warmups");
        run(parsed.intValue("runs", 40), parsed.intValue("warmups", 15), System.out);
    }

    static List<Result> run(int runs, int warmups, PrintStream out) throws IOException {
        List<String> conductorAutoConfigurations = conductorAutoConfigurations();
        out.printf(Locale.ROOT, "Spring Boot startup: median of %d start(s) per variant after %d warm-up round(s);"
                + " Java %s, %d CPUs; Conductor auto-configurations found: %s%n%n", runs, warmups,
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                conductorAutoConfigurations.isEmpty() ? "none (the starter is not there yet)"
                        : String.join(", ", conductorAutoConfigurations));
        Variant[] variants = Variant.values();
        double[][] millis = new double[variants.length][runs];
        int[] components = new int[variants.length];
        for (int round = -warmups; round < runs; round++) {
            for (int v = 0; v < variants.length; v++) {
                long start = System.nanoTime();
                ConfigurableApplicationContext context = start(variants[v], conductorAutoConfigurations);
                long end = System.nanoTime();
                components[v] = StartupApps.startedComponents(context);
                context.close();
                if (round >= 0) {
                    millis[v][round] = Stats.millis(end - start);
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < variants.length; v++) {
            results.add(new Result(variants[v], Stats.median(millis[v]), components[v]));
        }
        print(results, out);
        return results;
    }

    private static ConfigurableApplicationContext start(Variant variant, List<String> conductorAutoConfigurations) {
        SpringApplication application = new SpringApplication(StartupApps.Application.class, variant.beans);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        List<String> properties = new ArrayList<>(List.of("logging.level.root=WARN",
                "spring.main.register-shutdown-hook=false"));
        if (!variant.starter && !conductorAutoConfigurations.isEmpty()) {
            properties.add("spring.autoconfigure.exclude=" + String.join(",", conductorAutoConfigurations));
        }
        application.setDefaultProperties(toProperties(properties));
        return application.run();
    }

    private static java.util.Properties toProperties(List<String> pairs) {
        java.util.Properties properties = new java.util.Properties();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            properties.setProperty(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return properties;
    }

    /**
     * Conductor's auto-configurations, read from the class path rather than named here, so that the harness
     * keeps compiling and excluding the right classes while the starter changes.
     */
    static List<String> conductorAutoConfigurations() throws IOException {
        List<String> names = new ArrayList<>();
        Enumeration<URL> resources = StartupHarness.class.getClassLoader().getResources(IMPORTS);
        for (URL resource : Collections.list(resources)) {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(resource.openStream(), StandardCharsets.UTF_8))) {
                reader.lines().map(String::trim).filter(line -> line.startsWith("dev.conductor."))
                        .forEach(names::add);
            }
        }
        return names;
    }

    private static void print(List<Result> results, PrintStream out) {
        double baseline = results.get(0).medianMillis();
        out.println("| Variant | Median startup ms | Difference to baseline ms | Conductor components started "
                + "| Goal (< 20 ms with 0 components) |");
        out.println("| --- | ---: | ---: | ---: | --- |");
        for (Result result : results) {
            double difference = result.medianMillis() - baseline;
            out.printf(Locale.ROOT, "| %s | %.1f | %+.1f | %d | %s |%n", result.variant().label,
                    result.medianMillis(), difference, result.components(),
                    result.variant() == Variant.STARTER_0 ? (difference < GOAL_MILLIS ? "yes" : "no") : "");
        }
        out.println();
    }
}
