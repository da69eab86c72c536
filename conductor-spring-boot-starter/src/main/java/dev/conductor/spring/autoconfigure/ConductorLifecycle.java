package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ConductorException;
import dev.conductor.core.Faults;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one {@link SmartLifecycle} that runs every {@code @ConductorComponent} bean with Conductor's engine: all of
 * them are set up in {@link #start()}, concurrently by dependency, and shut down in {@link #stop(Runnable)}, in
 * reverse. Its phase is below the web server's, so components are active before the server binds and go down
 * only after it stopped.
 *
 * <p>The graph is read from the bean factory at the first start, once every singleton exists; a stop followed by
 * a start sets the same components up again. When that first start finds no component at all, nothing of the
 * engine is built or even loaded: the lifecycle only runs and stops, and {@link #getEngine()} builds an empty
 * engine when first asked.
 *
 * <p>Each setup is recorded as an {@code ApplicationStartup} step {@code conductor.setup}, with one
 * {@code conductor.component.setup} step per component (tagged {@code component}), and runs inside every
 * {@link SetupObserver} bean; each shutdown runs inside every {@link ShutdownObserver} bean.
 */
public class ConductorLifecycle implements SmartLifecycle, DisposableBean, BeanNameAware {

    private final ConfigurableListableBeanFactory beanFactory;

    private final ConductorProperties properties;

    private final @Nullable Executor executor;

    private final List<LifecycleListener> listeners;

    private final List<SetupObserver> setupObservers;

    private volatile List<ShutdownObserver> shutdownObservers = List.of();

    private final List<Consumer<ComponentFailedException>> escalationHandlers = new CopyOnWriteArrayList<>();

    private volatile @Nullable Faults faults;

    private volatile @Nullable LeaderElection leaderElection;

    private String beanName = "conductorLifecycle";

    /**
     * Runs the components: made when the first component is handed over during the refresh, or found at the first
     * start (or when an engine is asked for); {@code null} until then. Made under this lock.
     */
    private volatile @Nullable ComponentRunner runner;

    /** Whether the context's lifecycle has started once: from then on no component starts early. */
    private volatile boolean started;

    /** Whether the first start found no component: nothing is set up, and the engine is built only on demand. */
    private volatile boolean withoutComponents;

    /** Whether the lifecycle runs, when {@link #withoutComponents}; written under this lock. */
    private volatile boolean runningWithoutComponents;

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
        started = true;
        if (startWithoutComponents()) {
            return;
        }
        runner().start();
    }

    /**
     * With no component at the first start (none defined, none registered, none started early), there is nothing
     * to set up: the lifecycle only notes that it runs, and builds no engine (its classes are not even loaded)
     * until {@link #getEngine()} is asked for one. Returns whether that is the case.
     */
    private synchronized boolean startWithoutComponents() {
        if (!withoutComponents) {
            if (runner != null || !new ComponentBeans(beanFactory).components().isEmpty()) {
                return false;
            }
            withoutComponents = true;
        }
        beanFactory.getApplicationStartup().start("conductor.setup").tag("components", "0").end();
        runningWithoutComponents = true;
        ComponentRunner current = runner;
        if (current != null && current.currentEngine() != null) {
            current.emptyEngine(true); // the empty engine someone asked for, set up again after a stop
        }
        return true;
    }

    /** Shuts every component down; failures are logged with their causes once everything is down. */
    @Override
    public void stop() {
        if (stopWithoutComponents()) {
            return;
        }
        ComponentRunner current = runner;
        if (current != null) {
            current.stop();
        }
    }

    private synchronized boolean stopWithoutComponents() {
        if (!withoutComponents) {
            return false;
        }
        runningWithoutComponents = false;
        ComponentRunner current = runner;
        if (current != null && current.currentEngine() != null) {
            current.emptyEngine(false);
        }
        return true;
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
        if (withoutComponents) {
            return runningWithoutComponents;
        }
        ComponentRunner current = runner;
        return current != null && current.isRunning();
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

    /** What runs around each shutdown of the components, the first outermost. */
    void shutdownObservers(List<ShutdownObserver> observers) {
        this.shutdownObservers = List.copyOf(observers);
    }

    /** The faults a test injects into the components; takes effect for an engine not built yet. */
    void faults(@Nullable Faults faults) {
        this.faults = faults;
    }

    /** Who leads the roles of the leader-only components; takes effect for an engine not built yet. */
    void leaderElection(@Nullable LeaderElection election) {
        this.leaderElection = election;
    }

    List<Consumer<ComponentFailedException>> escalationHandlers() {
        return escalationHandlers;
    }

    List<ShutdownObserver> shutdownObservers() {
        return shutdownObservers;
    }

    @Nullable Faults faults() {
        return faults;
    }

    @Nullable LeaderElection leaderElection() {
        return leaderElection;
    }

    String beanName() {
        return beanName;
    }

    /** The engine running the components; {@code null} until the first {@link #start()}. */
    public @Nullable LifecycleEngine getEngine() {
        ComponentRunner current = runner;
        LifecycleEngine engine = current != null ? current.currentEngine() : null;
        return engine == null && withoutComponents ? emptyEngine() : engine;
    }

    private synchronized LifecycleEngine emptyEngine() {
        return runner().emptyEngine(runningWithoutComponents);
    }

    /**
     * Starts a component's setup now, during the refresh, when its bean is ready (post-processed and registered)
     * and it may start early; otherwise it starts in {@link #start()}. Called on the thread that created the bean.
     */
    void componentReady(String name) {
        if (!started) {
            runner().componentReady(name);
        }
    }

    /**
     * Whether a setup started early has failed (or was cancelled) while the context is still being created: the
     * refresh must fail. Rolls back what became active and returns why; {@code null} while nothing failed.
     */
    @Nullable ConductorException earlyFailure() {
        ComponentRunner current = runner;
        return current != null ? current.earlyFailure() : null;
    }

    /**
     * The thread creating the singletons, interrupted when an early setup fails, so that a bean blocked in its
     * creation does not hold up the failed refresh.
     */
    void refreshThread(Thread thread) {
        if (!started) {
            runner().refreshThread(thread);
        }
    }

    private synchronized ComponentRunner runner() {
        ComponentRunner current = runner;
        if (current == null) {
            current = new ComponentRunner(this, beanFactory, properties, executor, listeners, setupObservers);
            runner = current;
        }
        return current;
    }

    @Override
    public void setBeanName(String name) {
        this.beanName = name;
    }

    /**
     * When the refresh failed with components started early: shuts them down in reverse, after cancelling the
     * setups still running. Spring calls this before it destroys the components' beans.
     */
    @Override
    public void destroy() {
        ComponentRunner current = runner;
        if (current != null) {
            current.destroy();
        }
    }

    /**
     * Runs around each setup of the components: to time or trace it, or to tell the platform that the application
     * is not ready yet. The auto-configuration applies every bean of this type, the first in
     * {@link org.springframework.core.annotation.Order order} outermost. Around a setup that began early (during
     * the refresh), observers run on a thread of their own from before the first component's setup until
     * {@link #start()} has waited for the last one; around any other, on the thread that calls {@code start()}.
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
         * setup must still fail the application. An interrupt of that thread cancels the setup.
         */
        void observe(Runnable setup);

        /**
         * Called once before each {@link #observe(Runnable)}, on the thread that begins the setup: for a setup that
         * begins early, the thread creating the context's beans (while {@code observe} runs on a thread of its own);
         * for any other, the thread calling {@code start()}, as {@code observe} is. The place for what needs the
         * context's beans, such as publishing an event whose listeners are beans not created yet: from the
         * observers' own thread, Spring would create those beans beside the ones the refresh's thread is
         * creating. What it throws fails the setup before it began. Does nothing by default.
         */
        default void beforeSetup() {
        }
    }

    /**
     * Runs around each shutdown of the components by {@link #stop()} (the context's close, a pause), on the thread
     * that stops them: to time or trace it. The auto-configuration applies every bean of this type, the first in
     * {@link org.springframework.core.annotation.Order order} outermost. A shutdown of the rollback of a failed
     * setup runs inside the setup and its {@link SetupObserver}s instead.
     */
    @FunctionalInterface
    public interface ShutdownObserver {

        /**
         * Runs {@code shutdown} exactly once, on the calling thread, and lets whatever it throws through.
         */
        void observe(Runnable shutdown);
    }
}
