package dev.conductor.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A plain Spring context holding one {@code SmartLifecycle} bean per node. The context is refreshed before the
 * clock starts (beans are created then); {@code start()} and {@code stop()} are what the harness times.
 */
final class SpringLifecycleContext implements Strategy.Prepared {

    /** Long enough never to fire: a phase that timed out would make the run incorrect, not faster. */
    private static final long PHASE_TIMEOUT_MILLIS = 600_000;

    private final GenericApplicationContext context;

    private SpringLifecycleContext(GenericApplicationContext context) {
        this.context = context;
    }

    static SpringLifecycleContext create(RandomDag dag, Trace trace, boolean concurrentPhases) {
        GenericApplicationContext context = new GenericApplicationContext();
        Executor executor = PerTaskThreads.executor();
        for (int node = 0; node < dag.size; node++) {
            int phase = concurrentPhases ? dag.tiers[node] : 0;
            NodeLifecycle bean = new NodeLifecycle(node, phase, trace, concurrentPhases ? executor : null);
            String[] dependsOn = new String[dag.dependencies[node].length];
            for (int i = 0; i < dependsOn.length; i++) {
                dependsOn[i] = RandomDag.name(dag.dependencies[node][i]);
            }
            context.registerBean(RandomDag.name(node), NodeLifecycle.class, () -> bean,
                    definition -> ((AbstractBeanDefinition) definition).setDependsOn(dependsOn));
        }
        if (concurrentPhases) {
            Map<Integer, Long> phases = new HashMap<>();
            for (int tier = 0; tier < dag.tierCount(); tier++) {
                phases.put(tier, PHASE_TIMEOUT_MILLIS);
            }
            context.registerBean(ConfigurableApplicationContext.BOOTSTRAP_EXECUTOR_BEAN_NAME, Executor.class,
                    () -> executor);
            context.registerBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
                    DefaultLifecycleProcessor.class, () -> {
                        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
                        processor.setConcurrentStartupForPhases(phases);
                        processor.setTimeoutPerShutdownPhase(PHASE_TIMEOUT_MILLIS);
                        return processor;
                    });
        }
        context.refresh();
        return new SpringLifecycleContext(context);
    }

    @Override
    public void setup() {
        context.start();
    }

    @Override
    public void shutdown() {
        context.stop();
    }

    @Override
    public void close() {
        context.close();
    }

    /** One node as a Spring lifecycle bean; started by {@code context.start()}, not on refresh. */
    static final class NodeLifecycle implements SmartLifecycle {

        private final int node;

        private final int phase;

        private final Trace trace;

        private final Executor asyncStop;

        private volatile boolean running;

        NodeLifecycle(int node, int phase, Trace trace, Executor asyncStop) {
            this.node = node;
            this.phase = phase;
            this.trace = trace;
            this.asyncStop = asyncStop;
        }

        @Override
        public void start() {
            trace.setup(node);
            running = true;
        }

        @Override
        public void stop() {
            trace.shutdown(node);
            running = false;
        }

        @Override
        public void stop(Runnable callback) {
            if (asyncStop == null) {
                stop();
                callback.run();
                return;
            }
            // Spring waits on the phase's latch, so handing the work to another thread stops the phase concurrently
            asyncStop.execute(() -> {
                try {
                    stop();
                }
                finally {
                    callback.run();
                }
            });
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public boolean isAutoStartup() {
            return false;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}
