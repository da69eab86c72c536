package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.Faults;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.SupervisionPolicy;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.core.RetryPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * The one {@link SmartLifecycle} that runs every {@code @ConductorComponent} bean with Conductor's engine: all of
 * them are set up in {@link #start()}, concurrently by dependency, and shut down in {@link #stop(Runnable)}, in
 * reverse. Its phase is below the web server's, so components are active before the server binds and go down
 * only after it stopped.
 *
 * <p>The graph is read from the bean factory at the first start, once every singleton exists; a stop followed by
 * a start sets the same components up again.
 *
 * <p>Each setup is recorded as an {@code ApplicationStartup} step {@code conductor.setup}, with one
 * {@code conductor.component.setup} step per component (tagged {@code component}), and runs inside every
 * {@link SetupObserver} bean.
 */
public class ConductorLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private final ConductorProperties properties;

    private final @Nullable Executor executor;

    private final List<LifecycleListener> listeners;

    private final List<SetupObserver> setupObservers;

    private final JvmShutdownGuard shutdownGuard = new JvmShutdownGuard();

    private volatile @Nullable LifecycleEngine engine;

    private final List<Consumer<ComponentFailedException>> escalationHandlers = new CopyOnWriteArrayList<>();

    private volatile @Nullable Faults faults;

    private volatile @Nullable LeaderElection leaderElection;

    ConductorLifecycle(ConfigurableListableBeanFactory beanFactory, ConductorProperties properties,
            @Nullable Executor executor, List<LifecycleListener> listeners) {
        this(beanFactory, properties, executor, listeners, List.of());
    }

    ConductorLifecycle(ConfigurableListableBeanFactory beanFactory, ConductorProperties properties,
            @Nullable Executor executor, List<LifecycleListener> listeners, List<SetupObserver> setupObservers) {
        this.beanFactory = beanFactory;
        this.properties = properties;
        this.executor = executor;
        this.listeners = listeners;
        this.setupObservers = List.copyOf(setupObservers);
    }

    /**
     * Sets up every component. When the JVM begins to shut down meanwhile (SIGTERM, {@code System.exit()}), the
     * setup is cancelled: the setups in flight are interrupted, the components already active are shut down in
     * reverse order, and the JVM's shutdown waits for that.
     *
     * @throws dev.conductor.core.ConductorException when the graph is invalid or a setup failed; the components
     *         already active were shut down again, and the application fails to start
     */
    @Override
    public void start() {
        LifecycleEngine current = engine();
        if (current.isActive()) {
            return;
        }
        StartupStep step = beanFactory.getApplicationStartup().start("conductor.setup")
                .tag("components", String.valueOf(current.graph().size()));
        try {
            Runnable setup = current::setup;
            for (int i = setupObservers.size() - 1; i >= 0; i--) {
                SetupObserver observer = setupObservers.get(i);
                Runnable inner = setup;
                setup = () -> observer.observe(inner);
            }
            shutdownGuard.runSetup(setup);
        }
        catch (RuntimeException | Error ex) {
            step.tag("failure", ex.getClass().getName());
            throw ex;
        }
        finally {
            step.end();
        }
        if (logger.isInfoEnabled()) {
            logger.info("Conductor: " + current.report().toText());
        }
    }

    /** Shuts every component down; failures are logged with their causes once everything is down. */
    @Override
    public void stop() {
        LifecycleEngine current = engine;
        if (current == null) {
            return;
        }
        try {
            current.shutdown();
        }
        catch (ComponentShutdownException ex) {
            logger.error("Conductor: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void stop(Runnable callback) {
        try {
            stop();
        }
        finally {
            callback.run();
        }
    }

    @Override
    public boolean isRunning() {
        LifecycleEngine current = engine;
        return current != null && current.isActive();
    }

    /**
     * Whether a {@linkplain org.springframework.context.ConfigurableApplicationContext#pause() pause} of the
     * context (Spring's test context cache pauses the contexts not in use) shuts the components down; they are
     * set up again when the context restarts. {@code conductor.pauseable}, {@code true} by default.
     */
    @Override
    public boolean isPauseable() {
        return properties.isPauseable();
    }

    @Override
    public int getPhase() {
        return properties.getPhase();
    }

    /**
     * Adds what an escalated supervision does once every component is shut down; takes effect for an engine not
     * built yet (before the first {@link #start()}).
     */
    void onEscalation(Consumer<ComponentFailedException> handler) {
        escalationHandlers.add(handler);
    }

    /** The faults a test injects into the components; takes effect for an engine not built yet. */
    void faults(@Nullable Faults faults) {
        this.faults = faults;
    }

    /** Who leads the roles of the leader-only components; takes effect for an engine not built yet. */
    void leaderElection(@Nullable LeaderElection election) {
        this.leaderElection = election;
    }

    /** The engine running the components; {@code null} until the first {@link #start()}. */
    public @Nullable LifecycleEngine getEngine() {
        return engine;
    }

    private synchronized LifecycleEngine engine() {
        LifecycleEngine current = engine;
        if (current == null) {
            ComponentBeans components = new ComponentBeans(beanFactory);
            LifecycleEngine.Builder builder = LifecycleEngine.builder(components.graph())
                    .setupTimeout(properties.getSetupTimeout())
                    .shutdownTimeout(properties.getShutdownTimeout())
                    .retryPolicy(RetryPolicies.defaults(properties.getSetupRetry()));
            ComponentTimeouts resolver = ComponentTimeouts.of(beanFactory);
            components.components().forEach((name, annotation) -> {
                RetryPolicy own = RetryPolicies.of(name, annotation.setupRetry(), properties.getSetupRetry(), resolver);
                if (own != null) {
                    builder.retryPolicy(name, own);
                }
                SupervisionPolicy supervision = SupervisionPolicies.of(name, annotation.supervision(),
                        properties.getSupervision(), resolver);
                if (supervision != null) {
                    builder.supervision(name, supervision);
                }
            });
            builder.supervision(SupervisionPolicies.defaults(properties.getSupervision()));
            LeaderOnlyBeans.mark(beanFactory, components.components().keySet(),
                    properties.getLeadership().getLeaderOnly(), builder);
            LeaderElection election = leaderElection;
            if (election != null) {
                builder.leaderElection(election);
            }
            escalationHandlers.forEach(builder::onEscalation);
            Faults injected = faults;
            if (injected != null) {
                builder.faults(injected);
            }
            if (properties.getSetupDeadline() != null) {
                builder.setupDeadline(properties.getSetupDeadline());
            }
            if (properties.getShutdownDeadline() != null) {
                builder.shutdownDeadline(properties.getShutdownDeadline());
            }
            if (executor != null) {
                builder.executor(executor);
            }
            builder.listener(new ComponentStartupSteps(beanFactory.getApplicationStartup()));
            builder.listener(shutdownGuard);
            listeners.forEach(builder::listener);
            current = builder.build();
            engine = current;
        }
        return current;
    }

    /**
     * Runs around each setup of the components, on the thread that starts them: to time or trace it, or to tell
     * the platform that the application is not ready yet. The auto-configuration applies every bean of this type,
     * the first in {@link org.springframework.core.annotation.Order order} outermost.
     *
     * <pre>{@code
     * @Bean
     * ConductorLifecycle.SetupObserver tracedSetup(ObservationRegistry registry) {
     *     return setup -> Observation.createNotStarted("conductor.setup", registry).observe(setup);
     * }
     * }</pre>
     */
    @FunctionalInterface
    public interface SetupObserver {

        /**
         * Runs {@code setup} exactly once, on the calling thread, and lets whatever it throws through: a failed
         * setup must still fail the application.
         */
        void observe(Runnable setup);
    }

    /** Records one {@code conductor.component.setup} startup step per component, from its setup events. */
    private static final class ComponentStartupSteps implements LifecycleListener {

        private final ApplicationStartup startup;

        private final Map<String, StartupStep> steps = new ConcurrentHashMap<>();

        ComponentStartupSteps(ApplicationStartup startup) {
            this.startup = startup;
        }

        @Override
        public void onEvent(LifecycleEvent event) {
            if (event.kind() == LifecycleEvent.Kind.SETUP_STARTED) { // once for all the attempts
                steps.computeIfAbsent(event.component(),
                        name -> startup.start("conductor.component.setup").tag("component", name));
            }
            else if (event.kind() == LifecycleEvent.Kind.SETUP_FINISHED
                    || event.kind() == LifecycleEvent.Kind.SETUP_FAILED) {
                StartupStep step = steps.remove(event.component());
                if (step != null) {
                    if (event.attempt() > 1) {
                        step.tag("attempts", String.valueOf(event.attempt()));
                    }
                    if (event.failure() != null) {
                        step.tag("failure", event.failure().getClass().getName());
                    }
                    step.end();
                }
            }
        }
    }
}
