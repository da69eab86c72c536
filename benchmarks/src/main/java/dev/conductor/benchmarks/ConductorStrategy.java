package dev.conductor.benchmarks;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;

/** Conductor's engine with its defaults: each node starts the moment its own dependencies are up. */
final class ConductorStrategy implements Strategy {

    @Override
    public String id() {
        return "conductor";
    }

    @Override
    public String name() {
        return "Conductor";
    }

    @Override
    public Prepared prepare(RandomDag dag, Trace trace) {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        for (int node = 0; node < dag.size; node++) {
            String[] dependencies = new String[dag.dependencies[node].length];
            for (int i = 0; i < dependencies.length; i++) {
                dependencies[i] = RandomDag.name(dag.dependencies[node][i]);
            }
            builder.add(ComponentDefinition.of(RandomDag.name(node), new Node(node, trace)).dependsOn(dependencies));
        }
        LifecycleEngine engine = LifecycleEngine.builder(builder.build()).build();
        return new Prepared() {
            @Override
            public void setup() {
                engine.setup();
            }

            @Override
            public void shutdown() {
                engine.shutdown();
            }
        };
    }

    private static final class Node implements Component {

        private final int node;

        private final Trace trace;

        Node(int node, Trace trace) {
            this.node = node;
            this.trace = trace;
        }

        @Override
        public void setup() {
            trace.setup(node);
        }

        @Override
        public void shutdown() {
            trace.shutdown(node);
        }
    }
}
