package dev.conductor.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread that fires setup and shutdown timeouts for every engine in the JVM; each phase keeps at
 * most a task or two scheduled here (see {@link TimeoutWatch}), never one per component.
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

    static ScheduledFuture<?> schedule(long delayNanos, Runnable action) {
        return SCHEDULER.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
    }
}
