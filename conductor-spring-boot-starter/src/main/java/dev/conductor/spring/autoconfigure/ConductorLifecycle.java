package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ConductorException;
import dev.conductor.core.EarlySetup;
import dev.conductor.core.SetupCancelledException;
import dev.conductor.spring.ConductorComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
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
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
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
 * a start sets the same components up again. When that first start finds no component at all, nothing of the
 * engine is built or even loaded: the lifecycle only runs and stops, and {@link #getEngine()} builds an empty
 * engine when first asked.
 *
 * <p>Each setup is recorded as an {@code ApplicationStartup} step {@code conductor.setup}, with one
 * {@code conductor.component.setup} step per component (tagged {@code component}), and runs inside every
 * {@link SetupObserver} bean; each shutdown runs inside every {@link ShutdownObserver} bean.
 */
public class ConductorLifecycle implements SmartLifecycle, DisposableBean, BeanNameAware {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private final ConductorProperties properties;

    private final @Nullable Executor executor;

    private final List<LifecycleListener> listeners;

    private final List<SetupObserver> setupObservers;

    private volatile List<ShutdownObserver> shutdownObservers = List.of();

    private final JvmShutdownGuard shutdownGuard = new JvmShutdownGuard();

    private volatile @Nullable LifecycleEngine engine;

    private final List<Consumer<ComponentFailedException>> escalationHandlers = new CopyOnWriteArrayList<>();

    private volatile @Nullable Faults faults;

    private volatile @Nullable LeaderElection leaderElection;

    /** The builder the early setup began with, which then builds the engine; guarded by this. */
    private LifecycleEngine.@Nullable Builder earlyBuilder;

    private volatile @Nullable EarlySetup early;

    /** The components started early, in order; guarded by this. */
    private final List<ComponentDefinition> startedEarly = new ArrayList<>();

    private final Set<String> startedEarlyNames = new HashSet<>();

    private @Nullable ComponentBeans components;

    private Map<String, ConductorComponent> definedComponents = Map.of();

    private volatile boolean earlyOver;

    /** Whether the first start found no component: nothing is set up, and the engine is built only on demand. */
    private volatile boolean withoutComponents;

    /** Whether the lifecycle runs, when {@link #withoutComponents}; guarded by this. */
    private volatile boolean runningWithoutComponents;

    /** Whether the early setup's failure was thrown into the refresh, rather than having to be remembered. */
    private volatile boolean failureThrown;

    private String beanName = "conductorLifecycle";

    private final java.util.concurrent.atomic.AtomicReference<@Nullable Thread> refreshThread =
            new java.util.concurrent.atomic.AtomicReference<>();

    private volatile @Nullable StartupStep earlyStep;

    /** The observers around the setup that began early, running on a thread of their own; {@code null} if none. */
    private volatile @Nullable ObservedSetup observedSetup;

    /** The listeners that publish to the context, which hold the events back until {@link #start()}. */
    private final List<ContextEvents> events;

    /** The loggers of transitions, told when the running application's shutdown begins. */
    private final List<TransitionLogger> transitionLoggers;

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
        // plain loops: the first use of a lambda costs its linkage on a cold JVM, with or without components
        List<ContextEvents> events = new ArrayList<>(1);
        List<TransitionLogger> transitionLoggers = new ArrayList<>(1);
        for (LifecycleListener listener : listeners) {
            if (listener instanceof ContextEvents contextEvents) {
                events.add(contextEvents);
            }
            if (listener instanceof TransitionLogger transitionLogger) {
                transitionLoggers.add(transitionLogger);
            }
        }
        this.events = List.copyOf(events);
        this.transitionLoggers = List.copyOf(transitionLoggers);
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
        endEarlyStart();
        if (logger.isDebugEnabled() && early != null) {
            logger.debug("Conductor: the context's lifecycle starts; components started early: " + startedEarly.size()
                    + ", waiting for the rest");
        }
        if (startWithoutComponents()) {
            return;
        }
        LifecycleEngine current = engine();
        if (current.isActive()) {
            return;
        }
        StartupStep begun = earlyStep;
        earlyStep = null;
        StartupStep step = begun != null ? begun : beanFactory.getApplicationStartup().start("conductor.setup");
        step.tag("components", String.valueOf(current.graph().size()));
        events.forEach(ContextEvents::release);
        transitionLoggers.forEach(transitionLogger -> transitionLogger.stopping(false));
        ObservedSetup observed = observedSetup;
        try {
            Runnable setup = () -> {
                shutdownGuard.endEarly(); // from here the guard cancels by interrupting this thread
                current.setup();
            };
            if (observed != null) {
                observedSetup = null;
                shutdownGuard.runSetup(() -> observed.finish(setup));
            }
            else {
                shutdownGuard.runSetup(observed(setup));
            }
        }
        catch (RuntimeException | Error ex) {
            step.tag("failure", ex.getClass().getName());
            throw ex;
        }
        finally {
            step.end();
        }
        if (logger.isInfoEnabled() && current.graph().size() > 0) {
            logger.info("Conductor: " + current.report().toText());
        }
    }

    /**
     * With no component at the first start (none defined, none registered, none started early), there is nothing
     * to set up: the lifecycle only notes that it runs, and builds no engine (its classes are not even loaded)
     * until {@link #getEngine()} is asked for one. Returns whether that is the case.
     */
    private synchronized boolean startWithoutComponents() {
        if (!withoutComponents) {
            if (engine != null || early != null || !new ComponentBeans(beanFactory).components().isEmpty()) {
                return false;
            }
            withoutComponents = true;
        }
        beanFactory.getApplicationStartup().start("conductor.setup").tag("components", "0").end();
        runningWithoutComponents = true;
        LifecycleEngine current = engine;
        if (current != null && !current.isActive()) {
            current.setup(); // the empty engine someone asked for, set up again after a stop
        }
        return true;
    }

    /** Shuts every component down; failures are logged with their causes once everything is down. */
    @Override
    public void stop() {
        if (stopWithoutComponents()) {
            return;
        }
        LifecycleEngine current = engine;
        if (current == null) {
            return;
        }
        if (current.isActive()) {
            // a restart under way is cancelled now: its setups and the restart end, and are no failures
            transitionLoggers.forEach(transitionLogger -> transitionLogger.stopping(true));
        }
        try {
            Runnable shutdown = current::shutdown;
            for (int i = shutdownObservers.size() - 1; i >= 0; i--) {
                ShutdownObserver observer = shutdownObservers.get(i);
                Runnable inner = shutdown;
                shutdown = () -> observer.observe(inner);
            }
            shutdown.run();
        }
        catch (ComponentShutdownException ex) {
            logger.error("Conductor: " + ex.getMessage(), ex);
        }
    }

    private synchronized boolean stopWithoutComponents() {
        if (!withoutComponents) {
            return false;
        }
        runningWithoutComponents = false;
        LifecycleEngine current = engine;
        if (current != null && current.isActive()) {
            current.shutdown();
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

    /** The engine running the components; {@code null} until the first {@link #start()}. */
    public @Nullable LifecycleEngine getEngine() {
        LifecycleEngine current = engine;
        return current == null && withoutComponents ? emptyEngine() : current;
    }

    /** The engine of a lifecycle without components, built on first need and active while the lifecycle runs. */
    private synchronized LifecycleEngine emptyEngine() {
        LifecycleEngine current = engine;
        if (current == null) {
            current = configure(LifecycleEngine.builder()).graph(ComponentGraph.builder().build()).build();
            if (runningWithoutComponents) {
                current.setup();
            }
            engine = current;
        }
        return current;
    }

    private synchronized LifecycleEngine engine() {
        LifecycleEngine current = engine;
        if (current == null) {
            ComponentBeans components = new ComponentBeans(beanFactory);
            LifecycleEngine.Builder builder = earlyBuilder != null ? earlyBuilder : configure(LifecycleEngine.builder());
            builder.graph(components.graph(startedEarly));
            warnOfLaterLifecycles(components);
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
            current = builder.build();
            engine = current;
        }
        return current;
    }

    /**
     * Warns of each component that reaches, through its injections and plain beans, a non-component
     * {@code Lifecycle} bean that is still not running now that the lifecycle starts Conductor's: Spring starts it
     * only after Conductor's (a higher phase, such as {@code SmartLifecycle.DEFAULT_PHASE}, or no automatic
     * start), so the component is set up before that bean has started. Components marked {@code ALWAYS} said
     * they do not need it started.
     */
    private void warnOfLaterLifecycles(ComponentBeans components) {
        if (!logger.isWarnEnabled()) {
            return;
        }
        Map<String, ConductorComponent> all = components.components();
        all.forEach((name, annotation) -> {
            ConductorComponent.EarlyStart own = annotation.earlyStart();
            if (own == ConductorComponent.EarlyStart.ALWAYS || own == ConductorComponent.EarlyStart.DEFAULT
                    && properties.getEarlyStart() == ConductorProperties.EarlyStart.ALWAYS) {
                return;
            }
            String lifecycle = components.lifecycleNotRunning(name, all.keySet());
            if (lifecycle != null) {
                logger.warn("Conductor: '" + name + "' is set up before the lifecycle bean '" + lifecycle
                        + "' it depends on has started: Spring starts '" + lifecycle + "' (phase "
                        + components.phase(lifecycle) + ") only after Conductor's lifecycle (phase " + getPhase()
                        + "). Give '" + lifecycle + "' a phase below " + getPhase()
                        + ", or do not use it in the setup of '" + name + "'.");
            }
        });
    }

    /** The settings an early setup begins with and the engine then has. */
    private LifecycleEngine.Builder configure(LifecycleEngine.Builder builder) {
        builder.setupTimeout(properties.getSetupTimeout())
                .shutdownTimeout(properties.getShutdownTimeout())
                .retryPolicy(RetryPolicies.defaults(properties.getSetupRetry()));
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
        builder.listener(this::interruptRefreshOnFailure);
        listeners.forEach(builder::listener);
        return builder;
    }

    /**
     * Starts a component's setup now, during the refresh, when its bean is ready (post-processed and registered)
     * and it may start early: its dependencies are all known already, and neither it nor
     * {@code conductor.early-start} keeps it for the lifecycle's start. Otherwise it starts in {@link #start()}.
     * Called on the thread that created the bean.
     */
    synchronized void componentReady(String name) {
        if (earlyOver || engine != null) {
            return;
        }
        ComponentBeans beans = components();
        ConductorComponent annotation = definedComponents.get(name);
        if (annotation == null || properties.getEarlyStart() == ConductorProperties.EarlyStart.NEVER
                && annotation.earlyStart() != ConductorComponent.EarlyStart.ALWAYS) {
            return;
        }
        if (LeaderOnlyBeans.role(beanFactory, name, properties.getLeadership().getLeaderOnly()) != null) {
            return; // set up when its role is granted, after the others are active
        }
        ComponentTimeouts timeouts = ComponentTimeouts.of(beanFactory);
        Component instance = beans.instance(name, annotation);
        // every component known by now, registered instances too: a dependency on one defers this one
        ComponentDefinition definition = beans.definition(name, annotation, instance, beans.components().keySet(),
                timeouts);
        for (String dependency : definition.dependencies()) {
            if (!startedEarlyNames.contains(dependency)) {
                return; // not known yet (a registered instance, a lazy bean): it starts with its dependency
            }
        }
        boolean held = !startsEarly(name, annotation, beans);
        EarlySetup setup = early();
        setup.add(definition, held, RetryPolicies.of(name, annotation.setupRetry(), properties.getSetupRetry(),
                timeouts));
        startedEarly.add(definition);
        startedEarlyNames.add(name);
        // Spring destroys a bean's dependents first: on a failed refresh, destroy() rolls the component back before
        // Spring calls the component's own destroy callbacks
        beanFactory.registerDependentBean(name, beanName);
    }

    private boolean startsEarly(String name, ConductorComponent annotation, ComponentBeans beans) {
        ConductorComponent.EarlyStart own = annotation.earlyStart();
        if (own != ConductorComponent.EarlyStart.DEFAULT) {
            return own == ConductorComponent.EarlyStart.ALWAYS;
        }
        return switch (properties.getEarlyStart()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> {
                String notUsable = beans.notUsableBeforeLifecycleStart(name, definedComponents.keySet());
                if (notUsable != null && logger.isDebugEnabled()) {
                    logger.debug("Conductor: '" + name + "' starts with the context's lifecycle, not early: it depends"
                            + " on '" + notUsable + "', which is only usable once the lifecycle has started");
                }
                yield notUsable == null;
            }
        };
    }

    private ComponentBeans components() {
        ComponentBeans current = components;
        if (current == null) {
            current = new ComponentBeans(beanFactory);
            definedComponents = ComponentBeans.definedComponents(beanFactory);
            components = current;
        }
        return current;
    }

    /** {@code setup} inside every {@link SetupObserver}, the first outermost. */
    private Runnable observed(Runnable setup) {
        for (int i = setupObservers.size() - 1; i >= 0; i--) {
            SetupObserver observer = setupObservers.get(i);
            Runnable inner = setup;
            setup = () -> observer.observe(inner);
        }
        return setup;
    }

    private EarlySetup early() {
        EarlySetup current = early;
        if (current == null) {
            EarlyFailures.take(); // an earlier refresh's on this thread, never analyzed
            earlyStep = beanFactory.getApplicationStartup().start("conductor.setup");
            if (!setupObservers.isEmpty()) {
                observedSetup = new ObservedSetup(this::observed, this::cancelEarlyOnInterrupt);
            }
            earlyBuilder = configure(LifecycleEngine.builder());
            current = earlyBuilder.setupEarly();
            early = current;
            EarlySetup cancellable = current;
            shutdownGuard.guardEarly(cancellable::cancel);
        }
        return current;
    }

    /**
     * Whether a setup started early has failed (or was cancelled) while the context is still being created: the
     * refresh must fail. Rolls back what became active and returns why; {@code null} while nothing failed.
     */
    @Nullable ConductorException earlyFailure() {
        EarlySetup current = early;
        if (current == null || !current.failed() || engine != null) {
            return null;
        }
        endEarlyStart();
        ConductorException failure = current.cancel(); // not under this lock: the rollback's listeners may take it
        Thread.interrupted(); // ours, if it came: it has done its job
        failureThrown = true;
        return failure;
    }

    private void cancelEarlyOnInterrupt(InterruptedException interrupt) {
        EarlySetup current = early;
        if (current != null) {
            current.interrupted(interrupt);
        }
    }

    /** From now on a failed early setup no longer interrupts the refresh: {@link #start()} reports it. */
    private void endEarlyStart() {
        earlyOver = true;
        refreshThread.set(null);
    }

    /**
     * The thread creating the singletons, interrupted when an early setup fails, so that a bean blocked in its
     * creation does not hold up the failed refresh.
     */
    void refreshThread(Thread thread) {
        if (!earlyOver) {
            refreshThread.set(thread);
        }
    }

    private void interruptRefreshOnFailure(LifecycleEvent event) {
        if (event.kind() != LifecycleEvent.Kind.SETUP_FAILED || engine != null) {
            return;
        }
        Thread thread = refreshThread.getAndSet(null);
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
        }
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
        EarlySetup current = engine == null ? early : null;
        endEarlyStart();
        if (current != null) {
            ConductorException failure = current.cancel();
            if (failure != null && !failureThrown && !(failure instanceof SetupCancelledException)) {
                logger.error("Conductor: " + failure.getMessage(), failure);
                EarlyFailures.remember(failure);
            }
            shutdownGuard.endEarly();
            ObservedSetup observed = observedSetup;
            observedSetup = null;
            if (observed != null) {
                observed.abandon(failure);
            }
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
