package dev.conductor.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * Shuts down every active component of a lifecycle, each the moment the last of its active dependents has
 * shut down (or failed to, or timed out). A failure never holds up the others: every failure is collected.
 *
 * <p>A component whose setup was given up at its timeout but has not returned yet (a rollback after a timeout)
 * takes part too: its dependencies wait until its setup has returned (and, if it succeeded late, the component
 * was shut down), for at most its shutdown timeout; past that they shut down anyway and the failure says so.
 */
final class ShutdownPhase extends Phase {

    private final boolean[] participating;

    /** Components whose abandoned setup is still running: their dependencies wait for its return. */
    private final boolean[] straggling;

    private final AtomicIntegerArray waitingOn;

    private final Map<String, Throwable> failures = new LinkedHashMap<>();

    /** The active components that no active component depends on, found before any shutdown starts. */
    private final int[] first;

    ShutdownPhase(Lifecycle lifecycle, Executor executor) {
        super(lifecycle, Step.SHUTDOWN, executor);
        ComponentRecord[] records = lifecycle.records;
        participating = new boolean[records.length];
        straggling = new boolean[records.length];
        for (ComponentRecord record : records) {
            participating[record.index] = record.state() == ComponentState.ACTIVE;
            straggling[record.index] = record.state() == ComponentState.FAILED && record.stillCalling();
        }
        int[] counts = new int[records.length];
        for (int i = 0; i < records.length; i++) {
            if (participating[i] || straggling[i]) {
                for (int dependency : lifecycle.graph.dependenciesOf(i)) {
                    counts[dependency]++;
                }
            }
        }
        waitingOn = new AtomicIntegerArray(counts);
        first = IntStream.range(0, records.length)
                .filter(i -> (participating[i] || straggling[i]) && counts[i] == 0).toArray();
    }

    @Override
    void launchFirst() {
        for (int index : first) {
            start(lifecycle.records[index]);
        }
    }

    private void start(ComponentRecord record) {
        if (straggling[record.index]) {
            awaitLateReturn(record);
        }
        else {
            launch(record);
        }
    }

    /** Settles a straggler once its abandoned setup has returned, or once its shutdown timeout has passed. */
    private void awaitLateReturn(ComponentRecord record) {
        hold();
        AtomicBoolean once = new AtomicBoolean();
        CompletableFuture<Void> lateReturn = record.lateReturn;
        long bound = Durations.saturatedNanos(lifecycle.shutdownTimeout(record));
        ScheduledFuture<?> timer = TimeoutScheduler.schedule(bound, () -> {
            if (once.compareAndSet(false, true)) {
                settled(record, new StepTimeoutException("'" + record.name() + "' timed out in its setup, and its"
                        + " setup had still not returned " + Durations.format(lifecycle.shutdownTimeout(record))
                        + " (its shutdown timeout) into the rollback: its dependencies were shut down while it"
                        + " may still be running"));
                release();
            }
        });
        lateReturn.whenComplete((ignored, failure) -> {
            if (once.compareAndSet(false, true)) {
                timer.cancel(false);
                settled(record, null);
                release();
            }
        });
    }

    @Override
    void settled(ComponentRecord record, Throwable failure) {
        if (failure != null) {
            synchronized (failures) {
                failures.put(record.name(), failure);
            }
        }
        for (int dependency : lifecycle.graph.dependenciesOf(record.index)) {
            if ((participating[dependency] || straggling[dependency])
                    && waitingOn.decrementAndGet(dependency) == 0) {
                start(lifecycle.records[dependency]);
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
