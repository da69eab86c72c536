package dev.conductor.core;

import java.time.Duration;
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

    /**
     * The records this phase shuts down, taken when it was made: it never acts on a record a later phase (a restart,
     * a new grant of a role) made for the same component, even from a shutdown that goes on after this phase ended.
     */
    private final ComponentRecord[] records;

    private final boolean[] participating;

    /** Components whose abandoned setup is still running: their dependencies wait for its return. */
    private final boolean[] straggling;

    /**
     * For each component, how many of its dependents it still waits for; once the deadline has launched it, a value
     * so low that dependents settling later never count it down to zero and launch it a second time.
     */
    private final AtomicIntegerArray waitingOn;

    private static final int LAUNCHED_AT_DEADLINE = Integer.MIN_VALUE / 2;

    /**
     * For each component the deadline moved to shutting down before a worker took it: {@link #MOVED} until the one
     * worker it was launched to takes it ({@link #TAKEN}), which then runs its shutdown without moving it again.
     */
    private final AtomicIntegerArray movedAtDeadline;

    private static final int MOVED = 1;

    private static final int TAKEN = 2;

    private final Map<String, Throwable> failures = new LinkedHashMap<>();

    /** The active components that no active component depends on, found before any shutdown starts. */
    private final int[] first;

    ShutdownPhase(Lifecycle lifecycle, Executor executor) {
        this(lifecycle, executor, null);
    }

    /**
     * Shuts down only the components marked in {@code part} (a component and its transitive dependents, for a
     * restart), or all when it is {@code null}.
     */
    ShutdownPhase(Lifecycle lifecycle, Executor executor, boolean[] part) {
        super(lifecycle, Step.SHUTDOWN, executor);
        records = lifecycle.records.clone();
        participating = new boolean[records.length];
        straggling = new boolean[records.length];
        for (ComponentRecord record : records) {
            boolean inPart = part == null || part[record.index];
            participating[record.index] = inPart && record.state() == ComponentState.ACTIVE;
            straggling[record.index] = inPart && record.state() == ComponentState.FAILED && record.stillCalling();
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
        movedAtDeadline = new AtomicIntegerArray(records.length);
        first = IntStream.range(0, records.length)
                .filter(i -> (participating[i] || straggling[i]) && counts[i] == 0).toArray();
    }

    @Override
    void launchFirst() {
        for (int index : first) {
            start(records[index], null);
        }
    }

    private void start(ComponentRecord record, Worker worker) {
        if (straggling[record.index]) {
            awaitLateReturn(record);
        }
        else {
            launch(record, worker);
        }
    }

    /** Settles a straggler once its abandoned setup has returned, or once its shutdown timeout has passed. */
    private void awaitLateReturn(ComponentRecord record) {
        hold();
        AtomicBoolean once = new AtomicBoolean();
        CompletableFuture<Void> lateReturn = record.lateReturn;
        long bound = Math.min(Durations.saturatedNanos(lifecycle.shutdownTimeout(record)),
                Math.max(0, deadline() - lifecycle.now()));
        ScheduledFuture<?> timer = TimeoutScheduler.schedule(bound, () -> {
            if (once.compareAndSet(false, true)) {
                settled(record, new StepTimeoutException("'" + record.name() + "' timed out in its setup, and its"
                        + " setup had still not returned " + Durations.format(lifecycle.shutdownTimeout(record))
                        + " (its shutdown timeout) into the rollback: its dependencies were shut down while it"
                        + " may still be running"), null);
                release();
            }
        });
        lateReturn.whenComplete((ignored, failure) -> {
            if (once.compareAndSet(false, true)) {
                timer.cancel(false);
                settled(record, null, null);
                release();
            }
        });
    }

    @Override
    void settled(ComponentRecord record, Throwable failure, Worker worker) {
        if (failure != null) {
            synchronized (failures) {
                failures.put(record.name(), failure);
            }
        }
        ComponentRecord deepest = null;
        for (int dependency : lifecycle.graph.dependenciesOf(record.index)) {
            if ((participating[dependency] || straggling[dependency])
                    && waitingOn.decrementAndGet(dependency) == 0) {
                ComponentRecord freed = records[dependency];
                if (worker == null || straggling[dependency]) {
                    start(freed, worker);
                }
                else {
                    deepest = keepHigher(deepest, freed);
                }
            }
        }
        if (deepest != null) {
            start(deepest, worker);
        }
    }

    /** Its tier, the longest chain of dependencies below it: what waits for its shutdown. */
    @Override
    int rank(int index) {
        return lifecycle.graph.tierOf(index);
    }

    private Duration budget;

    /** Gives the whole shutdown {@code budget}, from now. */
    void deadline(Duration budget) {
        this.budget = budget;
        deadlineIn(budget);
    }

    @Override
    boolean owns(ComponentRecord record) {
        int index = record.index;
        return index < records.length && records[index] == record && (participating[index] || straggling[index]);
    }

    /**
     * A component moved to shutting down by the deadline after it was launched is the launched worker's to run,
     * once: see {@link #deadlinePassed()}.
     */
    @Override
    boolean claim(ComponentRecord record) {
        return super.claim(record) || movedAtDeadline.compareAndSet(record.index, MOVED, TAKEN);
    }

    /**
     * Gives up on the shutdowns still running, then starts at once the shutdown of every component still waiting
     * for its dependents (out of order: the budget is spent), so that no component is left active. Then the phase
     * ends without waiting, naming every component that had not finished.
     *
     * <p>Each component is still launched once, to one worker: a component its last dependent freed before the
     * deadline (that dependent may be one the deadline has just given up) is launched already and only moved to
     * shutting down here; one still waiting for its dependents is launched here, and no dependent settling later
     * launches it again.
     */
    @Override
    void deadlinePassed() {
        if (lifecycle.owner instanceof LifecycleEngine engine) {
            engine.shutdownDeadlinePassed.run();
        }
        String reason = " before the shutdown deadline (" + Durations.format(budget) + ")";
        abandonRunning(record -> new StepTimeoutException("'" + record.name() + "' did not finish its shutdown"
                + reason));
        for (ComponentRecord record : records) {
            if (!participating[record.index]) {
                continue;
            }
            // Marked as shutting down here, so that none is seen active once shutdown() returns. Marked before it
            // is moved: a worker that finds it moved must find it marked.
            movedAtDeadline.set(record.index, MOVED);
            if (record.transition(ComponentState.ACTIVE, step.running)
                    && waitingOn.getAndSet(record.index, LAUNCHED_AT_DEADLINE) > 0) {
                launch(record, null);
            }
        }
        // No longer waited for, but running or about to: until each has returned, no later setup of the same
        // instance (a new setup(), a new grant of its role) may call it
        lifecycle.gaveUpOnACall();
        for (ComponentRecord record : records) {
            if (participating[record.index]) {
                noLongerWaitedFor(record);
            }
        }
        synchronized (failures) {
            for (ComponentRecord record : records) {
                if (participating[record.index] && record.state() != ComponentState.STOPPED
                        && !failures.containsKey(record.name())) {
                    failures.put(record.name(), new StepTimeoutException("'" + record.name() + "' did not finish"
                            + " its shutdown" + reason + ": its shutdown was started at the deadline, before its"
                            + " dependents had finished theirs, and is no longer waited for"));
                }
            }
        }
        finishNow();
    }

    /** Runs the shutdown and returns the failures by component, in the order they happened. */
    Map<String, Throwable> shutDown() {
        runToCompletion();
        synchronized (failures) {
            return new LinkedHashMap<>(failures);
        }
    }
}
