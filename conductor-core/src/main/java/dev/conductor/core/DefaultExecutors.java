package dev.conductor.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the executor that runs setups and shutdowns when the user supplies none: a virtual thread per task
 * where the JDK has virtual threads (21 and later), otherwise one JVM-wide cached pool of daemon platform threads
 * that exit after a few idle seconds. Either way, no thread is kept per component once a setup or shutdown has finished.
 */
final class DefaultExecutors {

    private static final ThreadFactory VIRTUAL_THREADS = virtualThreadFactory();

    private static final AtomicLong PLATFORM_THREADS = new AtomicLong();

    private DefaultExecutors() {
    }

    static boolean virtualThreadsAvailable() {
        return VIRTUAL_THREADS != null;
    }

    /**
     * The executor for one setup or shutdown: a new virtual thread per task, or the shared pool of platform
     * threads, which lets idle threads exit after a few seconds.
     */
    static Executor create() {
        if (VIRTUAL_THREADS != null) {
            return task -> VIRTUAL_THREADS.newThread(task).start();
        }
        return PlatformPool.POOL;
    }

    /** Created on first use only, on JDKs without virtual threads. */
    private static final class PlatformPool {

        static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "conductor-" + PLATFORM_THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
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
