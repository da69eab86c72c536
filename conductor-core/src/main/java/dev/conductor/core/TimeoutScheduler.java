package dev.conductor.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread that fires setup and shutdown timeouts for every engine in the JVM. Timeouts of
 * components that finish in time are cancelled and removed at once, so they cost nothing while they wait.
 */
final class TimeoutScheduler {

    private static final ScheduledThreadPoolExecutor SCHEDULER = create();

    private TimeoutScheduler() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "conductor-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return scheduler;
    }

    static ScheduledFuture<?> schedule(Duration delay, Runnable action) {
        return SCHEDULER.schedule(action, Durations.saturatedNanos(delay), TimeUnit.NANOSECONDS);
    }
}
