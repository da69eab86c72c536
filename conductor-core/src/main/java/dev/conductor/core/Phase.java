package dev.conductor.core;

import java.time.Duration;
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
 * another until the queue is empty (the first component launched by the one it just ran before any from the
 * queue), so components that return quickly cost no hand-off between threads and a chain stays on one thread. So that
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

    /** The worker the current thread is, so that components it launches need no new worker. */
    private static final ThreadLocal<Worker> WORKING_FOR = new ThreadLocal<>();

    /**
     * A thread draining one phase's ready queue, the component it runs (for {@link StepContext} and the timeout
     * watch), and the component it runs next.
     */
    static final class Worker {

        final Phase phase;

        volatile ComponentRecord record;

        /** The component whose timeout the watch fired last: it fires once. Read and written by the watch only. */
        ComponentRecord timedOut;

        /**
         * The first component launched by the component this worker just ran: the worker runs it next itself, with
         * no hand-off through the shared queue. Only this worker's thread reads and writes it.
         */
        ComponentRecord next;

        Worker(Phase phase) {
            this.phase = phase;
        }
    }

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

    /** When the whole phase is given up, in nanoseconds from the lifecycle's origin; none unless set. */
    private long deadline = Long.MAX_VALUE;

    /** Gives up the whole phase {@code budget} from now: see {@link #deadlinePassed()}. */
    final void deadlineIn(Duration budget) {
        long now = lifecycle.now();
        long nanos = Durations.saturatedNanos(budget);
        deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    }

    final long deadline() {
        return deadline;
    }

    /** Set when the deadline passed with components still in flight. */
    private volatile boolean deadlineFired;

    /** The phase's deadline passed with components still in flight. */
    void deadlinePassed() {
    }

    /** Ends the phase now, whatever is still in flight: what settles later is no longer waited for. */
    final void finishNow() {
        done.complete(null);
    }

    private java.util.concurrent.ScheduledFuture<?> deadlineTimer;

    /** Launches the first components, then waits until the phase is over. */
    final void runToCompletion() {
        begin();
        awaitCompletion();
    }

    /**
     * Starts the deadline's timer and launches the first components; the phase is not over before
     * {@link #awaitCompletion()}, however many components settle meanwhile.
     */
    final void begin() {
        deadlineTimer = deadline == Long.MAX_VALUE ? null
                : TimeoutScheduler.schedule(Math.max(0, deadline - lifecycle.now()), () -> {
                    if (!done.isDone()) {
                        deadlineFired = true;
                        deadlinePassed();
                    }
                });
        launchFirst();
    }

    /** Lets the phase be over once nothing is in flight, and waits until it is. Called once, after begin(). */
    final void awaitCompletion() {
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
        if (!(deadlineFired && step == Step.SHUTDOWN)) {
            // The shutdowns started at or after the shutdown deadline are no longer waited for, but their own
            // timeouts still interrupt them: the watch stops once none of them runs.
            timeouts.close();
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    abstract void launchFirst();

    /** The phase the current thread is running a component for, or {@code null}. */
    static Phase current() {
        Worker worker = WORKING_FOR.get();
        return worker == null ? null : worker.phase;
    }

    /** The worker the current thread is, or {@code null}. */
    static Worker currentWorker() {
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
            if (record.state() == step.running && owns(record) && worker != null && worker != Thread.currentThread()
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

    /** Gives up on every component of this phase whose step is running, each failing with the failure made for it. */
    final void abandonRunning(java.util.function.Function<ComponentRecord, Throwable> failure) {
        for (ComponentRecord record : lifecycle.records) {
            if (record.state() == step.running && owns(record)) {
                abandonAttempt(record, 0, failure.apply(record));
            }
        }
    }

    /** Interrupts the components of this phase whose step is running, except on the current thread. */
    final void interruptRunning() {
        for (ComponentRecord record : lifecycle.records) {
            if (record.state() == step.running && owns(record)) {
                record.interruptWorker(step.running);
            }
        }
    }

    /**
     * Whether this phase runs the step of this record: a component's step belongs to one phase only, and a phase
     * that gives up, interrupts or settles what is running never touches another phase's (a restart's, a grant's)
     * or a later record of the same component. Every record unless a subclass says otherwise.
     */
    boolean owns(ComponentRecord record) {
        return true;
    }

    /** Whether a component about to start is passed over instead; its state stays as it was. */
    boolean shouldSkip(ComponentRecord record) {
        return false;
    }

    /**
     * Takes a launched component for the one worker that runs its step (or fails it, when no worker could be
     * started): moves it into its running state. The phase launches each component once, so this fails only when
     * the component is no longer waiting for its step (a cancellation, or its step taken elsewhere).
     *
     * @return whether the caller now owns the component's step
     */
    boolean claim(ComponentRecord record) {
        return record.transition(step.from, step.running);
    }

    /**
     * Called exactly once for each launched component that was not passed over, with the failure or
     * {@code null}, before the phase can be over; {@code worker} is the worker of this phase that ran it, on this
     * thread, or {@code null} when it settled otherwise (a timeout, a refusal, a cancellation).
     */
    abstract void settled(ComponentRecord record, Throwable failure, Worker worker);

    /** A component failed; called before listeners hear of it, so they observe its consequences. */
    void failing(ComponentRecord record, Throwable failure) {
    }

    /** The thread waiting for the phase was interrupted; the phase goes on. */
    void onCallerInterrupted(InterruptedException ex) {
    }

    /**
     * Queues a component to run its step. A worker of this phase launching components as the one it ran settles
     * (passed as {@code worker}, on its own thread) runs the first itself, next, and queues the others for the
     * helpers it starts before running it; any other caller ({@code worker} is {@code null}: the caller of the
     * phase, a timer) makes sure a worker is on its way, and fails the component with the executor's refusal
     * when the executor refuses that worker and no worker took it.
     */
    final void launch(ComponentRecord record, Worker worker) {
        inFlight.incrementAndGet();
        if (worker != null) {
            if (worker.next == null) {
                worker.next = record; // a chain goes on on one thread: no queue, no other core involved
            }
            else {
                ready.add(record);
            }
            return;
        }
        ready.add(record);
        Throwable refusal = startWorkerIfWaiting();
        if (refusal != null && ready.remove(record)) {
            failUnstarted(record, refusal);
        }
    }

    /**
     * Queues a component for the workers, from the worker of this phase on whose thread the component it ran is
     * settling: that worker starts helpers for what waits before it runs its next component.
     */
    final void queue(ComponentRecord record) {
        inFlight.incrementAndGet();
        ready.add(record);
    }

    /**
     * How much is likely to wait for a component once it is done: of several it frees at once, a worker goes on
     * with the highest itself, the likeliest to be on the critical path, rather than hand it to another thread.
     */
    abstract int rank(int index);

    /**
     * For the worker on whose thread a component is settling: of {@code kept} (the highest ranked of those it freed
     * so far, or {@code null}) and {@code freed}, keeps the higher ranked for the worker and queues the other.
     *
     * @return the one kept
     */
    final ComponentRecord keepHigher(ComponentRecord kept, ComponentRecord freed) {
        if (kept == null) {
            return freed;
        }
        if (rank(freed.index) > rank(kept.index)) {
            queue(kept);
            return freed;
        }
        queue(freed);
        return kept;
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
        Worker outer = WORKING_FOR.get();
        startingWorkers.decrementAndGet();
        if (outer != null && outer.phase == this) {
            return; // run inline by a worker of this phase (a direct or caller-runs executor): it drains the queue
        }
        Worker worker = new Worker(this);
        timeouts.register(worker);
        WORKING_FOR.set(worker);
        try {
            ComponentRecord record;
            while ((record = takeNext(worker)) != null) {
                // So that the others waiting need not wait for this one. If the executor refuses, this worker
                // runs them itself, one after another.
                startWorkerIfWaiting();
                execute(record, worker);
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

    /** The component the worker launched itself, else the longest waiting one; {@code null} when none waits. */
    private ComponentRecord takeNext(Worker worker) {
        ComponentRecord next = worker.next;
        if (next != null) {
            worker.next = null;
            return next;
        }
        return ready.poll();
    }

    /** A component whose worker the executor refused fails with the refusal, unless it is passed over. */
    private void failUnstarted(ComponentRecord record, Throwable refusal) {
        if (!shouldSkip(record) && claim(record)) {
            long now = lifecycle.now();
            step.markStart(record, now);
            fail(record, now, refusal);
            returned(record);
        }
        release();
    }

    /**
     * Marks a component whose step is running, or about to (its worker has yet to take it), as still calling
     * although the phase no longer waits for it (the shutdown deadline passed): until that step returns, no later
     * setup of the same instance calls it (see {@link ComponentRecord#predecessor}). The caller has called
     * {@link Lifecycle#gaveUpOnACall()}.
     */
    final void noLongerWaitedFor(ComponentRecord record) {
        CompletableFuture<Void> pending = null;
        synchronized (record) { // against abandon(), which puts a late return of its own
            if (record.state() == step.running) {
                pending = new CompletableFuture<>();
                record.lateReturn = pending;
            }
        }
        if (pending != null && record.state() != step.running) {
            pending.complete(null); // it returned meanwhile, maybe before its worker looked: see returned()
        }
    }

    /**
     * The step of a component settled by its own worker has returned: a late return put by
     * {@link #noLongerWaitedFor} completes (the state moved first, so one of the two sees the other).
     */
    private static void returned(ComponentRecord record) {
        CompletableFuture<Void> late = record.lateReturn;
        if (late != null) {
            late.complete(null);
        }
    }

    private void execute(ComponentRecord record, Worker worker) {
        if (record.retryQueued) {
            record.retryQueued = false;
            if (record.state() != step.running) {
                // Given up between its attempts (the setup deadline, a cancellation) after the delay had queued
                // it: settled and released already, so nothing runs, and no late return will come
                record.lateReturn.complete(null);
                return;
            }
        }
        else if (shouldSkip(record) || !claim(record)) {
            release();
            return;
        }
        long start = lifecycle.now();
        if (record.attempt == 1) {
            step.markStart(record, start);
        }
        record.attemptStart = start;
        if (record.predecessorCalling()) {
            ComponentRecord earlier = record.predecessor;
            String call = earlier.state() == ComponentState.SHUTTING_DOWN || earlier.shutdownStart >= 0 ? "shutdown"
                    : "setup";
            fail(record, start, new ConductorException("'" + record.name() + "' cannot start its " + step.verb()
                    + ": its " + call + " from an earlier attempt, given up at its timeout or a deadline, has not"
                    + " returned yet, and Conductor never calls a component while an earlier call is running. Make"
                    + " its " + call + " respond to interruption, or try again once it has returned."));
            release();
            return;
        }
        lifecycle.emit(record, step.started, start, start, null);
        record.bind(Thread.currentThread(), step.running);
        int attempt = record.attempt;
        long timeout = Durations.saturatedNanos(step.timeout(lifecycle, record));
        java.util.concurrent.ScheduledFuture<?> attemptTimer = null;
        // The deadline first: a timeout check that sees this worker's component must see this step's deadline,
        // not the one its record had before (none for a setup, the setup's for a shutdown)
        long deadline = start + timeout < start ? Long.MAX_VALUE - 1 : start + timeout;
        record.deadline = deadline;
        worker.record = record;
        if (attempt == 1) {
            timeouts.watch(deadline);
        }
        else { // retries are rare: a timer of their own, which the watch leaves alone
            attemptTimer = TimeoutScheduler.schedule(timeout, () -> timedOut(record, attempt));
        }
        Throwable failure = null;
        try {
            Faults faults = lifecycle.faults;
            if (faults != null) {
                faults.before(record.name(), step == Step.SETUP);
            }
            step.invoke(record.definition.component());
        }
        catch (Throwable ex) {
            failure = ex;
        }
        finally {
            worker.record = null;
        }
        record.unbind();
        Thread.interrupted(); // an interrupt from this component's timeout must not leak into the next task
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
        }
        boolean retryable = true;
        // A setup that returns after its deadline did not finish within its timeout, whether or not the timer has
        // fired yet: on a loaded machine it may fire late, and the outcome must not depend on that.
        boolean returnedLate = step == Step.SETUP && failure == null && lifecycle.now() - deadline > 0;
        if (record.timedOutAttempt == attempt || returnedLate) {
            Throwable returned = failure;
            failure = timeoutOf(record);
            if (returned == null && step == Step.SETUP) {
                // It succeeded after its timeout: shut it down before it is tried again, so that it is never set
                // up twice; if that fails, it may still be set up, and is not tried again.
                Throwable undone = shutDownLateSetup(record);
                if (undone != null) {
                    failure.addSuppressed(undone);
                    retryable = false;
                }
            }
        }
        if (failure != null && step == Step.SETUP && retryable && retryLater(record, attempt, start, failure)) {
            return; // still in flight: the retry settles it
        }
        if (!record.transition(step.running, failure == null ? step.to : ComponentState.FAILED)) {
            try {
                finishedAfterTimeout(record, failure);
            }
            finally {
                record.lateReturn.complete(null);
            }
            return;
        }
        returned(record);
        long end = lifecycle.now();
        step.markEnd(record, end);
        if (failure != null) {
            record.failure = failure;
            failing(record, failure);
        }
        lifecycle.emit(record, failure == null ? step.finished : step.failed, start, end, failure);
        settled(record, failure, worker);
        release();
    }

    private StepTimeoutException timeoutOf(ComponentRecord record) {
        return new StepTimeoutException("'" + record.name() + "' did not finish its " + step.verb() + " within "
                + Durations.format(step.timeout(lifecycle, record)));
    }

    /**
     * Queues the next attempt at a failed setup when its policy allows it, the phase goes on, and the component
     * has not been settled meanwhile (by its timeout or a cancellation).
     *
     * @return whether a retry was scheduled
     */
    private boolean retryLater(ComponentRecord record, int attempt, long start, Throwable failure) {
        RetryPolicy policy = lifecycle.retries.policyFor(record);
        if (shouldSkip(record) || !policy.shouldRetry(attempt, failure)) {
            return false;
        }
        Duration delay = policy.delayAfter(attempt);
        synchronized (record) { // against abandon(): the timer must not settle a component between attempts
            if (record.state() != step.running || record.attempt != attempt) {
                return false;
            }
            long end = lifecycle.now();
            java.util.List<StartupReport.Attempt> failed = record.failedAttempts == null ? new java.util.ArrayList<>()
                    : new java.util.ArrayList<>(record.failedAttempts);
            failed.add(new StartupReport.Attempt(attempt, Duration.ofNanos(start), Duration.ofNanos(end - start),
                    failure, delay));
            record.failedAttempts = java.util.List.copyOf(failed);
            record.attempt = attempt + 1;
            backoff.put(record, Boolean.TRUE);
        }
        lifecycle.emit(record, LifecycleEvent.Kind.SETUP_RETRYING, start, lifecycle.now(), failure, delay, attempt);
        lifecycle.retries.delays.schedule(delay, () -> {
            if (backoff.remove(record) != null) {
                record.retryQueued = true;
                requeue(record);
            }
        });
        if (shouldSkip(record)) {
            endBackoff(); // aborted while this was being scheduled
        }
        return true;
    }

    /** Components waiting out the delay before their next attempt; each is still in flight. */
    private final java.util.concurrent.ConcurrentHashMap<ComponentRecord, Boolean> backoff =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Ends the waiting of every component between attempts: each fails with its last attempt's failure. */
    final void endBackoff() {
        for (ComponentRecord record : backoff.keySet()) {
            if (backoff.remove(record) != null) {
                java.util.List<StartupReport.Attempt> failed = record.failedAttempts;
                Throwable last = failed.get(failed.size() - 1).failure();
                if (record.transition(step.running, ComponentState.FAILED)) {
                    fail(record, lifecycle.now(), last);
                }
                release();
            }
        }
    }

    /** Queues a component that is already in flight, as a retry does. */
    private void requeue(ComponentRecord record) {
        ready.add(record);
        if (current() != this) {
            Throwable refusal = startWorkerIfWaiting();
            if (refusal != null && ready.remove(record)) {
                record.retryQueued = false;
                if (record.transition(step.running, ComponentState.FAILED)) {
                    fail(record, lifecycle.now(), refusal);
                }
                release();
            }
        }
    }

    /** The step returned after its timeout had already settled the component as failed. */
    void finishedAfterTimeout(ComponentRecord record, Throwable failure) {
    }

    /**
     * Shuts down a component whose setup succeeded after its timeout, so that it is not left running.
     *
     * @return what its shutdown threw, or {@code null}
     */
    static Throwable shutDownLateSetup(ComponentRecord record) {
        java.lang.System.Logger logger = System.getLogger(LifecycleEngine.class.getName());
        logger.log(java.lang.System.Logger.Level.WARNING, "Component ''{0}'' finished its setup after its timeout;"
                + " shutting it down so that it is not left running", record.name());
        try {
            record.definition.component().shutdown();
            return null;
        }
        catch (Exception ex) {
            logger.log(java.lang.System.Logger.Level.WARNING, "Shutdown of '" + record.name() + "' after its late"
                    + " setup failed", ex);
            return ex;
        }
    }

    private void timedOut(ComponentRecord record) {
        timedOut(record, 1);
    }

    private void timedOut(ComponentRecord record, int attempt) {
        if (record.attempt != attempt) {
            return; // an earlier attempt's timer: that attempt is over
        }
        if (step == Step.SETUP && !shouldSkip(record)
                && lifecycle.retries.policyFor(record).shouldRetry(attempt, timeoutOf(record))) {
            // The timed-out attempt counts as failed and is retried, but only once it has returned: interrupt it,
            // and give up on it (as on any timeout) if it has not returned within its shutdown timeout.
            synchronized (record) {
                if (record.state() != step.running || record.attempt != attempt) {
                    return;
                }
                record.timedOutAttempt = attempt;
            }
            record.interruptWorker(step.running);
            TimeoutScheduler.schedule(Durations.saturatedNanos(lifecycle.shutdownTimeout(record)), () -> {
                if (record.attempt == attempt) {
                    abandonAttempt(record, attempt, new StepTimeoutException("'" + record.name() + "' did not"
                            + " finish its setup within " + Durations.format(step.timeout(lifecycle, record))
                            + ", and did not return within its shutdown timeout ("
                            + Durations.format(lifecycle.shutdownTimeout(record)) + ") of being interrupted, so it"
                            + " could not be retried"));
                }
            });
            return;
        }
        abandonAttempt(record, attempt, timeoutOf(record));
    }

    private void abandonAttempt(ComponentRecord record, int attempt, Throwable failure) {
        if (!abandon(record, attempt, failure)) {
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
        return abandon(record, 0, failure);
    }

    /** As {@link #abandon(ComponentRecord, Throwable)}, for the given attempt only (0 for whichever runs). */
    private boolean abandon(ComponentRecord record, int attempt, Throwable failure) {
        synchronized (record) { // one abandoner at a time; the worker itself only reads it once it lost the race
            if (record.state() != step.running || (attempt != 0 && record.attempt != attempt)
                    || backoff.containsKey(record)) {
                return false;
            }
            CompletableFuture<Void> previous = record.lateReturn;
            lifecycle.gaveUpOnACall();
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
        settled(record, failure, null);
    }

    final void release() {
        if (inFlight.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
