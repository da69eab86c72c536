package dev.conductor.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one strategy did to one graph: how often each node was set up and shut down, and when. It lets the
 * harness (and the smoke test) check that a strategy is correct, not only fast: every node set up and shut
 * down exactly once, never before its dependencies were up, never while a dependent was still running.
 */
final class Trace {

    private final RandomDag dag;

    private final AtomicIntegerArray setups;

    private final AtomicIntegerArray shutdowns;

    private final AtomicLongArray setupStart;

    private final AtomicLongArray setupEnd;

    private final AtomicLongArray shutdownStart;

    private final AtomicLongArray shutdownEnd;

    Trace(RandomDag dag) {
        this.dag = dag;
        int size = dag.size;
        setups = new AtomicIntegerArray(size);
        shutdowns = new AtomicIntegerArray(size);
        setupStart = new AtomicLongArray(size);
        setupEnd = new AtomicLongArray(size);
        shutdownStart = new AtomicLongArray(size);
        shutdownEnd = new AtomicLongArray(size);
    }

    /** Sets up a node: records it and sleeps its setup latency, standing in for I/O. */
    void setup(int node) {
        setupStart.set(node, System.nanoTime());
        sleep(dag.setupMillis[node]);
        setups.incrementAndGet(node);
        setupEnd.set(node, System.nanoTime());
    }

    /** Shuts down a node: records it and sleeps its shutdown latency. */
    void shutdown(int node) {
        shutdownStart.set(node, System.nanoTime());
        sleep(dag.shutdownMillis[node]);
        shutdowns.incrementAndGet(node);
        shutdownEnd.set(node, System.nanoTime());
    }

    private static void sleep(int millis) {
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while standing in for I/O", ex);
        }
    }

    /**
     * The critical path by the setup latencies this run actually saw: sleeps overshoot when many threads wake
     * at once on few cores, and that is the machine, not the strategy. Makespan minus this is the time the
     * strategy itself lost between a dependency finishing and its dependent starting.
     */
    long measuredSetupCriticalPathNanos() {
        return measuredLongestPath(setupStart, setupEnd);
    }

    /** The same for shutdown. */
    long measuredShutdownCriticalPathNanos() {
        return measuredLongestPath(shutdownStart, shutdownEnd);
    }

    private long measuredLongestPath(AtomicLongArray start, AtomicLongArray end) {
        long[] finish = new long[dag.size];
        long longest = 0;
        for (int node = 0; node < dag.size; node++) {
            long begin = 0;
            for (int dependency : dag.dependencies[node]) {
                begin = Math.max(begin, finish[dependency]);
            }
            finish[node] = begin + (end.get(node) - start.get(node));
            longest = Math.max(longest, finish[node]);
        }
        return longest;
    }

    /** Every way in which the run broke the rules; empty for a correct run. */
    List<String> violations() {
        List<String> violations = new ArrayList<>();
        for (int node = 0; node < dag.size; node++) {
            if (setups.get(node) != 1 || shutdowns.get(node) != 1) {
                violations.add(RandomDag.name(node) + " was set up " + setups.get(node) + " and shut down "
                        + shutdowns.get(node) + " times");
                continue;
            }
            for (int dependency : dag.dependencies[node]) {
                if (setupStart.get(node) < setupEnd.get(dependency)) {
                    violations.add(RandomDag.name(node) + " started its setup before its dependency "
                            + RandomDag.name(dependency) + " was up");
                }
                if (shutdownStart.get(dependency) < shutdownEnd.get(node)) {
                    violations.add(RandomDag.name(dependency) + " started its shutdown before its dependent "
                            + RandomDag.name(node) + " was down");
                }
            }
        }
        return violations;
    }
}
