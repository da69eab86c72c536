package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a {@link ComponentGraph}: sets every component up concurrently, each the moment its own dependencies are
 * active, and shuts them down in reverse, each the moment its dependents are down. This is the API for
 * containers that create components themselves (the Spring Boot starter is one); applications usually use the
 * {@link Conductor} facade.
 *
 * <pre>{@code
 * LifecycleEngine engine = LifecycleEngine.builder(graph)
 *         .setupTimeout(Duration.ofSeconds(30))
 *         .listener(event -> log.debug(event))
 *         .build();
 * engine.setup();      // throws ComponentSetupException after rolling back
 * ...
 * engine.shutdown();   // throws ComponentShutdownException after shutting down everything else
 * }</pre>
 *
 * <p>Setup and shutdown may be called from any thread; one lifecycle operation runs at a time. After a shutdown
 * the graph can be set up again. Setup and shutdown code runs on worker threads from the executor (by default
 * virtual threads where the JDK has them, otherwise a pool of daemon threads that exit when idle); the calling
 * thread only waits. A worker runs one ready component after another, and starts another worker whenever
 * components are waiting, so components that return at once cost no thread each and components that block
 * still overlap.
 */
public final class LifecycleEngine {

    /** The setup timeout of a component that has none of its own, unless the builder sets another. */
    public static final Duration DEFAULT_SETUP_TIMEOUT = Duration.ofMinutes(1);

    /** The shutdown timeout of a component that has none of its own, unless the builder sets another. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final ComponentGraph graph;

    private final Executor executor;

    private final Duration setupTimeout;

    private final Duration shutdownTimeout;

    private final List<LifecycleListener> listeners;

    private final ReentrantLock lifecycleLock = new ReentrantLock();

    private volatile Lifecycle lifecycle;

    private volatile SetupPhase setupInProgress;

    private volatile ShutdownPhase shutdownInProgress;

    private volatile boolean active;

    private LifecycleEngine(Builder builder) {
        this.graph = builder.graph;
        this.executor = builder.executor;
        this.setupTimeout = builder.setupTimeout;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.listeners = List.copyOf(builder.listeners);
        this.lifecycle = new Lifecycle(this, graph, setupTimeout, shutdownTimeout, listeners,
                builder.predecessor == null ? null : builder.predecessor.stillCallingByIndex(graph));
    }

    /**
     * The records of this engine's current lifecycle whose calls are still running, at the index of the same
     * instance in another graph, so that an engine built to replace this one does not overlap them.
     */
    private ComponentRecord[] stillCallingByIndex(ComponentGraph other) {
        ComponentRecord[] mapped = new ComponentRecord[other.size()];
        Map<Component, Integer> indexOf = new IdentityHashMap<>();
        for (int i = 0; i < other.size(); i++) {
            indexOf.put(other.definitionAt(i).component(), i);
        }
        for (ComponentRecord record : lifecycle.records) {
            ComponentRecord calling = record.stillCalling() ? record : record.predecessorCalling() ? record.predecessor
                    : null;
            Integer index = calling == null ? null : indexOf.get(record.definition.component());
            if (index != null) {
                mapped[index] = calling;
            }
        }
        return mapped;
    }

    /** Whether the current thread runs a setup or shutdown of one of this engine's components. */
    private boolean calledFromComponent() {
        Phase current = Phase.current();
        return current != null && current.lifecycle.owner == this;
    }

    /** Starts configuring an engine for a validated graph. */
    public static Builder builder(ComponentGraph graph) {
        return new Builder(graph);
    }

    /**
     * Sets up every component, each as soon as all of its dependencies are active. Does nothing when the graph
     * is already active.
     *
     * <p>When a setup throws or passes its timeout, no further setup starts, the setups in flight are awaited
     * (each until it returns or its timeout interrupts it), every component that became active is shut down in
     * reverse order, and then this method throws. A component whose setup failed is not shut down.
     *
     * @throws ComponentSetupException naming the first component that failed and its dependency path, with the
         *         cause; failures of other setups and of the rollback are attached as suppressed exceptions
     * @throws ConductorException when the setup was cancelled by {@link #shutdown()} or the calling thread was
     *         interrupted; components already active were shut down again
     */
    public void setup() {
        if (calledFromComponent()) {
            Phase current = Phase.current();
            throw new IllegalStateException("setup() was called from inside the " + current.step.verb() + " of a"
                    + " component of the same graph: a component cannot set up the graph it belongs to. Remove"
                    + " the call; the graph's setup is already " + (current.step == Step.SETUP ? "running."
                            : "over."));
        }
        lifecycleLock.lock();
        try {
            if (active) {
                return;
            }
            Lifecycle next = new Lifecycle(this, graph, setupTimeout, shutdownTimeout, listeners, lifecycle.records);
            lifecycle = next;
            Executor runner = executor != null ? executor : DefaultExecutors.create();
            SetupPhase phase = new SetupPhase(next, runner);
            setupInProgress = phase;
            try {
                phase.runToCompletion();
            }
            finally {
                setupInProgress = null;
            }
            if (phase.succeeded()) {
                active = true;
                return;
            }
            Map<String, Throwable> rollbackFailures = shutDown(new ShutdownPhase(next, runner));
            throw SetupFailures.describe(next.graph, phase, rollbackFailures);
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    /**
     * Shuts down every active component, each once every component that depends on it has shut down. A failing
     * or hanging shutdown (abandoned at its timeout) does not hold up the others. Does nothing when nothing is
     * active; a setup in progress on another thread is cancelled and rolled back first.
     *
     * <p>Called from inside a component of this graph, it does not wait: during a setup it cancels the setup,
     * which rolls back once the calling component's setup has returned; during a shutdown it returns at once,
     * since the shutdown is under way. A component blocked in {@code System.exit()} (whose shutdown hooks may call
     * this) is not waited for.
     *
     * @throws ComponentShutdownException after everything else is down, naming every component whose shutdown
     *         failed, with the causes
     */
    public void shutdown() {
        SetupPhase settingUp = setupInProgress;
        if (settingUp != null) {
            settingUp.cancel();
            settingUp.abandonExiting();
        }
        if (calledFromComponent()) {
            return;
        }
        ShutdownPhase shuttingDown = shutdownInProgress;
        if (shuttingDown != null) {
            shuttingDown.abandonExiting();
        }
        lifecycleLock.lock();
        try {
            if (!active) {
                return;
            }
            active = false;
            Executor runner = executor != null ? executor : DefaultExecutors.create();
            Map<String, Throwable> failures = shutDown(new ShutdownPhase(lifecycle, runner));
            if (!failures.isEmpty()) {
                throw new ComponentShutdownException(failures);
            }
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    private Map<String, Throwable> shutDown(ShutdownPhase phase) {
        shutdownInProgress = phase;
        try {
            return phase.shutDown();
        }
        finally {
            shutdownInProgress = null;
        }
    }

    /** Whether the last setup succeeded and no shutdown has started since. */
    public boolean isActive() {
        return active;
    }

    /** The graph this engine runs. */
    public ComponentGraph graph() {
        return graph;
    }

    /** The current state of a component. */
    public ComponentState state(String name) {
        return lifecycle.records[graph.indexOf(name)].state();
    }

    /** A snapshot of the current (or last) lifecycle: states, tiers, durations and the critical path. */
    public StartupReport report() {
        return StartupReport.of(lifecycle);
    }

    /** Configures a {@link LifecycleEngine}. */
    public static final class Builder {

        private final ComponentGraph graph;

        private Executor executor;

        private Duration setupTimeout = DEFAULT_SETUP_TIMEOUT;

        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private final List<LifecycleListener> listeners = new ArrayList<>();

        private LifecycleEngine predecessor;

        private Builder(ComponentGraph graph) {
            this.graph = Objects.requireNonNull(graph, "graph");
        }

        /**
         * Runs setups and shutdowns on this executor instead of the default one. Each task is a worker that runs
         * ready components until none is waiting. The executor must run tasks concurrently (a thread per task in
         * flight, at best), or independent components that block will not overlap, and it must run or refuse
         * every task it accepts: a task it silently discards can leave a setup waiting. When it refuses a worker
         * (by throwing, as {@code RejectedExecutionException}), a worker already running takes the waiting
         * components one after another; a component launched with no worker to take it fails with the refusal
         * as its cause. It is not shut down by the engine.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The setup timeout of components that have none of their own; one minute unless set. */
        public Builder setupTimeout(Duration timeout) {
            this.setupTimeout = Durations.requirePositive(timeout, "The default setup timeout");
            return this;
        }

        /** The shutdown timeout of components that have none of their own; 30 seconds unless set. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Durations.requirePositive(timeout, "The default shutdown timeout");
            return this;
        }

        /** Adds a listener for every component transition. Listeners are called in the order they were added;
         * one that throws does not keep the others from being called. */
        public Builder listener(LifecycleListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The engine this one replaces for the same instances: calls it abandoned at their timeouts that are still
         * running are not overlapped by this engine's setups.
         */
        Builder predecessor(LifecycleEngine previous) {
            this.predecessor = previous;
            return this;
        }

        public LifecycleEngine build() {
            return new LifecycleEngine(this);
        }
    }
}
