package dev.conductor.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What happened to one component during one lifecycle (one setup and the shutdown after it): its state, when
 * its setup and shutdown started and ended, and why it failed. State changes are compare-and-set, so a
 * component that finishes just as its timeout fires settles exactly once.
 */
final class ComponentRecord {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ComponentRecord.class, "state", ComponentState.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final int index;

    final ComponentDefinition definition;

    private volatile ComponentState state = ComponentState.NEW;

    volatile long setupStart = -1;

    volatile long setupEnd = -1;

    volatile long shutdownStart = -1;

    volatile long shutdownEnd = -1;

    volatile Throwable failure;

    private Thread worker;

    /** When the running setup or shutdown times out, in nanoseconds from the lifecycle's origin. */
    volatile long deadline;

    /**
     * Set when the engine gave up on a running setup or shutdown (its timeout passed) before it returned, or stopped
     * waiting for a shutdown running or started at the shutdown deadline: completes once the call has returned and,
     * for a setup that succeeded late, the instance was shut down.
     */
    volatile CompletableFuture<Void> lateReturn;

    /**
     * The record of the same instance in an earlier lifecycle whose call had not returned when this lifecycle
     * began, or {@code null}: this lifecycle must not call the instance while that call is running.
     */
    final ComponentRecord predecessor;

    /**
     * A failure this incarnation reported while running that its supervision does not recover it from; a restart or
     * a new setup makes a new record.
     */
    volatile Throwable unrecoveredFailure;

    /** The attempt at the setup under way or last made, counted from 1. */
    volatile int attempt = 1;

    /**
     * Set while a component already in its running state is queued for its next setup attempt, so that the worker
     * taking it runs that attempt without moving it there again. (A shutdown started at the shutdown deadline is
     * handed over by its phase instead: see {@link ShutdownPhase}.)
     */
    volatile boolean retryQueued;

    /** The attempt whose timeout passed while retries remained: it was interrupted, and is retried on return. */
    volatile int timedOutAttempt;

    /** When the attempt under way (or the last one) started, in nanoseconds from the lifecycle's origin. */
    volatile long attemptStart = -1;

    /** The failed attempts, in order; {@code null} until one failed and was retried. */
    volatile java.util.List<StartupReport.Attempt> failedAttempts;

    ComponentRecord(int index, ComponentDefinition definition, ComponentRecord previous) {
        this.index = index;
        this.definition = definition;
        this.predecessor = previous == null ? null : previous.stillCalling() ? previous
                : previous.predecessor != null && previous.predecessor.stillCalling() ? previous.predecessor : null;
    }

    /** Whether a setup or shutdown the engine gave up on is still running in the component. */
    boolean stillCalling() {
        CompletableFuture<Void> late = lateReturn;
        return late != null && !late.isDone();
    }

    /** Whether the instance's call from an earlier lifecycle is still running. */
    boolean predecessorCalling() {
        return predecessor != null && predecessor.stillCalling();
    }

    String name() {
        return definition.name();
    }

    /** The class of the instance, which for a patched component differs from the type it is named for. */
    String implementation() {
        return definition.component().getClass().getName();
    }

    ComponentState state() {
        return state;
    }

    boolean transition(ComponentState from, ComponentState to) {
        return STATE.compareAndSet(this, from, to);
    }

    /** Remembers the thread running this component's setup or shutdown, so that its timeout can interrupt it. */
    synchronized void bind(Thread thread, ComponentState running) {
        this.worker = thread;
        if (state != running) {
            // given up (its timeout, a deadline, a cancellation) before its worker was bound, so the interrupt
            // found no thread: the step sees it at once instead of running uninterrupted
            thread.interrupt();
        }
    }

    /** After this returns, the component's timeout no longer interrupts the thread that ran it. */
    synchronized void unbind() {
        worker = null;
    }

    synchronized void interruptWorker() {
        if (worker != null && worker != Thread.currentThread()) {
            worker.interrupt();
        }
    }

    /**
     * Interrupts the thread running this component's step while the component is still {@code running} it: checked
     * under the same lock as {@link #bind}, so that a step which returned meanwhile, and the next step bound to
     * another thread (a rollback's shutdown after a setup), is not interrupted instead.
     */
    synchronized void interruptWorker(ComponentState running) {
        if (state == running) {
            interruptWorker();
        }
    }

    /** The thread running this component's setup or shutdown, or {@code null}. */
    synchronized Thread worker() {
        return worker;
    }

    Duration setupDuration() {
        return between(setupStart, setupEnd);
    }

    Duration shutdownDuration() {
        return between(shutdownStart, shutdownEnd);
    }

    private static Duration between(long start, long end) {
        return start < 0 || end < 0 ? null : Duration.ofNanos(end - start);
    }
}
