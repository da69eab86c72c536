package dev.conductor.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * constructor (or a constructor without parameters) that takes components and values provided with
 * {@link Builder#provide(Class, Object)}. A component-typed field must be left empty for Conductor to inject: one
 * that already holds an instance Conductor did not create is an error, since that instance would never be set up.
 *
 * <p>All methods may be called from any thread and from inside components: {@code add} of a known type returns
 * its instance at any time; {@code report()} during a setup shows the live states; {@code shutdown()} from inside
 * a component's setup cancels the setup without waiting for itself.
 */
public class Conductor implements AutoCloseable {

    /**
     * Where the facade is. The engine's own state (active or not) is the truth for what is set up; these count the
     * calls under way, so that nothing replaces the engine while one runs.
     */
    private enum State {
        /** Nothing set up and nothing under way: components and patches may be added. */
        IDLE,
        /** A setup (or its rollback) is under way. */
        SETTING_UP,
        /** Set up: the graph is fixed until it is shut down. */
        ACTIVE,
        /** A shutdown is under way. */
        SHUTTING_DOWN
    }

    private final ComponentAssembler assembler;

    private final Builder settings;

    private LifecycleEngine engine;

    private boolean changedSinceEngine;

    private int setupsUnderWay;

    private int shutdownsUnderWay;

    /** Guards {@link #escalation} and {@link #onEscalation}, so that no escalation wakes a run that is over. */
    private final Object escalationLock = new Object();

    /** Set when a supervision escalated during the current serve() or run(): they end with this. */
    private ComponentFailedException escalation;

    /** Woken by an escalation: the thread in serve() or run(); nothing outside them. */
    private Runnable onEscalation = () -> { };

    /** The leadership of each role, kept across engines: components are given them when they are created. */
    private final Map<String, RoleLeadership> leaderships = new java.util.concurrent.ConcurrentHashMap<>();

    /** A conductor with the default executor and timeouts. */
    public Conductor() {
        this(new Builder());
    }

    private Conductor(Builder settings) {
        this.settings = settings.copy();
        this.assembler = new ComponentAssembler(this.settings.values,
                type -> cause -> reportFailure(type.asSubclass(Component.class), cause), this::leadershipFor);
        if (this.settings.faults != null) {
            this.settings.faults.attach(this::faultName,
                    (name, cause) -> {
                        LifecycleEngine current;
                        synchronized (this) {
                            current = engine;
                        }
                        if (current == null) {
                            throw new IllegalStateException("Nothing was set up yet: call setup() first");
                        }
                        current.reportFailure(name, cause);
                    });
        }
    }

    /** The name a fault for {@code type} applies to: the component's, once known, or the type's simple name. */
    private synchronized String faultName(Class<?> type) {
        Component instance = assembler.existing(type);
        return instance == null ? type.getSimpleName() : assembler.names().get(instance.getClass());
    }

    /** Starts configuring a conductor: executor, timeouts, listeners and provided values. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the one instance for {@code type}, creating it and, transitively, every component it depends on.
     * A patched type yields its replacement. For a type already created this returns its instance at any time,
     * also while the components are set up or being set up.
     *
     * @throws ComponentGraphException when {@code type}, or a component one of the constructors needs, is
     *         abstract with no patch or ambiguous, when a constructor needs a value nobody provided, or when
     *         constructors depend on each other in a cycle
     * @throws IllegalStateException when {@code type} is new while a setup, the set-up graph or a shutdown is
     *         under way: it could not be set up with the others
     */
    public synchronized <T extends Component> T add(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Component existing = assembler.existing(type);
        if (existing != null) {
            return type.cast(existing);
        }
        requireIdle("add " + type.getSimpleName());
        changedSinceEngine = true;
        return type.cast(assembler.add(type));
    }

    /**
     * Adds a component you created yourself: it is set up and shut down like the others, its component-typed
     * fields that are empty are injected, and components that need its class (or a type only it implements) get
     * it. Its dependencies can only be declared by fields, since it is already constructed. Adding the same
     * instance again returns it.
     *
     * @throws IllegalStateException when another instance of its class exists, or while a setup, the set-up
     *         graph or a shutdown is under way
     */
    public synchronized <T extends Component> T add(T component) {
        Objects.requireNonNull(component, "component");
        if (assembler.existing(component.getClass()) == component) {
            return component;
        }
        requireIdle("add " + component.getClass().getSimpleName());
        changedSinceEngine = true;
        assembler.addInstance(component);
        return component;
    }

    /**
     * Adds a component under a name of its own: an object you do not own made a component with
     * {@link Component#of(Component.Action, Component.Action)}, or a second instance of a class. Nothing can
     * depend on it by type; it depends on the component classes given (created here, with what they need, if
     * they were not added yet). Adding the same instance under the same name again returns it.
     *
     * <pre>{@code
     * conductor.add("grpcServer", Component.of(server::start, server::shutdown), Database.class);
     * }</pre>
     *
     * @throws IllegalStateException when the name is taken by another instance, or while a setup, the set-up
     *         graph or a shutdown is under way
     */
    @SafeVarargs
    public final synchronized <T extends Component> T add(String name, T component,
            Class<? extends Component>... dependsOn) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(component, "component");
        if (assembler.named(name) == component) {
            return component;
        }
        requireIdle("add '" + name + "'");
        changedSinceEngine = true;
        assembler.addNamed(name, component, java.util.List.of(dependsOn));
        return component;
    }

    /**
     * Uses {@code replacement} wherever {@code type} is needed, and for {@code add(type)} itself. The replacement
     * is created with its own dependencies. Call it before the patched type is first created. In reports and
     * events the replacement is named for {@code type}, with its own class as the implementation.
     *
     * @throws IllegalStateException when {@code type} was already created, or while the components are set up
     * @throws IllegalArgumentException when {@code replacement} is abstract or not a {@code type}
     */
    public synchronized <T extends Component> void patch(Class<T> type, Class<? extends T> replacement) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(replacement, "replacement");
        requireIdle("patch " + type.getSimpleName());
        changedSinceEngine = true;
        assembler.patch(type, replacement);
    }

    /**
     * Validates the graph, then sets up every component concurrently by dependency. Does nothing when the
     * components are already set up; waits for a setup under way on another thread.
     *
     * @throws ComponentGraphException before anything is set up, on a cycle or a missing implementation
     * @throws ComponentSetupException when a setup failed or timed out, after the rollback
     * @throws SetupCancelledException when {@link #shutdown()} or an interrupt cancelled it, after the rollback
     * @throws IllegalStateException when called from inside a component's setup or shutdown
     */
    public void setup() {
        LifecycleEngine current;
        synchronized (this) {
            current = engine();
            setupsUnderWay++;
        }
        try {
            current.setup();
        }
        finally {
            synchronized (this) {
                setupsUnderWay--;
            }
        }
    }

    /**
     * Shuts down every active component in reverse dependency order. Does nothing when nothing is active. A setup
     * under way is cancelled: its setups in flight are interrupted and what became active is shut down again
     * before this returns. Called from inside a component, it does not wait (see {@link LifecycleEngine#shutdown()}).
     *
     * @throws ComponentShutdownException naming every component whose shutdown failed
     */
    public void shutdown() {
        LifecycleEngine current;
        synchronized (this) {
            current = engine;
            if (current == null) {
                return;
            }
            shutdownsUnderWay++;
        }
        try {
            current.shutdown();
        }
        finally {
            synchronized (this) {
                shutdownsUnderWay--;
            }
        }
    }

    /**
     * Sets up, runs the task, then shuts down, also when the task throws. The task's exception propagates, with
     * a shutdown failure attached as suppressed. When a component's supervision escalates meanwhile, the task's
     * thread is interrupted and this throws the {@link ComponentFailedException} once the task has returned. Only
     * an escalation during this run ends it: a later {@code run()} starts afresh, and an escalation after this
     * returned does not interrupt the thread.
     */
    public void run(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread runner = Thread.currentThread();
        waitForEscalation(runner::interrupt);
        ComponentFailedException failure;
        try {
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
                failure = stopWaitingForEscalation();
                if (failure != null) {
                    Thread.interrupted(); // the interrupt that woke the task
                    failure.addSuppressed(ex);
                    throw failure;
                }
                throw ex;
            }
            shutdown();
        }
        finally {
            failure = stopWaitingForEscalation();
        }
        if (failure != null) {
            Thread.interrupted(); // the interrupt that woke the task
            throw failure;
        }
    }

    /**
     * Makes {@code wake} what an escalation runs, from now until {@link #stopWaitingForEscalation()}; an escalation
     * of an earlier run or serve is forgotten.
     */
    private void waitForEscalation(Runnable wake) {
        synchronized (escalationLock) {
            escalation = null;
            onEscalation = wake;
        }
    }

    /**
     * Ends the waiting: an escalation from now on wakes nobody (nor interrupts a thread that has moved on).
     *
     * @return the escalation that happened while waiting, or {@code null}
     */
    private ComponentFailedException stopWaitingForEscalation() {
        synchronized (escalationLock) {
            onEscalation = () -> { };
            return escalation;
        }
    }

    /**
     * Sets up, then blocks until the JVM is asked to stop (SIGINT, SIGTERM or {@code System.exit}), and shuts
     * down before the JVM exits; a stop during the setup cancels it (the setups in flight are interrupted) and
     * rolls back before the JVM exits. When the calling thread is interrupted instead, shuts down (or rolls back
     * a setup in progress) and returns with the thread's interrupt status set.
     *
     * @throws ComponentSetupException when a component's setup failed or timed out (also by throwing
     *         {@code InterruptedException} itself), after the rollback
     * @throws ComponentFailedException when a component's supervision escalated during this call, after everything
     *         was shut down
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
        waitForEscalation(stopped::countDown);
        try {
            setup();
            stopped.await();
            ComponentFailedException failure = stopWaitingForEscalation();
            if (failure != null) {
                removeHook(hook);
                throw failure;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            removeHook(hook);
            shutdown();
        }
        catch (SetupCancelledException ex) {
            // interrupted, or stopped by the hook while setting up: what was active has been shut down again
            removeHook(hook);
        }
        catch (ComponentFailedException ex) {
            throw ex;
        }
        catch (RuntimeException | Error ex) {
            removeHook(hook);
            throw ex;
        }
        finally {
            stopWaitingForEscalation();
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

    /**
     * Restarts a component with its dependents while everything else keeps running; see
     * {@link LifecycleEngine#restart(String)}.
     *
     * @throws IllegalArgumentException when {@code type} was never added
     */
    public void restart(Class<? extends Component> type) {
        LifecycleEngine current;
        String name;
        synchronized (this) {
            current = engine;
            name = nameOf(type);
        }
        if (current == null) {
            throw new IllegalStateException("Cannot restart " + type.getSimpleName() + ": nothing was set up");
        }
        current.restart(name);
    }

    /**
     * Reports that a running component failed, as its {@link FailureReporter} does; its supervision policy
     * decides what happens.
     */
    public void reportFailure(Class<? extends Component> type, Throwable cause) {
        LifecycleEngine current;
        String name;
        synchronized (this) {
            current = engine;
            name = current == null ? null : nameOf(type);
        }
        if (current != null) {
            current.reportFailure(name, cause);
        }
    }

    private String nameOf(Class<?> type) {
        Component instance = assembler.existing(type);
        if (instance == null) {
            throw new IllegalArgumentException(type.getSimpleName() + " was never added to this conductor");
        }
        return assembler.names().get(instance.getClass());
    }

    /**
     * This replica's leadership of a role, live (see {@link Leadership}); the same object a {@link LeaderOnly}
     * component of the role is given.
     *
     * @throws IllegalArgumentException when no component added is leader-only for {@code role}
     */
    public Leadership leadership(String role) {
        Objects.requireNonNull(role, "role");
        LifecycleEngine current;
        synchronized (this) {
            current = engine();
        }
        return current.leadership(role);
    }

    /**
     * Gives the leadership of a role up, if this replica holds it: its components are shut down in reverse order,
     * then the election is told, and this replica stays a candidate. Returns at once; whether the role was held.
     *
     * @throws IllegalArgumentException when no component added is leader-only for {@code role}
     */
    public boolean yieldLeadership(String role) {
        Objects.requireNonNull(role, "role");
        LifecycleEngine current;
        synchronized (this) {
            current = engine();
        }
        return current.yieldLeadership(role);
    }

    /** The role a component class is leader-only for: marked on the builder, or by {@link LeaderOnly}. */
    private String roleOf(Class<?> implementation) {
        for (Map.Entry<Class<?>, String> mark : settings.leaderOnly.entrySet()) {
            if (mark.getKey().isAssignableFrom(implementation)) {
                return mark.getValue();
            }
        }
        for (Class<?> patched : assembler.patchedTypes(implementation)) {
            String role = annotatedRole(patched);
            if (role != null) {
                return role;
            }
        }
        return annotatedRole(implementation);
    }

    private static String annotatedRole(Class<?> type) {
        LeaderOnly mark = type.getAnnotation(LeaderOnly.class); // @Inherited: superclasses too
        if (mark != null) {
            return mark.value();
        }
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Class<?> contract : current.getInterfaces()) {
                String role = annotatedRole(contract);
                if (role != null) {
                    return role;
                }
            }
        }
        return null;
    }

    /** The leadership a leader-only component of {@code implementation} is given. */
    private Leadership leadershipFor(Class<?> implementation, String where) {
        String role = roleOf(implementation);
        if (role == null) {
            throw ComponentGraphException.of(where + " is a Leadership, but " + implementation.getSimpleName()
                    + " is not leader-only, so it has no role to be given the leadership of. Mark it"
                    + " @LeaderOnly(\"role\"), or look a role's leadership up with conductor.leadership(\"role\").",
                    implementation.getSimpleName());
        }
        return leaderships.computeIfAbsent(role, RoleLeadership::new);
    }

    private void escalated(ComponentFailedException failure) {
        synchronized (escalationLock) {
            escalation = failure;
            onEscalation.run();
        }
    }

    /** Whether the supervision has nothing pending: for tests. */
    synchronized boolean supervisionIdle() {
        return engine == null || engine.supervisionIdle();
    }

    /** Shuts down; the same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** The graph of the components added so far, validated; while a lifecycle is under way, the one it runs. */
    public synchronized ComponentGraph graph() {
        return engine().graph();
    }

    /**
     * A snapshot of the current or last lifecycle: states, tiers, durations and the critical path. Taken while a
     * setup is under way, it shows the live states.
     */
    public synchronized StartupReport report() {
        return engine().report();
    }

    private State state() {
        if (setupsUnderWay > 0) {
            return State.SETTING_UP;
        }
        if (shutdownsUnderWay > 0) {
            return State.SHUTTING_DOWN;
        }
        return engine != null && engine.isActive() ? State.ACTIVE : State.IDLE;
    }

    /** The engine for the components added so far; replaced only while nothing is set up or under way. */
    private LifecycleEngine engine() {
        if (engine == null || (changedSinceEngine && state() == State.IDLE)) {
            ComponentGraph graph = assembler.graph(settings.setupTimeouts, settings.shutdownTimeouts);
            LifecycleEngine.Builder builder = LifecycleEngine.builder(graph)
                    .setupTimeout(settings.setupTimeout)
                    .shutdownTimeout(settings.shutdownTimeout)
                    .predecessor(engine);
            if (settings.executor != null) {
                builder.executor(settings.executor);
            }
            if (settings.listener != null) {
                builder.listener(settings.listener);
            }
            builder.retryPolicy(settings.retryPolicy);
            Map<Class<?>, String> names = assembler.names();
            settings.retryPolicies.forEach((type, policy) -> {
                Component instance = assembler.existing(type);
                if (instance != null) {
                    builder.retryPolicy(names.get(instance.getClass()), policy);
                }
            });
            builder.supervision(settings.supervisionPolicy);
            settings.supervisionPolicies.forEach((type, policy) -> {
                Component instance = assembler.existing(type);
                if (instance != null) {
                    builder.supervision(names.get(instance.getClass()), policy);
                }
            });
            builder.onEscalation(this::escalated);
            assembler.instances().forEach((type, instance) -> {
                String role = roleOf(type);
                if (role != null) {
                    builder.leaderOnly(names.get(type), role);
                }
            });
            assembler.namedInstances().forEach((name, instance) -> {
                String role = roleOf(instance.getClass());
                if (role != null) {
                    builder.leaderOnly(name, role);
                }
            });
            if (settings.election != null) {
                builder.leaderElection(settings.election);
            }
            builder.leaderships(leaderships);
            if (settings.faults != null) {
                builder.faultsAttachedElsewhere(settings.faults);
            }
            if (settings.setupDeadline != null) {
                builder.setupDeadline(settings.setupDeadline);
            }
            if (settings.shutdownDeadline != null) {
                builder.shutdownDeadline(settings.shutdownDeadline);
            }
            if (settings.delays != null) {
                builder.delays(settings.delays);
            }
            engine = builder.build();
            changedSinceEngine = false;
        }
        return engine;
    }

    private void requireIdle(String action) {
        State state = state();
        if (state != State.IDLE) {
            throw new IllegalStateException("Cannot " + action + " while " + switch (state) {
                case SETTING_UP -> "a setup is under way";
                case ACTIVE -> "the components are set up";
                default -> "a shutdown is under way";
            } + ": it would not be set up with the others. Add components and patches before setup(), or after"
                    + " shutdown() has returned.");
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

        private final Map<Class<?>, Object> values = new LinkedHashMap<>();

        private RetryPolicy retryPolicy = RetryPolicy.none();

        private final Map<Class<?>, RetryPolicy> retryPolicies = new LinkedHashMap<>();

        private Duration setupDeadline;

        private Duration shutdownDeadline;

        private DelayScheduler delays;

        private Faults faults;

        private SupervisionPolicy supervisionPolicy = SupervisionPolicy.none();

        private final Map<Class<?>, SupervisionPolicy> supervisionPolicies = new LinkedHashMap<>();

        private LeaderElection election;

        private final Map<Class<?>, String> leaderOnly = new LinkedHashMap<>();

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
            copy.values.putAll(values);
            copy.retryPolicy = retryPolicy;
            copy.retryPolicies.putAll(retryPolicies);
            copy.setupDeadline = setupDeadline;
            copy.shutdownDeadline = shutdownDeadline;
            copy.delays = delays;
            copy.supervisionPolicy = supervisionPolicy;
            copy.faults = faults;
            copy.supervisionPolicies.putAll(supervisionPolicies);
            copy.election = election;
            copy.leaderOnly.putAll(leaderOnly);
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

        /** How every component without its own policy retries a failed setup; none unless set. */
        public Builder setupRetry(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How one component class (or the replacement of a patched class) retries a failed setup. */
        public Builder setupRetry(Class<? extends Component> type, RetryPolicy policy) {
            retryPolicies.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** What happens when a component without its own policy fails while running; nothing unless set. */
        public Builder supervision(SupervisionPolicy policy) {
            this.supervisionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** What happens when one component class (or the replacement of a patched class) fails while running. */
        public Builder supervision(Class<? extends Component> type, SupervisionPolicy policy) {
            supervisionPolicies.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Who leads each role of the {@link LeaderOnly} components: an election on an existing coordination engine
         * (such as {@code CuratorLeaderElection} from {@code conductor-curator}), or
         * {@link LeaderElection#standalone()} for a single instance. Required when a component is leader-only.
         */
        public Builder leaderElection(LeaderElection election) {
            this.election = Objects.requireNonNull(election, "election");
            return this;
        }

        /**
         * Marks a component class (and its subclasses and replacements) leader-only for {@code role}, as
         * {@link LeaderOnly} does for a class you can annotate.
         */
        public Builder leaderOnly(Class<? extends Component> type, String role) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(role, "role");
            if (role.isBlank()) {
                throw new IllegalArgumentException("The role of " + type.getSimpleName() + " must not be blank");
            }
            leaderOnly.put(type, role);
            return this;
        }

        /** Faults a test injects into the components; see {@link Faults}. */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** The whole setup's deadline; see {@link LifecycleEngine.Builder#setupDeadline(Duration)}. */
        public Builder setupDeadline(Duration deadline) {
            this.setupDeadline = Durations.requirePositive(deadline, "The setup deadline");
            return this;
        }

        /** The whole shutdown's deadline; see {@link LifecycleEngine.Builder#shutdownDeadline(Duration)}. */
        public Builder shutdownDeadline(Duration deadline) {
            this.shutdownDeadline = Durations.requirePositive(deadline, "The shutdown deadline");
            return this;
        }

        /**
         * What waits out the delays of retries and restarts, for tests; see
         * {@link LifecycleEngine.Builder#delays(DelayScheduler)}.
         */
        public Builder delays(DelayScheduler delays) {
            this.delays = Objects.requireNonNull(delays, "delays");
            return this;
        }

        /**
         * Provides a value that is not a component (settings, a {@code Clock}, a metrics registry) to every
         * component that takes a {@code type} as a constructor parameter or has an empty, non-final field of that
         * type. A parameter or field of a supertype gets it when it is the only value provided that fits. Values
         * are never set up or shut down.
         *
         * <pre>{@code
         * Conductor conductor = Conductor.builder()
         *         .provide(DatabaseSettings.class, new DatabaseSettings("jdbc:h2:mem:orders"))
         *         .provide(Clock.class, Clock.systemUTC())
         *         .build();
         * }</pre>
         *
         * @throws IllegalArgumentException when {@code value} is a component (add it with
         *         {@link Conductor#add(Component)}), or not a {@code type}
         * @throws IllegalStateException when a value was already provided for {@code type}
         */
        public <T> Builder provide(Class<T> type, T value) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, () -> "the value for " + type.getName());
            if (value instanceof Component || Component.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("Cannot provide " + type.getSimpleName() + " as a value: it is a"
                        + " Component, which Conductor sets up and shuts down. Add it with conductor.add(instance).");
            }
            if (!type.isInstance(value)) {
                throw new IllegalArgumentException("Cannot provide a " + value.getClass().getName() + " as a "
                        + type.getName());
            }
            if (values.containsKey(type)) {
                throw new IllegalStateException("A value for " + type.getSimpleName() + " was provided twice: provide"
                        + " each type once, or provide the second under a more specific type.");
            }
            values.put(type, value);
            return this;
        }

        public Conductor build() {
            return new Conductor(this);
        }
    }
}
