package dev.conductor.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@link Step} of many components concurrently, each on the executor as soon as the subclass launches
 * it, each bounded by its timeout. A component settles exactly once: when its step returns, throws, or times
 * out, whichever comes first. The subclass decides from there what to launch next. The phase is over when
 * nothing is in flight and nothing more will be launched.
 */
abstract class Phase {

    final Lifecycle lifecycle;

    final Step step;

    private final Executor executor;

    /** Components launched and not yet settled, plus one while the phase is still launching its first ones. */
    private final AtomicInteger inFlight = new AtomicInteger(1);

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final TimeoutWatch timeouts;

    /** The component a worker thread runs next, once the current one has settled: see {@link #launch}. */
    private static final ThreadLocal<Continuation> CONTINUATION = new ThreadLocal<>();

    private static final class Continuation {

        final Phase phase;

        ComponentRecord next;

        Continuation(Phase phase) {
            this.phase = phase;
        }
    }

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
                done.get();
                break;
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
     * Runs a component's step. A worker whose component just settled keeps the first component that this made
     * ready and runs it itself, sparing a hand-off to another thread; the rest go to the executor.
     */
    final void launch(ComponentRecord record) {
        inFlight.incrementAndGet();
        Continuation continuation = CONTINUATION.get();
        if (continuation != null && continuation.phase == this && continuation.next == null) {
            continuation.next = record;
            return;
        }
        try {
            executor.execute(() -> work(record));
        }
        catch (RejectedExecutionException ex) {
            if (record.transition(step.from, step.running)) {
                long now = lifecycle.now();
                step.markStart(record, now);
                fail(record, now, ex);
            }
            release();
        }
    }

    private void work(ComponentRecord first) {
        Continuation outer = CONTINUATION.get();
        Continuation continuation = new Continuation(this);
        CONTINUATION.set(continuation);
        try {
            for (ComponentRecord current = first; current != null; ) {
                execute(current);
                current = continuation.next;
                continuation.next = null;
            }
        }
        finally {
            if (outer == null) {
                CONTINUATION.remove();
            }
            else {
                CONTINUATION.set(outer);
            }
        }
    }

    private void execute(ComponentRecord record) {
        if (shouldSkip(record) || !record.transition(step.from, step.running)) {
            release();
            return;
        }
        long start = lifecycle.now();
        step.markStart(record, start);
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
            finishedAfterTimeout(record, failure);
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
        if (!record.transition(step.running, ComponentState.FAILED)) {
            return;
        }
        record.interruptWorker();
        fail(record, lifecycle.now(), new StepTimeoutException("'" + record.name() + "' did not finish its "
                + step.verb() + " within " + Durations.format(step.timeout(lifecycle, record))));
        release();
    }

    private void fail(ComponentRecord record, long end, Throwable failure) {
        record.transition(step.running, ComponentState.FAILED);
        step.markEnd(record, end);
        record.failure = failure;
        failing(record, failure);
        lifecycle.emit(record, step.failed, step.startOf(record), end, failure);
        settled(record, failure);
    }

    private void release() {
        if (inFlight.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
