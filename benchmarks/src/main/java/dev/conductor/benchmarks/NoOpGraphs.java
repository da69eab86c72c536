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
        return Blueprint.of(shape, size, seed).build();
    }

    /**
     * Everything a graph is made of before Conductor sees it: the names, each component's dependency names and
     * the instances. An application has these already, so only {@link #build()} is what a user pays at start.
     */
    record Blueprint(String[] names, String[][] dependencies, Component[] components) {

        static Blueprint of(Shape shape, int size, long seed) {
            RandomDag sparse = shape == Shape.SPARSE ? RandomDag.generate(seed, size, 3, 0, 0) : null;
            String[] names = new String[size];
            String[][] dependencies = new String[size][];
            Component[] components = new Component[size];
            for (int node = 0; node < size; node++) {
                names[node] = RandomDag.name(node);
                components[node] = new NoOp();
            }
            for (int node = 0; node < size; node++) {
                dependencies[node] = switch (shape) {
                    case SPARSE -> pick(sparse.dependencies[node], names);
                    case WIDE -> new String[0];
                    case CHAIN -> node == 0 ? new String[0] : new String[] { names[node - 1] };
                };
            }
            return new Blueprint(names, dependencies, components);
        }

        /** One definition per component, then the validated graph. */
        ComponentGraph build() {
            ComponentGraph.Builder builder = ComponentGraph.builder();
            for (int node = 0; node < names.length; node++) {
                builder.add(ComponentDefinition.of(names[node], components[node]).dependsOn(dependencies[node]));
            }
            return builder.build();
        }
    }

    private static String[] pick(int[] nodes, String[] names) {
        String[] picked = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            picked[i] = names[nodes[i]];
        }
        return picked;
    }

    /** Inherits the empty setup and shutdown. */
    static final class NoOp implements Component {
    }
}
