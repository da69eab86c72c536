package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.ConductorException;
import dev.conductor.core.EarlySetup;
import dev.conductor.core.Faults;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SetupCancelledException;
import dev.conductor.core.SupervisionPolicy;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorLifecycle.SetupObserver;
import dev.conductor.spring.autoconfigure.ConductorLifecycle.ShutdownObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Runs a {@link ConductorLifecycle}'s components with Conductor's engine: the early setup while the context creates
 * its beans, the setup when the context's lifecycle starts, the shutdown when it stops, the rollback of a failed
 * refresh. Made when the first component is handed over or found at the first start, so that an application
 * without components loads none of this (nor the engine it builds).
 */
final class ComponentRunner {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ConductorLifecycle lifecycle;

    private final ConfigurableListableBeanFactory beanFactory;

    private final ConductorProperties properties;

    private final @Nullable Executor executor;

    private final List<LifecycleListener> listeners;

    private final List<SetupObserver> setupObservers;

    private final JvmShutdownGuard shutdownGuard = new JvmShutdownGuard();

    private volatile @Nullable LifecycleEngine engine;

    /** The builder the early setup began with, which then builds the engine; guarded by this. */
    private LifecycleEngine.@Nullable Builder earlyBuilder;

    private volatile @Nullable EarlySetup early;

    /** The components started early, in order; guarded by this. */
    private final List<ComponentDefinition> startedEarly = new ArrayList<>();

    private final Set<String> startedEarlyNames = new HashSet<>();

    private @Nullable ComponentBeans components;

    private Map<String, ConductorComponent> definedComponents = Map.of();

    private volatile boolean earlyOver;

    /** Whether the early setup's failure was thrown into the refresh, rather than having to be remembered. */
    private volatile boolean failureThrown;

    private final AtomicReference<@Nullable Thread> refreshThread = new AtomicReference<>();

    private volatile @Nullable StartupStep earlyStep;

    /** The observers around the setup that began early, running on a thread of their own; {@code null} if none. */
    private volatile @Nullable ObservedSetup observedSetup;

    /** The listeners that publish to the context, which hold the events back until {@link #start()}. */
    private final List<ContextEvents> events = new ArrayList<>(1);

    /** The loggers of transitions, told when the running application's shutdown begins. */
    private final List<TransitionLogger> transitionLoggers = new ArrayList<>(1);

    ComponentRunner(ConductorLifecycle lifecycle, ConfigurableListableBeanFactory beanFactory,
            ConductorProperties properties, @Nullable Executor executor, List<LifecycleListener> listeners,
            List<SetupObserver> setupObservers) {
        this.lifecycle = lifecycle;
        this.beanFactory = beanFactory;
        this.properties = properties;
        this.executor = executor;
        this.listeners = listeners;
        this.setupObservers = setupObservers;
        for (LifecycleListener listener : listeners) {
            if (listener instanceof ContextEvents contextEvents) {
                events.add(contextEvents);
            }
            if (listener instanceof TransitionLogger transitionLogger) {
                transitionLoggers.add(transitionLogger);
            }
        }
    }

    /** Sets every component up, waiting for those that began early; see {@link ConductorLifecycle#start()}. */
    void start() {
        endEarlyStart();
        if (logger.isDebugEnabled() && early != null) {
            logger.debug("Conductor: the context's lifecycle starts; components started early: " + startedEarly.size()
                    + ", waiting for the rest");
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
                setupObservers.forEach(SetupObserver::beforeSetup);
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

    /** Shuts every component down; failures are logged with their causes once everything is down. */
    void stop() {
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
            List<ShutdownObserver> shutdownObservers = lifecycle.shutdownObservers();
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

    boolean isRunning() {
        LifecycleEngine current = engine;
        return current != null && current.isActive();
    }

    /** The engine, once built: {@code null} until the first start (or {@link #emptyEngine(boolean)}). */
    @Nullable LifecycleEngine currentEngine() {
        return engine;
    }

    /**
     * The engine of a lifecycle without components, built on first need, and set up now if {@code running}; set up
     * or shut down again as the lifecycle starts and stops.
     */
    synchronized LifecycleEngine emptyEngine(boolean running) {
        LifecycleEngine current = engine;
        if (current == null) {
            current = configure(LifecycleEngine.builder()).graph(ComponentGraph.builder().build()).build();
            engine = current;
        }
        if (running && !current.isActive()) {
            current.setup();
        }
        else if (!running && current.isActive()) {
            current.shutdown();
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
            LeaderElection election = lifecycle.leaderElection();
            if (election != null) {
                builder.leaderElection(election);
            }
            lifecycle.escalationHandlers().forEach(builder::onEscalation);
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
        int phase = lifecycle.getPhase();
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
                        + components.phase(lifecycle) + ") only after Conductor's lifecycle (phase " + phase
                        + "). Give '" + lifecycle + "' a phase below " + phase
                        + ", or do not use it in the setup of '" + name + "'.");
            }
        });
    }

    /** The settings an early setup begins with and the engine then has. */
    private LifecycleEngine.Builder configure(LifecycleEngine.Builder builder) {
        builder.setupTimeout(properties.getSetupTimeout())
                .shutdownTimeout(properties.getShutdownTimeout())
                .retryPolicy(RetryPolicies.defaults(properties.getSetupRetry()));
        Faults injected = lifecycle.faults();
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
        beanFactory.registerDependentBean(name, lifecycle.beanName());
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
                setupObservers.forEach(SetupObserver::beforeSetup); // here, on the thread creating the beans
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

    /**
     * When the refresh failed with components started early: shuts them down in reverse, after cancelling the
     * setups still running; see {@link ConductorLifecycle#destroy()}.
     */
    void destroy() {
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
