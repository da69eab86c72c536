package dev.conductor.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decides what happens when a running component of one engine reports a failure, and keeps the counts: the
 * component's {@link SupervisionPolicy} restarts it (within its budget, after its backoff) or escalates. Reports
 * return at once; the decision and the restart run on a thread of the engine's executor.
 */
final class Supervisor {

    /** What the supervisor asks of its engine. */
    interface Engine {

        /** Restarts a component and its dependents; throws when the restart's setup failed. */
        void restart(int index, Throwable cause);

        /** Shuts the whole graph down after an escalation. */
        void escalate(int index, ComponentFailedException failure);

        /**
         * Whether the component is leader-only: when its restart fails, its role is given up, and the role's next
         * grant sets it up again rather than another restart.
         */
        boolean leaderOnly(int index);

        /** Whether the component is active, so that its failure is worth acting on. */
        boolean isActive(int index);

        /** Whether the component itself is active, whether or not the graph's setup has finished. */
        boolean isComponentActive(int index);

        /**
         * The component's current incarnation (its record): a restart sets up a new one, so that a failure it
         * reports is told apart from one reported before the restart.
         */
        Object incarnation(int index);

        /** The component's failure is not acted on: its policy is none, or its restart was refused. */
        void unrecovered(int index, Throwable cause);

        /** Whether the graph is set up and not shutting down. */
        boolean isRunning();

        void emit(int index, LifecycleEvent.Kind kind, Throwable failure);
    }

    private final ComponentGraph graph;

    private final SupervisionPolicy defaultPolicy;

    private final Map<String, SupervisionPolicy> byName;

    private final DelayScheduler delays;

    private final AtomicIntegerArray restarts;

    private final AtomicReferenceArray<Throwable> lastFailures;

    /** When each component's recent restarts happened, for its budget; guarded by itself. */
    private final Deque<Long>[] recentRestarts;

    /**
     * Components with a restart decided and not yet done: a further failure report of the same incarnation is the
     * same failure. Guards {@link #decidedFor} and {@link #queued}.
     */
    private final boolean[] pending;

    /** The incarnation each pending decision is about. */
    private final Object[] decidedFor;

    /**
     * A failure reported by a component set up again by its restart while that restart is still under way (setting
     * up its dependents): acted on once the restart has finished.
     */
    private final Throwable[] queued;

    /**
     * Set while the graph's setup is under way: a failure that an active component reports meanwhile is recorded
     * at once and acted on once the setup has succeeded. Guarded by {@link #pending}.
     */
    private boolean settingUp;

    /** The failures held while {@link #settingUp}, by component; guarded by {@link #pending}. */
    private final Throwable[] held;

    private final Engine engine;

    private volatile Executor executor;

    @SuppressWarnings("unchecked")
    Supervisor(ComponentGraph graph, SupervisionPolicy defaultPolicy, Map<String, SupervisionPolicy> byName,
            DelayScheduler delays, Engine engine) {
        this.graph = graph;
        this.defaultPolicy = defaultPolicy;
        this.byName = Map.copyOf(byName);
        this.delays = delays;
        this.engine = engine;
        this.restarts = new AtomicIntegerArray(graph.size());
        this.lastFailures = new AtomicReferenceArray<>(graph.size());
        this.recentRestarts = new Deque[graph.size()];
        this.pending = new boolean[graph.size()];
        this.decidedFor = new Object[graph.size()];
        this.queued = new Throwable[graph.size()];
        this.held = new Throwable[graph.size()];
    }

    /** The graph's setup begins: failures of components already active are held until it ends. */
    void setupStarted() {
        synchronized (pending) {
            settingUp = true;
        }
    }

    /**
     * The graph's setup ended: after a success (the engine is already active) the held failures are acted on;
     * after a failure they are dropped, since the rollback shut their components down.
     */
    void setupEnded(boolean succeeded) {
        Throwable[] toAct = new Throwable[held.length];
        boolean any = false;
        synchronized (pending) {
            settingUp = false;
            for (int i = 0; i < held.length; i++) {
                if (held[i] != null) {
                    toAct[i] = held[i];
                    held[i] = null;
                    any = true;
                }
            }
        }
        if (!any || !succeeded) {
            return;
        }
        for (int i = 0; i < toAct.length; i++) {
            if (toAct[i] != null) {
                act(i, toAct[i]);
            }
        }
    }

    void executor(Executor executor) {
        this.executor = executor;
    }

    SupervisionPolicy policyFor(int index) {
        SupervisionPolicy own = byName.isEmpty() ? null : byName.get(graph.definitionAt(index).name());
        return own != null ? own : defaultPolicy;
    }

    int restarts(int index) {
        return restarts.get(index);
    }

    Throwable lastFailure(int index) {
        return lastFailures.get(index);
    }

    void countRestart(int index) {
        restarts.incrementAndGet(index);
    }

    /** A running component failed: record it and, off the caller's thread, act on its policy. */
    void failed(int index, Throwable cause) {
        synchronized (pending) {
            if (settingUp && engine.isComponentActive(index)) {
                lastFailures.set(index, cause);
                engine.emit(index, LifecycleEvent.Kind.RUNTIME_FAILURE, cause);
                if (policyFor(index).action() == SupervisionPolicy.Action.NONE) {
                    engine.unrecovered(index, cause);
                }
                else if (held[index] == null) {
                    held[index] = cause; // acted on once the setup has succeeded; a later report is the same failure
                }
                return;
            }
        }
        if (!engine.isActive(index)) {
            EngineLog.LOGGER.log(Level.DEBUG, "Component ''{0}'' reported a failure while not active; ignored: {1}",
                    graph.definitionAt(index).name(), cause);
            return;
        }
        lastFailures.set(index, cause);
        engine.emit(index, LifecycleEvent.Kind.RUNTIME_FAILURE, cause);
        SupervisionPolicy policy = policyFor(index);
        if (policy.action() == SupervisionPolicy.Action.NONE) {
            engine.unrecovered(index, cause);
            return;
        }
        act(index, cause);
    }

    /** Acts on a recorded failure with the component's policy (restart or escalate), unless one is pending. */
    private void act(int index, Throwable cause) {
        SupervisionPolicy policy = policyFor(index);
        if (!engine.isActive(index)) {
            return; // shut down meanwhile
        }
        synchronized (pending) {
            if (pending[index]) {
                if (decidedFor[index] != engine.incarnation(index)) {
                    queued[index] = cause; // the restart set it up again and it failed again: after the restart
                }
                return;
            }
            pending[index] = true;
            decidedFor[index] = engine.incarnation(index);
        }
        run(() -> decide(index, cause, policy));
    }

    private void decide(int index, Throwable cause, SupervisionPolicy policy) {
        if (policy.action() == SupervisionPolicy.Action.ESCALATE) {
            escalate(index, cause, 0);
            return;
        }
        int inWindow = restartsInWindow(index, policy.window());
        if (inWindow >= policy.maxRestarts()) {
            escalate(index, cause, inWindow);
            return;
        }
        Duration delay = policy.backoff().delayAfter(inWindow + 1);
        delays.schedule(delay, () -> run(() -> restart(index, cause, policy)));
    }

    private void restart(int index, Throwable cause, SupervisionPolicy policy) {
        recordRestart(index);
        try {
            engine.restart(index, cause);
        }
        catch (IllegalStateException refused) { // shut down meanwhile, or a dependency is down
            EngineLog.LOGGER.log(engine.isRunning() ? Level.WARNING : Level.DEBUG, "Component ''{0}'' was not restarted: {1}",
                    graph.definitionAt(index).name(), refused.getMessage());
            if (engine.isActive(index)) {
                engine.unrecovered(index, cause);
            }
            clearPending(index);
            return;
        }
        catch (SetupCancelledException cancelled) { // by the shutdown: nothing to recover, nothing to escalate
            EngineLog.LOGGER.log(Level.DEBUG, "Restart of ''{0}'' cancelled: {1}", graph.definitionAt(index).name(),
                    cancelled.getMessage());
            clearPending(index);
            return;
        }
        catch (RuntimeException restartFailed) {
            lastFailures.set(index, restartFailed);
            synchronized (pending) {
                queued[index] = null; // reported by an incarnation the failed restart shut down again
                decidedFor[index] = engine.incarnation(index);
            }
            if (engine.leaderOnly(index)) {
                // its role was given up: no further restart, but a failed restart that spent the budget escalates
                int inWindow = restartsInWindow(index, policy.window());
                if (inWindow >= policy.maxRestarts()) {
                    escalate(index, restartFailed, inWindow);
                }
                else {
                    clearPending(index);
                }
                return;
            }
            decide(index, restartFailed, policy); // a failed restart is one more failure, within the budget
            return;
        }
        Throwable again;
        synchronized (pending) {
            again = queued[index];
            queued[index] = null;
            if (again == null) {
                pending[index] = false;
            }
            else {
                decidedFor[index] = engine.incarnation(index);
            }
        }
        if (again != null) {
            decide(index, again, policy); // the failure its new incarnation reported during the restart
        }
    }

    /**
     * Escalates on a non-daemon thread of its own: the shutdown stops the components whose threads may be all that
     * keeps the JVM alive, and the JVM must not end (with status 0) before the escalation handlers have run and,
     * for instance, called {@code System.exit} with a status of their own.
     */
    private void escalate(int index, Throwable cause, int restartsMade) {
        Thread thread = new Thread(() -> {
            try {
                escalateNow(index, cause, restartsMade);
            }
            catch (RuntimeException | Error ex) {
                EngineLog.LOGGER.log(Level.ERROR, "Supervision failed", ex);
            }
        }, "conductor-escalation");
        thread.setDaemon(false);
        thread.start();
    }

    private void escalateNow(int index, Throwable cause, int restartsMade) {
        ComponentFailedException failure = new ComponentFailedException(graph.definitionAt(index).name(),
                restartsMade, cause);
        engine.emit(index, LifecycleEvent.Kind.ESCALATED, failure);
        try {
            engine.escalate(index, failure);
        }
        finally {
            clearPending(index);
        }
    }

    private int restartsInWindow(int index, Duration window) {
        synchronized (recentRestarts) {
            Deque<Long> times = recentRestarts[index];
            if (times == null) {
                return 0;
            }
            long oldest = delays.nanoTime() - Durations.saturatedNanos(window);
            while (!times.isEmpty() && times.peekFirst() - oldest < 0) {
                times.pollFirst();
            }
            return times.size();
        }
    }

    private void recordRestart(int index) {
        synchronized (recentRestarts) {
            if (recentRestarts[index] == null) {
                recentRestarts[index] = new ArrayDeque<>();
            }
            recentRestarts[index].addLast(delays.nanoTime());
        }
    }

    /** Whether no decision or restart is pending, for tests that wait for the supervision to settle. */
    boolean idle() {
        synchronized (pending) {
            for (boolean one : pending) {
                if (one) {
                    return false;
                }
            }
            return true;
        }
    }

    private void clearPending(int index) {
        synchronized (pending) {
            pending[index] = false;
            queued[index] = null;
        }
    }

    private void run(Runnable task) {
        Executor current = executor != null ? executor : DefaultExecutors.create();
        current.execute(() -> {
            try {
                task.run();
            }
            catch (RuntimeException | Error ex) {
                EngineLog.LOGGER.log(Level.ERROR, "Supervision failed", ex);
            }
        });
    }
}
