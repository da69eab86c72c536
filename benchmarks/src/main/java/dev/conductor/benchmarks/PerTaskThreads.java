package dev.conductor.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A new thread per task: a virtual thread where the JDK has them (21+), a daemon platform thread otherwise.
 * That is what Conductor's engine uses by default, so giving the same threads to the other strategies makes
 * the comparison about scheduling, not about thread pools.
 */
final class PerTaskThreads {

    private static final ThreadFactory VIRTUAL = virtualThreadFactory();

    private static final AtomicLong COUNT = new AtomicLong();

    private PerTaskThreads() {
    }

    static Executor executor() {
        if (VIRTUAL != null) {
            return task -> VIRTUAL.newThread(task).start();
        }
        return task -> {
            Thread thread = new Thread(task, "bench-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        };
    }

    /** Whether the JDK has virtual threads, and so {@link #executor()} starts one per task. */
    static boolean virtual() {
        return VIRTUAL != null;
    }

    static String describe() {
        return VIRTUAL != null ? "virtual thread per task" : "platform thread per task";
    }

    /** {@code Thread.ofVirtual().factory()}, looked up because the module compiles for Java 17. */
    private static ThreadFactory virtualThreadFactory() {
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle start = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(start.invoke());
        }
        catch (Throwable unavailable) {
            return null;
        }
    }
}
