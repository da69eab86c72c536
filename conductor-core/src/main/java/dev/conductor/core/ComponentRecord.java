package dev.conductor.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

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

    ComponentRecord(int index, ComponentDefinition definition) {
        this.index = index;
        this.definition = definition;
    }

    String name() {
        return definition.name();
    }

    ComponentState state() {
        return state;
    }

    boolean transition(ComponentState from, ComponentState to) {
        return STATE.compareAndSet(this, from, to);
    }

    /** Remembers the thread running this component's setup or shutdown, so that its timeout can interrupt it. */
    synchronized void bind(Thread thread) {
        this.worker = thread;
    }

    /** After this returns, the component's timeout no longer interrupts the thread that ran it. */
    synchronized void unbind() {
        worker = null;
    }

    synchronized void interruptWorker() {
        if (worker != null) {
            worker.interrupt();
        }
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
