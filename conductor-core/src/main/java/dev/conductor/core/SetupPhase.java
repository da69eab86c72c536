package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Sets up a graph: every component starts the moment the last of its own dependencies becomes active. After
 * the first failure (or a cancellation) nothing more starts; once the setups in flight have settled, the caller
 * rolls back what became active.
 */
final class SetupPhase extends Phase {

    private final AtomicIntegerArray waitingOn;

    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

    private volatile Throwable abortCause;

    /** Why the setup was cancelled, when a cancellation (not a component's failure) stopped it first. */
    private volatile Throwable cancellation;

    /** Set when the setup deadline stopped the setup first: what was in progress and what was still waiting. */
    private volatile SetupDeadlineException deadlineFailure;

    private Duration budget;

    /**
     * Run on the thread that cancelled the setup, right after the cancellation stopped it: for tests that act in
     * that moment, as a thread waiting for the setup may.
     */
    volatile Runnable stopped = () -> { };

    /** The components this phase sets up, when it is a restart of part of the graph; {@code null} for all. */
    private final boolean[] part;

    SetupPhase(Lifecycle lifecycle, Executor executor) {
        this(lifecycle, executor, null);
    }

    /**
     * Sets up only the components marked in {@code part}, as a restart does: their dependencies outside it are
     * active, so each waits only for its dependencies inside it.
     */
    SetupPhase(Lifecycle lifecycle, Executor executor, boolean[] part) {
        this(lifecycle, executor, part, false);
    }

    /**
     * A setup whose graph grows while it runs (see {@link EarlySetup}): components are added with
     * {@link #grow}, each set up the moment its dependencies are active unless it is held, and the phase is over
     * only once {@link #awaitCompletion()} was called and everything settled.
     */
    static SetupPhase growing(Lifecycle lifecycle, Executor executor) {
        return new SetupPhase(lifecycle, executor, null, true);
    }

    /** Whether the graph may grow: then what waits for what is kept under this phase's lock. */
    private final boolean growable;

    /** The records this phase sets up, taken when it was made; {@code null} for a phase whose graph may grow. */
    private final ComponentRecord[] own;

    /** For a growable phase, guarded by this: whether each component was launched, is held, is active. */
    private boolean[] launched = new boolean[0];

    private boolean[] held = new boolean[0];

    private boolean[] activated = new boolean[0];

    private SetupPhase(Lifecycle lifecycle, Executor executor, boolean[] part, boolean growable) {
        super(lifecycle, Step.SETUP, executor);
        this.part = part;
        this.growable = growable;
        this.own = growable ? null : lifecycle.records.clone();
        ComponentGraph graph = lifecycle.graph;
        int[] counts = new int[graph.size()];
        for (int i = 0; i < counts.length; i++) {
            if (part == null) {
                counts[i] = graph.dependenciesOf(i).length;
            }
            else if (part[i]) {
                for (int dependency : graph.dependenciesOf(i)) {
                    counts[i] += part[dependency] ? 1 : 0;
                }
            }
        }
        this.waitingOn = new AtomicIntegerArray(counts);
    }

    record Failure(ComponentRecord record, Throwable cause) {
    }

    /** Launches the components without dependencies, read from the graph: the counts change once one settles. */
    @Override
    void launchFirst() {
        if (growable) {
            return; // nothing yet: components come with grow()
        }
        ComponentRecord[] records = lifecycle.records;
        for (int i = 0; i < records.length; i++) {
            if (part == null ? lifecycle.graph.dependenciesOf(i).length == 0 : part[i] && waitingOn.get(i) == 0) {
                launch(records[i], null);
            }
        }
    }

    /** Its own records, of its part: a late timer of this phase never gives up a later phase's setup. */
    @Override
    boolean owns(ComponentRecord record) {
        if (own == null) {
            return true;
        }
        int index = record.index;
        return index < own.length && own[index] == record && (part == null || part[index]);
    }

    @Override
    boolean shouldSkip(ComponentRecord record) {
        return abortCause != null;
    }

    @Override
    void failing(ComponentRecord record, Throwable failure) {
        failures.add(new Failure(record, failure));
        if (abort(failure, null, null)) {
            endBackoff(); // the setup fails: components waiting to retry fail with their last failure
        }
    }

    @Override
    void settled(ComponentRecord record, Throwable failure, Worker worker) {
        if (failure != null) {
            return;
        }
        if (abortCause != null) {
            return;
        }
        if (growable) {
            List<ComponentRecord> freed = activated(record);
            ComponentRecord highest = null;
            for (ComponentRecord next : freed) {
                if (worker == null) {
                    launch(next, null);
                }
                else {
                    highest = keepHigher(highest, next);
                }
            }
            if (highest != null) {
                launch(highest, worker);
            }
            return;
        }
        ComponentRecord highest = null;
        for (int dependent : lifecycle.graph.dependentsOf(record.index)) {
            if ((part == null || part[dependent]) && waitingOn.decrementAndGet(dependent) == 0) {
                ComponentRecord freed = lifecycle.records[dependent];
                if (worker == null) {
                    launch(freed, null);
                }
                else {
                    highest = keepHigher(highest, freed);
                }
            }
        }
        if (highest != null) {
            launch(highest, worker);
        }
    }

    /** Marks a component active and returns the dependents that no longer wait for anything. */
    private synchronized List<ComponentRecord> activated(ComponentRecord record) {
        activated[record.index] = true;
        List<ComponentRecord> freed = new ArrayList<>();
        for (int dependent : lifecycle.graph.dependentsOf(record.index)) {
            if (launchable(dependent)) {
                launched[dependent] = true;
                freed.add(lifecycle.records[dependent]);
            }
        }
        return freed;
    }

    /** Under the lock: not launched, not held, and every dependency active. */
    private boolean launchable(int index) {
        if (launched[index] || held[index]) {
            return false;
        }
        for (int dependency : lifecycle.graph.dependenciesOf(index)) {
            if (!activated[dependency]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Grows the graph to {@code larger} (this graph's components first, in the same order) and launches every
     * component that is not launched yet, not held, and whose dependencies are all active.
     *
     * @param hold which of the new components wait for {@link #releaseHeld()} whatever their dependencies
     */
    void grow(ComponentGraph larger, java.util.function.IntPredicate hold) {
        List<ComponentRecord> ready = new ArrayList<>();
        synchronized (this) {
            int before = lifecycle.graph.size();
            lifecycle.grow(larger);
            launched = java.util.Arrays.copyOf(launched, larger.size());
            held = java.util.Arrays.copyOf(held, larger.size());
            activated = java.util.Arrays.copyOf(activated, larger.size());
            for (int i = before; i < larger.size(); i++) {
                held[i] = hold.test(i);
            }
            collectLaunchable(ready);
        }
        ready.forEach(record -> launch(record, null));
    }

    /**
     * Leaves the marked components of a growable phase out: it never sets them up (leader-only components, which
     * a grant of their role sets up later).
     *
     * @throws IllegalStateException when one of them was launched already
     */
    synchronized void exclude(boolean[] excluded) {
        for (int i = 0; i < excluded.length && i < launched.length; i++) {
            if (excluded[i]) {
                if (launched[i]) {
                    throw new IllegalStateException("Leader-only component '" + lifecycle.records[i].name()
                            + "' was set up early, before its role was granted: hold it for the engine");
                }
                launched[i] = true;
            }
        }
    }

    /** Launches the held components whose dependencies are active; the others follow as those become active. */
    void releaseHeld() {
        List<ComponentRecord> ready = new ArrayList<>();
        synchronized (this) {
            java.util.Arrays.fill(held, false);
            collectLaunchable(ready);
        }
        ready.forEach(record -> launch(record, null));
    }

    private void collectLaunchable(List<ComponentRecord> ready) {
        for (int i = 0; i < launched.length; i++) {
            if (launchable(i)) {
                launched[i] = true;
                ready.add(lifecycle.records[i]);
            }
        }
    }

    /** The longest chain of dependents above it: what waits for its setup. */
    @Override
    int rank(int index) {
        return lifecycle.graph.heightOf(index);
    }

    @Override
    void finishedAfterTimeout(ComponentRecord record, Throwable failure) {
        if (failure != null) {
            return;
        }
        // No later lifecycle can have called this instance meanwhile (see ComponentRecord.predecessor), and the
        // rollback keeps its dependencies up until this returns (see ShutdownPhase), so this is in order.
        shutDownLateSetup(record);
    }

    @Override
    void onCallerInterrupted(InterruptedException ex) {
        cancel(ex);
    }

    /**
     * Stops launching setups, the first time only; the ones in flight still settle. Why it stopped (a cancellation,
     * the deadline) is written before the stop itself: whoever sees the setup stopped (it may end at once, and be
     * described by the thread that waited for it) sees why, never a stopped setup with no failure and no reason.
     */
    private synchronized boolean abort(Throwable cause, Throwable cancelledBy, SetupDeadlineException deadline) {
        if (abortCause != null) {
            return false;
        }
        cancellation = cancelledBy;
        deadlineFailure = deadline;
        abortCause = cause;
        return true;
    }

    /**
     * Cancels a setup in progress, as {@code shutdown()} does: nothing more starts, and the setups in flight are
     * interrupted (except one running on the calling thread, which asked for this itself).
     */
    void cancel() {
        cancel(new CancellationException("the setup was cancelled by shutdown()"));
    }

    /** Cancels the setup with {@code cause} as the reason; see {@link #cancel()}. */
    void cancel(Throwable cause) {
        if (abort(cause, cause, null)) {
            stopped.run();
        }
        endBackoff();
        interruptRunning();
    }

    /** Gives the whole setup {@code budget}, from now. */
    void deadline(Duration budget) {
        this.budget = budget;
        deadlineIn(budget);
    }

    @Override
    void deadlinePassed() {
        List<String> inProgress = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (ComponentRecord record : lifecycle.records) {
            if (part != null && !part[record.index]) {
                continue;
            }
            if (record.state() == ComponentState.SETTING_UP) {
                inProgress.add(record.name());
            }
            else if (record.state() == ComponentState.NEW) {
                waiting.add(record.name());
            }
        }
        SetupDeadlineException failure = new SetupDeadlineException(budget, inProgress, waiting);
        abort(failure, null, failure);
        endBackoff();
        abandonRunning(record -> new StepTimeoutException("'" + record.name() + "' did not finish its setup"
                + " before the setup deadline (" + Durations.format(budget) + ")"));
    }

    /** The deadline's failure, when the deadline stopped the setup first; otherwise {@code null}. */
    SetupDeadlineException deadlineFailure() {
        return deadlineFailure;
    }

    /** Why the setup was cancelled, or {@code null} when it was not, or a component failed first. */
    Throwable cancellation() {
        return cancellation;
    }

    boolean succeeded() {
        return abortCause == null;
    }

    /** The failures in the order they happened; empty when the setup was cancelled or interrupted. */
    List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    Throwable abortCause() {
        return abortCause;
    }
}
