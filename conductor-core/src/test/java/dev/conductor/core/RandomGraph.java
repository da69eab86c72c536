package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A random DAG of up to 60 components with random faults, and a monitor that checks the ordering invariants as
 * the engine calls the components. Everything derives from the seed, so a failing seed reproduces.
 */
final class RandomGraph {

    enum Fault { NONE, SETUP_THROWS, SETUP_HANGS, SHUTDOWN_THROWS, SHUTDOWN_HANGS }

    static final Duration HANG_TIMEOUT = Duration.ofMillis(20);

    static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(30);

    final long seed;

    final int size;

    final List<List<Integer>> dependencies = new ArrayList<>();

    final List<List<Integer>> dependents = new ArrayList<>();

    final Fault[] faults;

    final Node[] nodes;

    final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    /** Components whose next setup fails, once each. */
    final Set<Integer> failNextSetup = ConcurrentHashMap.newKeySet();

    /** How many of its first setup attempts each component fails before one succeeds; none unless set. */
    int[] failFirst;

    /** Runs at the start of every setup, with the component's index: calls back into the engine, for example. */
    volatile java.util.function.IntConsumer insideSetup = index -> { };

    /** Runs at the start of every shutdown, with the component's index, after the order is checked. */
    volatile java.util.function.IntConsumer insideShutdown = index -> { };

    /**
     * Set once a shutdown deadline passed: the shutdowns still waiting for their dependents then start at once,
     * out of order, as documented, so the order is no longer checked until the test clears it.
     */
    volatile boolean outOfOrder;

    /** Components whose setup returned normally and whose shutdown has not started. */
    final Set<Integer> active = ConcurrentHashMap.newKeySet();

    /** Components whose shutdown has returned, or was abandoned by its timeout. */
    final Set<Integer> down = ConcurrentHashMap.newKeySet();

    RandomGraph(long seed, double faultRate) {
        this.seed = seed;
        Random random = new Random(seed);
        size = 1 + random.nextInt(60);
        double edgeChance = Math.min(1.0, 3.0 / Math.max(1, size / 2.0));
        for (int i = 0; i < size; i++) {
            List<Integer> own = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextDouble() < edgeChance * random.nextDouble()) {
                    own.add(j);
                }
            }
            dependencies.add(own);
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++) {
            for (int dependency : dependencies.get(i)) {
                dependents.get(dependency).add(i);
            }
        }
        faults = new Fault[size];
        nodes = new Node[size];
        for (int i = 0; i < size; i++) {
            faults[i] = random.nextDouble() < faultRate
                    ? Fault.values()[1 + random.nextInt(Fault.values().length - 1)] : Fault.NONE;
            nodes[i] = new Node(i);
        }
    }

    static String name(int index) {
        return "c" + index;
    }

    /** The graph, with its components added in a shuffled order so that indices say nothing about order. */
    ComponentGraph.Builder graph() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 31));
        ComponentGraph.Builder graph = ComponentGraph.builder();
        for (int i : order) {
            List<String> names = new ArrayList<>();
            dependencies.get(i).forEach(dependency -> names.add(name(dependency)));
            ComponentDefinition definition = ComponentDefinition.of(name(i), nodes[i]).dependsOn(names);
            if (faults[i] == Fault.SETUP_HANGS) {
                definition = definition.withSetupTimeout(HANG_TIMEOUT);
            }
            if (faults[i] == Fault.SHUTDOWN_HANGS) {
                definition = definition.withShutdownTimeout(HANG_TIMEOUT);
            }
            graph.add(definition);
        }
        return graph;
    }

    /** Whether a setup or shutdown of some component is running. */
    boolean busy() {
        for (Node node : nodes) {
            if (node.calls.get() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The components with a call running, with their faults, for a failure message. */
    String busyCalls() {
        List<String> busy = new ArrayList<>();
        for (Node node : nodes) {
            if (node.calls.get() > 0) {
                busy.add(name(node.index) + " (" + faults[node.index] + ", " + node.setups + " setups, "
                        + node.shutdowns + " shutdowns)");
            }
        }
        return busy.toString();
    }

    boolean hasSetupFault(int index) {
        return faults[index] == Fault.SETUP_THROWS || faults[index] == Fault.SETUP_HANGS;
    }

    boolean hasShutdownFault(int index) {
        return faults[index] == Fault.SHUTDOWN_THROWS || faults[index] == Fault.SHUTDOWN_HANGS;
    }

    @Override
    public String toString() {
        return "seed " + seed + " (" + size + " components)";
    }

    final class Node implements Component {

        final int index;

        final AtomicInteger setups = new AtomicInteger();

        final AtomicInteger setupsReturned = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        /** Calls of setup() or shutdown() under way: never more than one. */
        private final AtomicInteger calls = new AtomicInteger();

        Node(int index) {
            this.index = index;
        }

        @Override
        public void setup() throws Exception {
            enter("setup");
            try {
                checkedSetup();
            }
            finally {
                calls.decrementAndGet();
            }
        }

        private void enter(String step) {
            if (calls.incrementAndGet() > 1) {
                violations.add(name(index) + ": " + step + " called while another call on it was running");
            }
        }

        private void checkedSetup() throws Exception {
            int attempt = setups.incrementAndGet();
            insideSetup.accept(index);
            for (int dependency : dependencies.get(index)) {
                if (!active.contains(dependency)) {
                    violations.add(name(index) + " set up before its dependency " + name(dependency) + " was active");
                }
            }
            if (failNextSetup.remove(index)) {
                throw new IllegalStateException("setup of " + name(index) + " failed this once");
            }
            if (failFirst != null && attempt <= failFirst[index]) {
                throw new IllegalStateException("attempt " + attempt + " of " + name(index) + " failed");
            }
            switch (faults[index]) {
                case SETUP_THROWS -> throw new IllegalStateException("setup of " + name(index) + " failed");
                case SETUP_HANGS -> new CountDownLatch(1).await();
                default -> { }
            }
            active.add(index);
            setupsReturned.incrementAndGet();
        }

        @Override
        public void shutdown() throws Exception {
            enter("shutdown");
            try {
                checkedShutdown();
            }
            finally {
                calls.decrementAndGet();
            }
        }

        private void checkedShutdown() throws Exception {
            shutdowns.incrementAndGet();
            for (int dependent : outOfOrder ? List.<Integer>of() : dependents.get(index)) {
                boolean stillShuttingDown = nodes[dependent].shutdowns.get() > 0 && !down.contains(dependent)
                        && faults[dependent] != Fault.SHUTDOWN_HANGS; // abandoned at its timeout
                if (active.contains(dependent) || stillShuttingDown) {
                    violations.add(name(index) + " shut down while its dependent " + name(dependent) + " was active");
                }
            }
            if (!active.remove(index)) {
                violations.add(name(index) + " shut down while not set up (shut down twice, or never set up)");
            }
            try {
                insideShutdown.accept(index);
                switch (faults[index]) {
                    case SHUTDOWN_THROWS -> throw new IllegalStateException("shutdown of " + name(index) + " failed");
                    case SHUTDOWN_HANGS -> new CountDownLatch(1).await();
                    default -> { }
                }
            }
            finally {
                down.add(index);
            }
        }
    }
}
