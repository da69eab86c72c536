package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A setup that begins before the whole graph is known, for containers that create components one after another
 * (the Spring Boot starter starts each component while the rest of the context is still being created). Each
 * component {@linkplain #add added} is set up the moment its dependencies are active, with the settings of the
 * builder that began it (timeouts, retries, deadline, listeners, executor, faults); the engine that builder then
 * builds, with the whole graph, takes this setup over, and its first {@link LifecycleEngine#setup()} sets up the
 * rest and waits for everything, exactly as a setup of the whole graph would, rolling back in reverse on failure.
 *
 * <pre>{@code
 * LifecycleEngine.Builder builder = LifecycleEngine.builder().setupTimeout(Duration.ofSeconds(30));
 * EarlySetup early = builder.setupEarly();
 * early.add(ComponentDefinition.of("database", database), false);   // its setup starts now
 * early.add(ComponentDefinition.of("cache", cache).dependsOn("database"), false);
 * ...
 * LifecycleEngine engine = builder.graph(wholeGraph).build();   // wholeGraph begins with database, cache
 * engine.setup();   // sets up the rest, waits for all, or rolls back and throws
 * }</pre>
 *
 * <p>Components are added in an order where each one's dependencies were added before it. A setup that fails
 * stops the others from starting at once; {@link #cancel()} then (or whenever the container gives up) waits for
 * the setups in flight and shuts down, in reverse order, what became active.
 */
public final class EarlySetup {

    private final Lifecycle lifecycle;

    private final SetupPhase phase;

    private final Executor runner;

    private final Duration shutdownDeadline;

    final Retries retries;

    private final List<ComponentDefinition> definitions = new ArrayList<>();

    /** Set once the setup is over: by {@link #finish()} or {@link #cancel()}; guarded by this. */
    private boolean closed;

    /** What the setup ended with, once closed: {@code null} for success. Guarded by this. */
    private ConductorException outcome;

    private volatile boolean adopted;

    EarlySetup(Executor executor, Duration setupTimeout, Duration shutdownTimeout, List<LifecycleListener> listeners,
            Retries retries, Duration setupDeadline, Duration shutdownDeadline, Faults faults) {
        this.retries = retries;
        this.lifecycle = new Lifecycle(this, ComponentGraph.builder().build(), setupTimeout, shutdownTimeout,
                List.copyOf(listeners), null, retries);
        lifecycle.faults = faults;
        this.runner = executor != null ? executor : DefaultExecutors.create();
        this.shutdownDeadline = shutdownDeadline;
        this.phase = SetupPhase.growing(lifecycle, runner);
        if (setupDeadline != null) {
            phase.deadline(setupDeadline);
        }
        phase.begin();
    }

    /**
     * Adds a component whose dependencies were all added before; its setup starts as soon as they are active,
     * unless {@code held}, in which case it waits for the engine's {@link LifecycleEngine#setup()}.
     *
     * @throws ComponentGraphException when a dependency was not added, or the name or instance was
     * @throws IllegalStateException once an engine has taken this setup over, or it was cancelled
     */
    public synchronized void add(ComponentDefinition definition, boolean held) {
        add(definition, held, null);
    }

    /** As {@link #add(ComponentDefinition, boolean)}, with the component's own retry policy. */
    public synchronized void add(ComponentDefinition definition, boolean held, RetryPolicy retryPolicy) {
        if (adopted || closed) {
            throw new IllegalStateException("Cannot add '" + definition.name() + "': the early setup is "
                    + (closed ? "over" : "taken over by its engine"));
        }
        ComponentGraph.Builder builder = ComponentGraph.builder();
        definitions.forEach(builder::add);
        ComponentGraph larger = builder.add(definition).build();
        definitions.add(definition);
        if (retryPolicy != null) {
            retries.put(definition.name(), retryPolicy);
        }
        int index = larger.size() - 1;
        phase.grow(larger, i -> held && i == index);
    }

    /** The names added so far, in order. */
    public synchronized List<String> names() {
        List<String> names = new ArrayList<>(definitions.size());
        definitions.forEach(definition -> names.add(definition.name()));
        return names;
    }

    /** Whether a setup failed, timed out or passed the deadline, or the setup was cancelled: nothing more starts. */
    public boolean failed() {
        return !phase.succeeded();
    }

    /** The current state of an added component. */
    public ComponentState state(String name) {
        return lifecycle.records[lifecycle.graph.indexOf(name)].state();
    }

    /**
     * Ends the setup now: no further setup starts, the ones in flight are interrupted and awaited (each at most
     * until its timeout), and every component that became active is shut down in reverse order. Returns once
     * that is done; does nothing once the setup is over. An engine that took this setup over then fails its
     * setup with the same exception.
     *
     * @return what the setup ended with: a {@link ComponentSetupException} for a failure, a
     *         {@link SetupCancelledException} when nothing had failed; {@code null} only when the setup had already
     *         succeeded
     */
    public ConductorException cancel() {
        phase.cancel();
        phase.abandonExiting();
        return close();
    }

    /**
     * The thread that stands for the caller of this setup was interrupted: the setup is cancelled as
     * {@link LifecycleEngine#setup()} is when its calling thread is interrupted. Returns at once; {@link #cancel()}
     * then waits for the rollback.
     */
    public void interrupted(InterruptedException interrupt) {
        phase.onCallerInterrupted(interrupt);
    }

    /**
     * Sets up and shuts down a throwaway graph of two no-op components, the first started early, so that the
     * classes a first setup and shutdown use are loaded and linked on the calling thread: nothing is reported (no
     * event, listener, log line or flight event) and nothing stays behind but idle threads of the default executor.
     * A container calls it on a spare thread while it does other work before its first setup (the Spring Boot
     * starter does during the refresh of a context with components), so that the first component's setup does not
     * wait for the engine's classes. It is never needed for correctness; any number of calls from any threads.
     */
    public static void warmUp() {
        LifecycleEngine.Builder builder = LifecycleEngine.builder().quiet().setupTimeout(Duration.ofMinutes(1))
                .shutdownTimeout(Duration.ofMinutes(1)).shutdownDeadline(Duration.ofMinutes(2))
                .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(1)).build());
        ComponentDefinition first = ComponentDefinition.of("warm-up", new NoOp());
        ComponentDefinition second = ComponentDefinition.of("warm-up-dependent", new NoOp()).dependsOn("warm-up");
        EarlySetup early = builder.setupEarly();
        early.add(first, false);
        LifecycleEngine engine = builder.graph(ComponentGraph.builder().add(first).add(second).build()).build();
        engine.setup();
        engine.report().toText();
        engine.shutdown();
        EngineLog.LOGGER.isLoggable(System.Logger.Level.DEBUG); // the platform's logging bridge, looked up once
    }

    /** A component of {@link #warmUp()}. */
    private static final class NoOp implements Component {

        @Override
        public void setup() {
        }

        @Override
        public void shutdown() {
        }
    }

    void quiet(boolean quiet) {
        lifecycle.quiet = quiet;
    }

    /** Taken over by {@code engine}, whose graph begins with this one's: the rest is held until {@link #finish()}. */
    Lifecycle adopt(LifecycleEngine engine, ComponentGraph graph, Map<String, RetryPolicy> retryPolicies) {
        synchronized (this) {
            if (adopted) {
                throw new IllegalStateException("An early setup is taken over by one engine only");
            }
            adopted = true;
        }
        lifecycle.owner = engine;
        retryPolicies.forEach(retries::put);
        int before = definitions.size();
        phase.grow(graph, i -> i >= before);
        return lifecycle;
    }

    SetupPhase phase() {
        return phase;
    }

    /** Sets up what was held and waits for everything: {@code null} on success, else after the rollback. */
    ConductorException finish() {
        phase.releaseHeld();
        return close();
    }

    private synchronized ConductorException close() {
        if (closed) {
            return outcome;
        }
        phase.awaitCompletion();
        closed = true;
        if (phase.succeeded()) {
            return null;
        }
        ShutdownPhase rollback = new ShutdownPhase(lifecycle, runner);
        if (shutdownDeadline != null) {
            rollback.deadline(shutdownDeadline);
        }
        Map<String, Throwable> rollbackFailures = rollback.shutDown();
        outcome = SetupFailures.describe(lifecycle.graph, phase, rollbackFailures);
        return outcome;
    }
}
