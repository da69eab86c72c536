package dev.conductor.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fires the timeouts of one phase's components with a single timer task at a time, rather than scheduling and
 * cancelling a task per component, which would put every component through the scheduler's lock.
 *
 * <p>Components with the same timeout are queued in the order they start, so their deadlines are in order too:
 * a check only looks at the head of each queue, drops the components that have settled, fires the ones past
 * their deadline, and arms itself again for the earliest deadline still pending.
 */
final class TimeoutWatch {

    private final Lifecycle lifecycle;

    private final ComponentState running;

    private final Consumer<ComponentRecord> onTimeout;

    private final ConcurrentHashMap<Long, ConcurrentLinkedQueue<ComponentRecord>> byTimeout =
            new ConcurrentHashMap<>();

    /** The deadline the earliest scheduled check fires at; {@code Long.MAX_VALUE} when none is scheduled. */
    private final AtomicLong armedFor = new AtomicLong(Long.MAX_VALUE);

    private volatile ScheduledFuture<?> timer;

    private volatile boolean closed;

    TimeoutWatch(Lifecycle lifecycle, ComponentState running, Consumer<ComponentRecord> onTimeout) {
        this.lifecycle = lifecycle;
        this.running = running;
        this.onTimeout = onTimeout;
    }

    /** The queue of the timeout most components share, found without boxing its key on every start. */
    private volatile Lane common;

    private record Lane(long timeout, ConcurrentLinkedQueue<ComponentRecord> queue) {
    }

    /** Watches a component that has just started, with its timeout in nanoseconds. */
    void watch(ComponentRecord record, long start, long timeout) {
        long deadline = start + timeout < start ? Long.MAX_VALUE - 1 : start + timeout;
        record.deadline = deadline;
        Lane lane = common;
        if (lane == null || lane.timeout() != timeout) {
            lane = new Lane(timeout, byTimeout.computeIfAbsent(timeout, key -> new ConcurrentLinkedQueue<>()));
            common = lane;
        }
        lane.queue().add(record);
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
        for (ConcurrentLinkedQueue<ComponentRecord> queue : byTimeout.values()) {
            ComponentRecord head;
            while ((head = queue.peek()) != null) {
                if (head.state() != running || head.attempt != 1) { // later attempts have timers of their own
                    queue.poll();
                }
                else if (head.deadline <= now) {
                    queue.poll();
                    onTimeout.accept(head);
                }
                else {
                    next = Math.min(next, head.deadline);
                    break;
                }
            }
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }
}
