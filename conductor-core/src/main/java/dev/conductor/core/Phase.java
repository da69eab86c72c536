package dev.conductor.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@link Step} of many components concurrently, each as soon as the subclass launches it, each bounded
 * by its timeout. A component settles exactly once: when its step returns, throws, or times out, whichever comes
 * first. The subclass decides from there what to launch next. The phase is over when nothing is in flight and
 * nothing more will be launched.
 *
 * <p>Launched components wait in a ready queue that worker threads drain: a worker runs one component after
 * another until the queue is empty, so components that return quickly cost no hand-off between threads. So that
 * components that block still overlap, a worker that takes a component while others are waiting starts another
 * worker first; at most a few workers are being started at any moment, which keeps a burst of quick components
 * from becoming a burst of threads.
 */
abstract class Phase {

    /**
     * How many workers may be on their way (handed to the executor, not yet running a component) at the same
     * time: enough to fan out blocking components quickly, few enough that quick ones do not start a thread each.
     */
    private static final int MAX_STARTING_WORKERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    /** The phase whose worker the current thread is, so that components it launches need no new worker. */
    private static final ThreadLocal<Phase> WORKING_FOR = new ThreadLocal<>();

    final Lifecycle lifecycle;

    final Step step;

    private final Executor executor;

    /** Components launched and not yet settled, plus one while the phase is still launching its first ones. */
    private final AtomicInteger inFlight = new AtomicInteger(1);

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final TimeoutWatch timeouts;

    private final ConcurrentLinkedQueue<ComponentRecord> ready = new ConcurrentLinkedQueue<>();

    /** Workers handed to the executor that have not yet looked at the ready queue. */
    private final AtomicInteger startingWorkers = new AtomicInteger();

    Phase(Lifecycle lifecycle, Step step, Executor executor) {
        this.lifecycle = lifecycle;
        this.step = step;
        this.executor = executor;
        this.timeouts = new TimeoutWatch(lifecycle, step.running, this::timedOut);
    }

    /** Launches the first components, then waits until the phase is over. */
    final void runToCompletion() {
        launchFirst();
        release();
        boolean interrupted = false;
        while (true) {
            try {
                // A timed wait, so that the caller is never seen in the WAITING state: Spring's close() during
                // refresh takes a WAITING startup thread for a stuck one and gives up on closing.
                done.get(1, TimeUnit.SECONDS);
                break;
            }
            catch (TimeoutException stillRunning) {
                // A step blocked in System.exit() never returns (when the JVM is already stopping, it blocks for
                // good): stop waiting for it rather than hold up the shutdown hooks until its timeout.
                abandonExiting();
            }
            catch (InterruptedException ex) {
                interrupted = true;
                onCallerInterrupted(ex);
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("A phase never completes exceptionally", ex);
            }
        }
        timeouts.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    abstract void launchFirst();

    /** The phase the current thread is running a component for, or {@code null}. */
    static Phase current() {
        return WORKING_FOR.get();
    }

    /**
     * Gives up on every component whose step is blocked in {@code System.exit()}: the JVM runs its shutdown hooks
     * while that call waits for them, so it never returns, and waiting for it would hold up the hook that shuts
     * the other components down.
     */
    final void abandonExiting() {
        for (ComponentRecord record : lifecycle.records) {
            Thread worker = record.worker();
            if (record.state() == step.running && worker != null && worker != Thread.currentThread()
                    && worker.getState() != Thread.State.RUNNABLE && isExiting(worker)) {
                if (abandon(record, new ConductorException("'" + record.name() + "' called System.exit() from its "
                        + step.verb() + ", which does not return while the JVM shuts down; Conductor stopped waiting"
                        + " for it"))) {
                    record.lateReturn.complete(null); // nothing waits for its return: it will not come
                }
            }
        }
    }

    private static boolean isExiting(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("exit") && (frame.getClassName().equals("java.lang.Runtime")
                    || frame.getClassName().equals("java.lang.Shutdown"))) {
                return true;
            }
        }
        return false;
    }

    /** Interrupts the components whose step is running, except on the current thread. */
    final void interruptRunning() {
        for (ComponentRecord record : lifecycle.records) {
            if (record.state() == step.running) {
                record.interruptWorker();
            }
        }
    }

    /** Whether a component about to start is passed over instead; its state stays as it was. */
    boolean shouldSkip(ComponentRecord record) {
        return false;
    }

    /**
     * Called exactly once for each launched component that was not passed over, with the failure or
     * {@code null}, before the phase can be over.
     */
    abstract void settled(ComponentRecord record, Throwable failure);

    /** A component failed; called before listeners hear of it, so they observe its consequences. */
    void failing(ComponentRecord record, Throwable failure) {
    }

    /** The thread waiting for the phase was interrupted; the phase goes on. */
    void onCallerInterrupted(InterruptedException ex) {
    }

    /**
     * Queues a component to run its step. A worker of this phase takes it once the component it is running has
     * settled; any other thread (the caller, the timeout timer) makes sure a worker is on its way, and fails the
     * component with the executor's refusal when the executor refuses that worker and no worker took it.
     */
    final void launch(ComponentRecord record) {
        inFlight.incrementAndGet();
        ready.add(record);
        if (WORKING_FOR.get() != this) {
            Throwable refusal = startWorkerIfWaiting();
            if (refusal != null && ready.remove(record)) {
                failUnstarted(record, refusal);
            }
        }
    }

    /**
     * Starts one more worker when components are waiting and fewer than {@link #MAX_STARTING_WORKERS} workers
     * are on their way. The order (queue first, then the count here; the count first, then the queue in a
     * starting worker) guarantees that a waiting component is seen by some worker, as long as the executor runs
     * or refuses every task it is given.
     *
     * @return why the executor did not take the worker, or {@code null} when it did or none was needed
     */
    private Throwable startWorkerIfWaiting() {
        while (!ready.isEmpty()) {
            int starting = startingWorkers.get();
            if (starting >= MAX_STARTING_WORKERS) {
                return null;
            }
            if (startingWorkers.compareAndSet(starting, starting + 1)) {
                try {
                    executor.execute(this::work);
                    return null;
                }
                catch (Throwable refusal) { // RejectedExecutionException, or a thread the JVM could not create
                    startingWorkers.decrementAndGet();
                    return refusal;
                }
            }
        }
        return null;
    }

    private void work() {
        Phase outer = WORKING_FOR.get();
        startingWorkers.decrementAndGet();
        if (outer == this) {
            return; // run inline by a worker of this phase (a direct or caller-runs executor): it drains the queue
        }
        WORKING_FOR.set(this);
        try {
            ComponentRecord record;
            while ((record = ready.poll()) != null) {
                // So that the others waiting need not wait for this one. If the executor refuses, this worker
                // runs them itself, one after another.
                startWorkerIfWaiting();
                execute(record);
            }
        }
        finally {
            if (outer == null) {
                WORKING_FOR.remove();
            }
            else {
                WORKING_FOR.set(outer);
            }
        }
    }

    /** A component whose worker the executor refused fails with the refusal, unless it is passed over. */
    private void failUnstarted(ComponentRecord record, Throwable refusal) {
        if (!shouldSkip(record) && record.transition(step.from, step.running)) {
            long now = lifecycle.now();
            step.markStart(record, now);
            fail(record, now, refusal);
        }
        release();
    }

    private void execute(ComponentRecord record) {
        if (shouldSkip(record) || !record.transition(step.from, step.running)) {
            release();
            return;
        }
        long start = lifecycle.now();
        step.markStart(record, start);
        if (record.predecessorCalling()) {
            fail(record, start, new ConductorException("'" + record.name() + "' cannot start its " + step.verb()
                    + ": its " + step.verb() + " from an earlier attempt, abandoned at its timeout, has not returned"
                    + " yet, and Conductor never calls a component while an earlier call is running. Make its "
                    + step.verb() + " respond to interruption, or try again once it has returned."));
            release();
            return;
        }
        lifecycle.emit(record, step.started, start, start, null);
        record.bind(Thread.currentThread());
        timeouts.watch(record, start, Durations.saturatedNanos(step.timeout(lifecycle, record)));
        Throwable failure = null;
        try {
            step.invoke(record.definition.component());
        }
        catch (Throwable ex) {
            failure = ex;
        }
        record.unbind();
        Thread.interrupted(); // an interrupt from this component's timeout must not leak into the next task
        if (!record.transition(step.running, failure == null ? step.to : ComponentState.FAILED)) {
            try {
                finishedAfterTimeout(record, failure);
            }
            finally {
                record.lateReturn.complete(null);
            }
            return;
        }
        long end = lifecycle.now();
        step.markEnd(record, end);
        if (failure != null) {
            record.failure = failure;
            failing(record, failure);
        }
        lifecycle.emit(record, failure == null ? step.finished : step.failed, start, end, failure);
        settled(record, failure);
        release();
    }

    /** The step returned after its timeout had already settled the component as failed. */
    void finishedAfterTimeout(ComponentRecord record, Throwable failure) {
    }

    private void timedOut(ComponentRecord record) {
        if (!abandon(record, new StepTimeoutException("'" + record.name() + "' did not finish its "
                + step.verb() + " within " + Durations.format(step.timeout(lifecycle, record))))) {
            return;
        }
        // The worker that timed out may never return, and components may be waiting for it when the executor
        // refused it a helper: start one now, or fail them rather than leave the phase waiting for ever.
        Throwable refusal = startWorkerIfWaiting();
        if (refusal != null) {
            ComponentRecord waiting;
            while ((waiting = ready.poll()) != null) {
                failUnstarted(waiting, refusal);
            }
        }
    }

    /**
     * Settles a running component as failed without waiting for its step to return; the step's late return is
     * handled by {@link #finishedAfterTimeout}, and {@link ComponentRecord#lateReturn} completes after it.
     *
     * @return whether this call settled it (it had not settled already)
     */
    private boolean abandon(ComponentRecord record, Throwable failure) {
        synchronized (record) { // one abandoner at a time; the worker itself only reads it once it lost the race
            if (record.state() != step.running) {
                return false;
            }
            CompletableFuture<Void> previous = record.lateReturn;
            record.lateReturn = new CompletableFuture<>(); // before the transition: the worker may lose it at once
            if (!record.transition(step.running, ComponentState.FAILED)) {
                record.lateReturn = previous; // the worker won: it returned in time
                return false;
            }
        }
        record.interruptWorker();
        fail(record, lifecycle.now(), failure);
        release();
        return true;
    }

    /** Counts a task the phase must wait for besides its components' steps; see {@link #release()}. */
    final void hold() {
        inFlight.incrementAndGet();
    }

    private void fail(ComponentRecord record, long end, Throwable failure) {
        record.transition(step.running, ComponentState.FAILED);
        step.markEnd(record, end);
        record.failure = failure;
        failing(record, failure);
        lifecycle.emit(record, step.failed, step.startOf(record), end, failure);
        settled(record, failure);
    }

    final void release() {
        if (inFlight.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
