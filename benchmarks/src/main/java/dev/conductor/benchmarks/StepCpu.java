package dev.conductor.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * An {@link ApplicationStartup} that adds up the CPU time the starting thread spends in each startup step, less the
 * steps nested in it, by step name (a bean's creation by bean name, a bean factory post-processor's by its class):
 * where a cold start's time goes, steady even when other processes share the machine. Steps on other threads are
 * not counted. The time outside every step is the key {@code (outside steps)}.
 */
final class StepCpu implements ApplicationStartup {

    static final String OUTSIDE = "(outside steps)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final Thread starting = Thread.currentThread();

    private final Map<String, Double> exclusive = new TreeMap<>();

    private final Deque<Step> open = new ArrayDeque<>();

    private final long begin = threads.getCurrentThreadCpuTime();

    @Override
    public StartupStep start(String name) {
        Step step = new Step(name, Thread.currentThread() == starting);
        if (step.counted) {
            open.push(step);
        }
        return step;
    }

    /** The milliseconds by step, and {@link #OUTSIDE}, from this startup's creation until now. */
    Map<String, Double> millis() {
        double inSteps = 0;
        for (double value : exclusive.values()) {
            inSteps += value;
        }
        Map<String, Double> all = new TreeMap<>(exclusive);
        all.put(OUTSIDE, (threads.getCurrentThreadCpuTime() - begin) / 1e6 - inSteps);
        return all;
    }

    private final class Step implements StartupStep {

        private final String name;

        private final boolean counted;

        private final long start = threads.getCurrentThreadCpuTime();

        private String key;

        private long nested;

        Step(String name, boolean counted) {
            this.name = name;
            this.counted = counted;
            this.key = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getId() {
            return 0;
        }

        @Override
        public Long getParentId() {
            return null;
        }

        @Override
        public StartupStep tag(String tag, String value) {
            if (tag.equals("beanName") || tag.equals("postProcessor")) {
                // a post-processor is tagged with its toString(): no identity hash, no lambda's number
                key = name + " " + value.replaceAll("@[0-9a-f]+$", "").replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda");
            }
            return this;
        }

        @Override
        public StartupStep tag(String tag, Supplier<String> value) {
            return tag(tag, value.get());
        }

        @Override
        public Tags getTags() {
            return java.util.Collections::emptyIterator;
        }

        @Override
        public void end() {
            if (!counted || open.peek() != this) {
                return;
            }
            open.pop();
            long total = threads.getCurrentThreadCpuTime() - start;
            Step parent = open.peek();
            if (parent != null) {
                parent.nested += total;
            }
            exclusive.merge(key, (total - nested) / 1e6, Double::sum);
        }
    }
}
