package dev.conductor.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * Shuts down every active component of a lifecycle, each the moment the last of its active dependents has
 * shut down (or failed to, or timed out). A failure never holds up the others: every failure is collected.
 */
final class ShutdownPhase extends Phase {

    private final boolean[] participating;

    private final AtomicIntegerArray waitingOn;

    private final Map<String, Throwable> failures = new LinkedHashMap<>();

    /** The active components that no active component depends on, found before any shutdown starts. */
    private final int[] first;

    ShutdownPhase(Lifecycle lifecycle, Executor executor) {
        super(lifecycle, Step.SHUTDOWN, executor);
        ComponentRecord[] records = lifecycle.records;
        participating = new boolean[records.length];
        for (ComponentRecord record : records) {
            participating[record.index] = record.state() == ComponentState.ACTIVE;
        }
        int[] counts = new int[records.length];
        for (int i = 0; i < records.length; i++) {
            if (participating[i]) {
                for (int dependency : lifecycle.graph.dependenciesOf(i)) {
                    counts[dependency]++;
                }
            }
        }
        waitingOn = new AtomicIntegerArray(counts);
        first = IntStream.range(0, records.length).filter(i -> participating[i] && counts[i] == 0).toArray();
    }

    @Override
    void launchFirst() {
        for (int index : first) {
            launch(lifecycle.records[index]);
        }
    }

    @Override
    void settled(ComponentRecord record, Throwable failure) {
        if (failure != null) {
            synchronized (failures) {
                failures.put(record.name(), failure);
            }
        }
        for (int dependency : lifecycle.graph.dependenciesOf(record.index)) {
            if (participating[dependency] && waitingOn.decrementAndGet(dependency) == 0) {
                launch(lifecycle.records[dependency]);
            }
        }
    }

    /** Runs the shutdown and returns the failures by component, in the order they happened. */
    Map<String, Throwable> shutDown() {
        runToCompletion();
        synchronized (failures) {
            return new LinkedHashMap<>(failures);
        }
    }
}
