package dev.conductor.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fires the timeouts of one phase's components with a single timer task at a time, rather than scheduling and
 * cancelling a task per component, which would put every component through the scheduler's lock.
 *
 * <p>A worker runs one component at a time, so the components running are the ones the phase's workers are
 * running: a check looks at each worker's component, fires the ones past their deadline, and arms itself again
 * for the earliest deadline still pending. Starting a component costs a read of the armed deadline and nothing
 * shared is written, so that workers on different cores do not contend for the watch.
 */
final class TimeoutWatch {

    private final Lifecycle lifecycle;

    private final ComponentState running;

    private final Consumer<ComponentRecord> onTimeout;

    /** Every worker the phase has started; few, as a worker runs components one after another. */
    private final ConcurrentLinkedQueue<Phase.Worker> workers = new ConcurrentLinkedQueue<>();

    /** The deadline the earliest scheduled check fires at; {@code Long.MAX_VALUE} when none is scheduled. */
    private final AtomicLong armedFor = new AtomicLong(Long.MAX_VALUE);

    private volatile ScheduledFuture<?> timer;

    private volatile boolean closed;

    TimeoutWatch(Lifecycle lifecycle, ComponentState running, Consumer<ComponentRecord> onTimeout) {
        this.lifecycle = lifecycle;
        this.running = running;
        this.onTimeout = onTimeout;
    }

    /** A worker of the phase, before it runs its first component. */
    void register(Phase.Worker worker) {
        workers.add(worker);
    }

    /**
     * Watches a component that has just started its first attempt, until {@code deadline}. Its record must hold
     * that deadline before the worker running it names it as its component, and the worker must name it before
     * this call: a check running meanwhile then either sees the component with its deadline or is followed by
     * this call's arming.
     */
    void watch(long deadline) {
        arm(deadline);
    }

    /** Stops checking: the phase is over. */
    void close() {
        closed = true;
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }

    private void arm(long deadline) {
        long current;
        while (deadline < (current = armedFor.get())) {
            if (armedFor.compareAndSet(current, deadline)) {
                if (!closed) {
                    timer = TimeoutScheduler.schedule(Math.max(0, deadline - lifecycle.now()), this::check);
                }
                return;
            }
        }
    }

    private void check() {
        armedFor.set(Long.MAX_VALUE);
        if (closed) {
            return;
        }
        long now = lifecycle.now();
        long next = Long.MAX_VALUE;
        for (Phase.Worker worker : workers) {
            ComponentRecord record = worker.record;
            // later attempts have timers of their own; a component's timeout fires once
            if (record == null || record.state() != running || record.attempt != 1 || worker.timedOut == record) {
                continue;
            }
            if (record.deadline <= now) {
                worker.timedOut = record;
                onTimeout.accept(record);
            }
            else {
                next = Math.min(next, record.deadline);
            }
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }
}
