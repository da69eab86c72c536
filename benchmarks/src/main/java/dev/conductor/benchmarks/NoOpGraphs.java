package dev.conductor.benchmarks;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import java.util.Locale;

/**
 * Graphs of components that do nothing, so that what is measured is the engine: launching, ordering,
 * timeouts, state changes. Every component is its own instance, as the graph requires.
 */
final class NoOpGraphs {

    private NoOpGraphs() {
    }

    /** The shapes the overhead benchmarks run. */
    enum Shape {
        /** Three random dependencies per component among the earlier ones, like the makespan graphs. */
        SPARSE,
        /** No dependencies at all: everything is launched at once. */
        WIDE,
        /** Each component depends on the one before: nothing overlaps, every hop is a hand-off. */
        CHAIN;

        static Shape of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    static ComponentGraph build(Shape shape, int size, long seed) {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        RandomDag sparse = shape == Shape.SPARSE ? RandomDag.generate(seed, size, 3, 0, 0) : null;
        for (int node = 0; node < size; node++) {
            String[] dependencies = switch (shape) {
                case SPARSE -> names(sparse.dependencies[node]);
                case WIDE -> new String[0];
                case CHAIN -> node == 0 ? new String[0] : new String[] { RandomDag.name(node - 1) };
            };
            builder.add(ComponentDefinition.of(RandomDag.name(node), new NoOp()).dependsOn(dependencies));
        }
        return builder.build();
    }

    private static String[] names(int[] nodes) {
        String[] names = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            names[i] = RandomDag.name(nodes[i]);
        }
        return names;
    }

    /** Inherits the empty setup and shutdown. */
    static final class NoOp implements Component {
    }
}
