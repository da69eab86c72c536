package dev.conductor.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

/**
 * Bytes allocated on the heap by all threads. JDK 21+ counts threads that have since ended
 * ({@code getTotalThreadAllocatedBytes}); on 17 only live threads can be asked, so engine threads that exited
 * before the second reading are missed and the figure is a lower bound.
 */
final class AllocationCounter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final Method TOTAL = totalMethod();

    private AllocationCounter() {
    }

    /** Whether {@link #allocatedBytes()} includes threads that ended. */
    static boolean exact() {
        return TOTAL != null;
    }

    static long allocatedBytes() {
        if (TOTAL != null) {
            try {
                return (long) TOTAL.invoke(THREADS);
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            total += Math.max(bytes, 0);
        }
        return total;
    }

    private static Method totalMethod() {
        try {
            return com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }
}
