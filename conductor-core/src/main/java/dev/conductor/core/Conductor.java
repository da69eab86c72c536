package dev.conductor.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * Orchestrates the lifecycle of an application's components, created from their classes.
 *
 * <pre>{@code
 * Conductor conductor = new Conductor();
 * conductor.patch(MessageQueue.class, InMemoryQueue.class);   // optional, for tests
 * conductor.add(WebApi.class);                                 // and everything it needs
 * conductor.add(BackgroundWorkers.class);
 * conductor.serve();   // set up, run until SIGTERM or Ctrl-C, shut down
 * }</pre>
 *
 * <p>{@link #add(Class)} creates the one instance of a component class and, transitively, of every component it
 * declares as a constructor parameter or a non-static field. {@link #setup()} validates the whole graph (cycles,
 * missing implementations) before it sets anything up, then sets components up concurrently, each the moment
 * its own dependencies are active; {@link #shutdown()} runs in reverse. See {@link LifecycleEngine} for the
 * failure and timeout rules.
 *
 * <p>Component classes need not be public, but a nested one must be {@code static}, and each needs a single
 * constructor (or a constructor without parameters) that takes only components.
 */
public class Conductor implements AutoCloseable {

    private final ComponentAssembler assembler = new ComponentAssembler();

    private final Builder settings;

    private LifecycleEngine engine;

    private boolean changedSinceEngine;

    /** A conductor with the default executor and timeouts. */
    public Conductor() {
        this(new Builder());
    }

    private Conductor(Builder settings) {
        this.settings = settings.copy();
    }

    /** Starts configuring a conductor: executor, timeouts and listeners. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the one instance for {@code type}, creating it and, transitively, every component it depends on.
     * A patched type yields its replacement.
     *
     * @throws ComponentGraphException when {@code type}, or a component one of the constructors needs, is
     *         abstract with no patch, or when constructors depend on each other in a cycle
     * @throws IllegalStateException while the components are set up
     */
    public synchronized <T extends Component> T add(Class<T> type) {
        Objects.requireNonNull(type, "type");
        requireNotActive("add " + type.getSimpleName());
        changedSinceEngine = true;
        return type.cast(assembler.add(type));
    }

    /**
     * Uses {@code replacement} wherever {@code type} is needed, and for {@code add(type)} itself. The replacement
     * is created with its own dependencies. Call it before the patched type is first created.
     *
     * @throws IllegalStateException when {@code type} was already created, or while the components are set up
     * @throws IllegalArgumentException when {@code replacement} is abstract or not a {@code type}
     */
    public synchronized <T extends Component> void patch(Class<T> type, Class<? extends T> replacement) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(replacement, "replacement");
        requireNotActive("patch " + type.getSimpleName());
        changedSinceEngine = true;
        assembler.patch(type, replacement);
    }

    /**
     * Validates the graph, then sets up every component concurrently by dependency.
     *
     * @throws ComponentGraphException before anything is set up, on a cycle or a missing implementation
     * @throws ComponentSetupException when a setup failed or timed out, after the rollback
     */
    public void setup() {
        engine().setup();
    }

    /**
     * Shuts down every active component in reverse dependency order. Does nothing when nothing is active.
     *
     * @throws ComponentShutdownException naming every component whose shutdown failed
     */
    public void shutdown() {
        LifecycleEngine current;
        synchronized (this) {
            current = engine;
        }
        if (current != null) {
            current.shutdown();
        }
    }

    /**
     * Sets up, runs the task, then shuts down, also when the task throws. The task's exception propagates, with
     * a shutdown failure attached as suppressed.
     */
    public void run(Runnable task) {
        Objects.requireNonNull(task, "task");
        setup();
        try {
            task.run();
        }
        catch (RuntimeException | Error ex) {
            try {
                shutdown();
            }
            catch (RuntimeException shutdownFailure) {
                ex.addSuppressed(shutdownFailure);
            }
            throw ex;
        }
        shutdown();
    }

    /**
     * Sets up, then blocks until the JVM is asked to stop (SIGINT, SIGTERM or {@code System.exit}), and shuts
     * down before the JVM exits. When the calling thread is interrupted instead, shuts down (or rolls back a setup
     * in progress) and returns with the thread's interrupt status set.
     */
    public void serve() {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                shutdown();
            }
            finally {
                stopped.countDown();
            }
        }, "conductor-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            setup();
            stopped.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            removeHook(hook);
            shutdown();
        }
        catch (RuntimeException | Error ex) {
            removeHook(hook);
            if (ex.getCause() instanceof InterruptedException) {
                return; // interrupted while setting up: what was active has been shut down again
            }
            throw ex;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException jvmAlreadyStopping) {
            // the hook is running or about to: it shuts down
        }
    }

    /** Shuts down; the same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** The graph of the components added so far, validated. */
    public synchronized ComponentGraph graph() {
        return engine().graph();
    }

    /** A snapshot of the current or last lifecycle: states, tiers, durations and the critical path. */
    public synchronized StartupReport report() {
        return engine().report();
    }

    private synchronized LifecycleEngine engine() {
        if (engine == null || (changedSinceEngine && !engine.isActive())) {
            ComponentGraph graph = assembler.graph(settings.setupTimeouts, settings.shutdownTimeouts);
            LifecycleEngine.Builder builder = LifecycleEngine.builder(graph)
                    .setupTimeout(settings.setupTimeout)
                    .shutdownTimeout(settings.shutdownTimeout);
            if (settings.executor != null) {
                builder.executor(settings.executor);
            }
            if (settings.listener != null) {
                builder.listener(settings.listener);
            }
            engine = builder.build();
            changedSinceEngine = false;
        }
        return engine;
    }

    private void requireNotActive(String action) {
        if (engine != null && engine.isActive()) {
            throw new IllegalStateException("Cannot " + action + " while the components are set up: call"
                    + " shutdown() first");
        }
    }

    /** Configures a {@link Conductor}. */
    public static final class Builder {

        private Executor executor;

        private Duration setupTimeout = LifecycleEngine.DEFAULT_SETUP_TIMEOUT;

        private Duration shutdownTimeout = LifecycleEngine.DEFAULT_SHUTDOWN_TIMEOUT;

        private final Map<Class<?>, Duration> setupTimeouts = new HashMap<>();

        private final Map<Class<?>, Duration> shutdownTimeouts = new HashMap<>();

        private LifecycleListener listener;

        private Builder() {
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.executor = executor;
            copy.setupTimeout = setupTimeout;
            copy.shutdownTimeout = shutdownTimeout;
            copy.setupTimeouts.putAll(setupTimeouts);
            copy.shutdownTimeouts.putAll(shutdownTimeouts);
            copy.listener = listener;
            return copy;
        }

        /** Runs setups and shutdowns on this executor; see {@link LifecycleEngine.Builder#executor(Executor)}. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The setup timeout of every component without its own; one minute unless set. */
        public Builder setupTimeout(Duration timeout) {
            this.setupTimeout = Durations.requirePositive(timeout, "The default setup timeout");
            return this;
        }

        /** The shutdown timeout of every component without its own; 30 seconds unless set. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Durations.requirePositive(timeout, "The default shutdown timeout");
            return this;
        }

        /** The setup timeout of one component class (or of the replacement of a patched class). */
        public Builder setupTimeout(Class<? extends Component> type, Duration timeout) {
            setupTimeouts.put(type, Durations.requirePositive(timeout, "The setup timeout of " + type.getName()));
            return this;
        }

        /** The shutdown timeout of one component class (or of the replacement of a patched class). */
        public Builder shutdownTimeout(Class<? extends Component> type, Duration timeout) {
            shutdownTimeouts.put(type, Durations.requirePositive(timeout, "The shutdown timeout of " + type.getName()));
            return this;
        }

        /** Receives every component transition. */
        public Builder listener(LifecycleListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Conductor build() {
            return new Conductor(this);
        }
    }
}
