package dev.conductor.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the executor that runs setups and shutdowns when the user supplies none: a virtual thread per task
 * where the JDK has virtual threads (21 and later), otherwise a cached pool of daemon platform threads that
 * exit when idle. Either way, no thread is kept per component once a setup or shutdown has finished.
 */
final class DefaultExecutors {

    private static final ThreadFactory VIRTUAL_THREADS = virtualThreadFactory();

    private static final AtomicLong PLATFORM_THREADS = new AtomicLong();

    private DefaultExecutors() {
    }

    static boolean virtualThreadsAvailable() {
        return VIRTUAL_THREADS != null;
    }

    /** A new executor for one setup or shutdown; hand it back to {@link #release(Executor)} afterwards. */
    static Executor create() {
        if (VIRTUAL_THREADS != null) {
            return task -> VIRTUAL_THREADS.newThread(task).start();
        }
        return Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "conductor-" + PLATFORM_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Lets idle pool threads exit; tasks still running (a hanging setup past its timeout) are left alone. */
    static void release(Executor executor) {
        if (executor instanceof ExecutorService) {
            ((ExecutorService) executor).shutdown();
        }
    }

    /** {@code Thread.ofVirtual().name("conductor-", 0).factory()}, looked up so that the code compiles for 17. */
    private static ThreadFactory virtualThreadFactory() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle start = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle name = lookup.findVirtual(builder, "name",
                    MethodType.methodType(builder, String.class, long.class));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            Object named = name.invoke(start.invoke(), "conductor-", 0L);
            ThreadFactory threads = (ThreadFactory) factory.invoke(named);
            threads.newThread(() -> { }); // fails where virtual threads are a disabled preview feature
            return threads;
        }
        catch (Throwable unavailable) {
            return null;
        }
    }
}
