package dev.conductor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.metrics.StartupStep;

/**
 * {@link StepCpu} counts each step's CPU time less its nested steps', by name and bean, and only the starting
 * thread's.
 */
class StepCpuTest {

    @Test
    void aStepCountsItsOwnTimeWithoutItsNestedStepsAndOnlyOnTheStartingThread() throws Exception {
        StepCpu startup = new StepCpu();
        StartupStep outer = startup.start("spring.context.refresh");
        spin(20);
        StartupStep inner = startup.start("spring.beans.instantiate").tag("beanName", "database");
        spin(20);
        Thread other = new Thread(() -> startup.start("spring.beans.instantiate").tag("beanName", "elsewhere").end());
        other.start();
        other.join();
        inner.end();
        outer.end();

        Map<String, Double> millis = startup.millis();
        assertThat(millis).containsOnlyKeys("spring.context.refresh", "spring.beans.instantiate database",
                StepCpu.OUTSIDE);
        assertThat(millis.get("spring.beans.instantiate database")).isGreaterThanOrEqualTo(15);
        // the outer step's own 20 ms, not the 40 ms it spanned
        assertThat(millis.get("spring.context.refresh")).isBetween(15.0, 35.0);
        assertThat(millis.get(StepCpu.OUTSIDE)).isGreaterThanOrEqualTo(0).isLessThan(15);
    }

    /** Busy for at least {@code millis} of this thread's CPU time (and nothing else: no first use of a library). */
    private static void spin(long millis) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
