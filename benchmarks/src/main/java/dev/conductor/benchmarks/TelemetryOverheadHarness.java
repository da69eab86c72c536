package dev.conductor.benchmarks;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * What watching the engine costs: setup plus shutdown of no-op components per component, with nothing watching,
 * with a JDK Flight Recorder recording (Conductor's events disabled, then enabled), and with the starter's
 * observations (a registry without a handler, then with one). The variants take turns within each round, so that
 * a machine whose load changes affects them alike; medians over the rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.TelemetryOverheadHarness \
 *     [--size=10000] [--shapes=sparse,wide,chain] [--rounds=15] [--warmups=10]
 *     [--variants=plain,jfr-conductor-off,jfr-conductor-on,observation-noop,observation-handler]
 * </pre>
 */
public final class TelemetryOverheadHarness {

    private TelemetryOverheadHarness() {
    }

    public static void main(String[] args) {
        Args parsed = Args.parse(args, "size", "shapes", "rounds", "warmups", "variants");
        List<NoOpGraphs.Shape> shapes = Arrays.stream(parsed.value("shapes", "sparse,wide,chain").split(","))
                .map(NoOpGraphs.Shape::of).toList();
        List<Telemetry> variants = Arrays.stream(parsed.value("variants",
                "plain,jfr-conductor-off,jfr-conductor-on,observation-noop,observation-handler").split(","))
                .map(Telemetry::of).toList();
        run(parsed.intValue("size", 10_000), shapes, variants, parsed.intValue("rounds", 15),
                parsed.intValue("warmups", 10), System.out);
    }

    static Map<NoOpGraphs.Shape, Map<Telemetry, double[]>> run(int size, List<NoOpGraphs.Shape> shapes,
            List<Telemetry> variants, int rounds, int warmups, PrintStream out) {
        out.printf(Locale.ROOT, "Telemetry overhead: %,d no-op components, setup + shutdown, variants in turn each"
                + " round, median of %d round(s) after %d warm-up(s); Java %s, %d CPUs%n%n", size, rounds, warmups,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        out.println("| Shape | Variant | Setup + shutdown µs/comp | Allocated B/comp | vs plain |");
        out.println("| --- | --- | ---: | ---: | ---: |");
        Map<NoOpGraphs.Shape, Map<Telemetry, double[]>> results = new EnumMap<>(NoOpGraphs.Shape.class);
        for (NoOpGraphs.Shape shape : shapes) {
            Map<Telemetry, List<Double>> micros = new EnumMap<>(Telemetry.class);
            Map<Telemetry, List<Double>> bytes = new EnumMap<>(Telemetry.class);
            for (int round = -warmups; round < rounds; round++) {
                ComponentGraph graph = NoOpGraphs.Blueprint.of(shape, size, round).build();
                for (Telemetry variant : variants) {
                    double[] measured = measure(graph, variant, size);
                    if (round >= 0) {
                        micros.computeIfAbsent(variant, key -> new ArrayList<>()).add(measured[0]);
                        bytes.computeIfAbsent(variant, key -> new ArrayList<>()).add(measured[1]);
                    }
                }
            }
            Map<Telemetry, double[]> medians = new EnumMap<>(Telemetry.class);
            for (Telemetry variant : variants) {
                medians.put(variant, new double[] { median(micros.get(variant)), median(bytes.get(variant)) });
            }
            double plain = medians.containsKey(Telemetry.PLAIN) ? medians.get(Telemetry.PLAIN)[0] : Double.NaN;
            for (Telemetry variant : variants) {
                double[] median = medians.get(variant);
                out.printf(Locale.ROOT, "| %s | %s | %.2f | %,.0f | %s |%n", shape.name().toLowerCase(Locale.ROOT),
                        variant.label, median[0], median[1], Double.isNaN(plain) ? ""
                                : String.format(Locale.ROOT, "%+.0f %%", (median[0] / plain - 1) * 100));
            }
            results.put(shape, medians);
        }
        out.println();
        return results;
    }

    /** µs per component and bytes per component of one setup and shutdown. */
    private static double[] measure(ComponentGraph graph, Telemetry variant, int size) {
        Recording recording = variant.startRecording();
        try {
            Telemetry.Cycle cycle = variant.engine(graph, LifecycleEngine.builder(graph));
            long allocatedBefore = AllocationCounter.allocatedBytes();
            long start = System.nanoTime();
            cycle.setup().run();
            cycle.shutdown().run();
            long end = System.nanoTime();
            long allocated = AllocationCounter.allocatedBytes() - allocatedBefore;
            if (cycle.engine().isActive()) {
                throw new IllegalStateException("The engine is still active after its shutdown");
            }
            return new double[] { (end - start) / 1e3 / size, (double) allocated / size };
        }
        finally {
            if (recording != null) {
                recording.close();
            }
        }
    }

    private static double median(List<Double> values) {
        return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
