package dev.conductor.benchmarks;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Spring Framework 6.2+ background bean bootstrap, the strongest concurrent startup Spring has without
 * Conductor: every node a singleton whose {@code BeanDefinition} has {@code setBackgroundInit(true)} (what
 * {@code @Bean(bootstrap = Bean.Bootstrap.BACKGROUND)} sets; a generated graph cannot be written as
 * annotations) and a {@code bootstrapExecutor} bean. A bean gets its dependencies in its own creation, as a
 * {@code @Bean} method's parameters would be injected: {@code dependsOn} does not work here, because Spring
 * resolves the {@code dependsOn} of a background bean on the main thread before handing it to the executor,
 * and refuses a background bean requested there ({@code BeanCurrentlyInCreationException: Bean marked for
 * background initialization but requested in mainline thread}). The setup latency is spent in the bean's
 * creation, the shutdown latency in its destroy method.
 *
 * <p>{@code context.refresh()} is the setup on the clock: the bean factory hands every background bean to the
 * executor, a bean's creation first gets the beans it depends on (waiting for one that another thread is
 * creating), and refresh waits for all of them. {@code context.close()} is the shutdown: Spring destroys the
 * singletons one at a time, dependents before their dependencies (it recorded who got whom during creation),
 * on the calling thread.
 *
 * <p><b>What Spring Framework 7.0 does with such a graph.</b> A background bean whose creation needs another
 * background bean that is still being created either fails ({@code BeanCurrentlyInCreationException:
 * Requested bean is currently in creation: Is there an unresolvable circular reference or an asynchronous
 * initialization dependency?}) or deadlocks (one creating thread holds the singleton lock while it waits for
 * the other bean's future; that bean's thread waits for the lock), depending on timing. The same happens with
 * {@code @Bean(bootstrap = BACKGROUND)} methods taking each other as parameters, or through
 * {@code ObjectProvider.getObject()}. Background bootstrap is made for independent slow beans whose mainline
 * dependents use lazy injection points; it does not schedule a dependency graph. This strategy therefore
 * gives up after a watchdog timeout and reports the failure instead of a makespan.
 *
 * <p>The executor is the one that serves it best: a virtual thread per task on 21+; on 17 a pool with one
 * prestarted platform thread per bean, so that a bean blocked waiting for its dependencies never keeps a ready
 * one from running.
 */
final class SpringBackgroundBootstrapStrategy implements Strategy {

    @Override
    public String id() {
        return "spring-background";
    }

    @Override
    public String name() {
        return "Spring background bootstrap";
    }

    @Override
    public Prepared prepare(RandomDag dag, Trace trace) {
        GenericApplicationContext context = new GenericApplicationContext();
        BootstrapExecutor executor = BootstrapExecutor.forBeans(dag.size);
        context.registerBean(ConfigurableApplicationContext.BOOTSTRAP_EXECUTOR_BEAN_NAME, Executor.class,
                executor::executor);
        for (int node = 0; node < dag.size; node++) {
            context.registerBeanDefinition(RandomDag.name(node), definition(dag, trace, node, context));
        }
        return new Prepared() {

            private boolean stuck;

            @Override
            public void setup() throws Exception {
                try {
                    refreshOrGiveUp(context, watchdogMillis(dag));
                }
                catch (Strategy.Failed ex) {
                    stuck = ex.getCause() instanceof TimeoutException;
                    throw ex;
                }
            }

            @Override
            public void shutdown() {
                context.close();
            }

            @Override
            public void close() {
                // A deadlocked refresh holds the context's startup lock for good: closing would hang as well
                if (!stuck) {
                    context.close();
                }
                executor.shutdown();
            }
        };
    }

    /**
     * Refreshes on another thread and waits at most {@code millis}: Spring can deadlock here (see the class
     * comment), and a benchmark must report that rather than hang.
     */
    private static void refreshOrGiveUp(GenericApplicationContext context, long millis) throws Exception {
        CompletableFuture<Void> refresh = new CompletableFuture<>();
        Thread refresher = new Thread(() -> {
            try {
                context.refresh();
                refresh.complete(null);
            }
            catch (Throwable ex) {
                refresh.completeExceptionally(ex);
            }
        }, "background-bootstrap-refresh");
        refresher.setDaemon(true);
        refresher.start();
        try {
            refresh.get(millis, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            long blocked = Thread.getAllStackTraces().values().stream().filter(stack -> Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().endsWith(".DefaultSingletonBeanRegistry")
                            && frame.getMethodName().equals("getSingleton")))
                    .count();
            // Virtual threads are not in getAllStackTraces: then only a thread dump shows where they wait
            throw new Strategy.Failed("deadlocked: context.refresh() had not returned after " + millis + " ms"
                    + (blocked > 0 ? " (" + blocked + " platform threads waiting in"
                            + " DefaultSingletonBeanRegistry.getSingleton)" : ""), ex);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new Strategy.Failed("refused by Spring: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage(), ex.getCause());
        }
    }

    /** Twice everything one after the other, plus 5 s: far beyond any correct run on a busy machine. */
    private static long watchdogMillis(RandomDag dag) {
        long sequential = 0;
        for (int node = 0; node < dag.size; node++) {
            sequential += dag.setupMillis[node];
        }
        return 2 * sequential + 5_000;
    }

    private static GenericBeanDefinition definition(RandomDag dag, Trace trace, int node, BeanFactory beans) {
        String[] dependencies = new String[dag.dependencies[node].length];
        for (int i = 0; i < dependencies.length; i++) {
            dependencies[i] = RandomDag.name(dag.dependencies[node][i]);
        }
        GenericBeanDefinition definition = new GenericBeanDefinition();
        definition.setBeanClass(NodeBean.class);
        definition.setInstanceSupplier(() -> {
            // What parameter injection does: Spring records each of these as a dependency for the destroy order
            for (String dependency : dependencies) {
                beans.getBean(dependency);
            }
            return NodeBean.create(node, trace);
        });
        definition.setBackgroundInit(true);
        return definition;
    }

    /** One node as a plain singleton: created with its setup latency, destroyed with its shutdown latency. */
    static final class NodeBean implements DisposableBean {

        private final int node;

        private final Trace trace;

        private NodeBean(int node, Trace trace) {
            this.node = node;
            this.trace = trace;
        }

        static NodeBean create(int node, Trace trace) {
            trace.setup(node);
            return new NodeBean(node, trace);
        }

        @Override
        public void destroy() {
            trace.shutdown(node);
        }
    }

    /** The {@code bootstrapExecutor}: virtual threads where the JDK has them, else a pool that cannot starve. */
    static final class BootstrapExecutor {

        private final Executor executor;

        private final ThreadPoolExecutor pool;

        private BootstrapExecutor(Executor executor, ThreadPoolExecutor pool) {
            this.executor = executor;
            this.pool = pool;
        }

        static BootstrapExecutor forBeans(int beans) {
            if (PerTaskThreads.virtual()) {
                return new BootstrapExecutor(PerTaskThreads.executor(), null);
            }
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(beans, beans, 1, TimeUnit.MINUTES,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "bootstrap-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            // Off the clock: thread creation is not what this strategy is about
            pool.prestartAllCoreThreads();
            return new BootstrapExecutor(pool, pool);
        }

        Executor executor() {
            return executor;
        }

        void shutdown() {
            if (pool != null) {
                pool.shutdown();
            }
        }

        static String describe() {
            return PerTaskThreads.virtual() ? "virtual thread per bean" : "prestarted pool of one platform thread per bean";
        }
    }
}
