package dev.conductor.core;

import java.time.Duration;

/**
 * What waits out an engine's delays, and the clock it measures them by: the delays between setup attempts (a
 * {@link RetryPolicy}), the delays before supervised restarts and the window that bounds them (a
 * {@link SupervisionPolicy}). By default Conductor's own timer thread and {@link System#nanoTime()}. A test gives
 * one of its own, so that retries and restarts happen when the test says so rather than after real time:
 *
 * <pre>{@code
 * final class ManualDelays implements DelayScheduler {
 *     final BlockingQueue<Runnable> waiting = new LinkedBlockingQueue<>();
 *     volatile long now;
 *
 *     public void schedule(Duration delay, Runnable action) { waiting.add(action); }
 *     public long nanoTime() { return now; }
 *
 *     void passNext() throws InterruptedException { new Thread(waiting.take()).start(); }
 * }
 *
 * LifecycleEngine engine = LifecycleEngine.builder(graph).delays(delays).build();
 * }</pre>
 *
 * <p>Setup and shutdown timeouts and the setup and shutdown deadlines always run on real time.
 */
public interface DelayScheduler {

    /**
     * Runs {@code action} once {@code delay} has passed. Returns at once; the action runs on another thread (a
     * timer's). An action that never runs leaves its retry waiting until the setup is cancelled or its deadline
     * passes, and its restart waiting until the components are shut down.
     */
    void schedule(Duration delay, Runnable action);

    /**
     * The current time in nanoseconds, for the restart window of a {@link SupervisionPolicy}: only differences
     * between two values count, as with {@link System#nanoTime()}, which it is unless overridden.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Conductor's own: a shared daemon timer thread, and {@link System#nanoTime()}. */
    static DelayScheduler system() {
        return Retries.Delays.TIMER;
    }
}
