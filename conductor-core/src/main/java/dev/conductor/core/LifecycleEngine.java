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

    private final Retries retries;

    /** The setup begun before this engine was built, which its first setup finishes; {@code null} after it. */
    private EarlySetup early;

    /** Whether nothing is reported: no log line, no flight event (an {@link EarlySetup#warmUp()}). */
    private final boolean quiet;

    private final Duration setupDeadline;

    private final Duration shutdownDeadline;

    private final ReentrantLock lifecycleLock = new ReentrantLock();

    private final Supervisor supervisor;

    private final Faults faults;

    private final List<java.util.function.Consumer<ComponentFailedException>> escalationHandlers;

    /** The leader-only roles, or {@code null} when no component is leader-only. */
    private final LeaderRoles roles;

    /** Set while a whole-graph shutdown is under way, so that restarts asked for meanwhile are refused. */
    private volatile boolean shuttingDown;

    private volatile Lifecycle lifecycle;

    private volatile SetupPhase setupInProgress;

    private volatile ShutdownPhase shutdownInProgress;

    private volatile boolean active;

    /**
     * Run when a shutdown deadline passes, before any shutdown is started out of order: for tests that check the
     * order of shutdowns, which the deadline gives up.
     */
    volatile Runnable shutdownDeadlinePassed = () -> { };

    private LifecycleEngine(Builder builder) {
        this.quiet = builder.quiet;
        this.graph = builder.graph;
        this.executor = builder.executor;
        this.setupTimeout = builder.setupTimeout;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.listeners = List.copyOf(builder.listeners);
        this.setupDeadline = builder.setupDeadline;
        this.shutdownDeadline = builder.shutdownDeadline;
        for (String name : builder.retryPolicies.keySet()) {
            graph.indexOf(name); // an unknown name fails here, naming the known ones
        }
        for (String name : builder.supervisionPolicies.keySet()) {
            graph.indexOf(name);
        }
        this.escalationHandlers = List.copyOf(builder.escalationHandlers);
        this.supervisor = new Supervisor(graph, builder.supervisionPolicy, builder.supervisionPolicies,
                builder.delays, new Supervisor.Engine() {

                    @Override
                    public void restart(int index, Throwable cause) {
                        restartPart(index, cause);
                    }

                    @Override
                    public void escalate(int index, ComponentFailedException failure) {
                        escalateWith(failure);
                    }

                    @Override
                    public boolean leaderOnly(int index) {
                        return roles != null && roles.roleAt(index) != null;
                    }

                    @Override
                    public void unrecovered(int index, Throwable cause) {
                        lifecycle.records[index].unrecoveredFailure = cause;
                    }

                    @Override
                    public Object incarnation(int index) {
                        return lifecycle.records[index];
                    }

                    @Override
                    public boolean isRunning() {
                        return active && !shuttingDown;
                    }

                    @Override
                    public boolean isActive(int index) {
                        return active && !shuttingDown && lifecycle.records[index].state() == ComponentState.ACTIVE;
                    }

                    @Override
                    public boolean isComponentActive(int index) {
                        return !shuttingDown && lifecycle.records[index].state() == ComponentState.ACTIVE;
                    }

                    @Override
                    public void emit(int index, LifecycleEvent.Kind kind, Throwable failure) {
                        long now = lifecycle.now();
                        lifecycle.emit(lifecycle.records[index], kind, now, now, failure);
                    }
                });
        supervisor.executor(builder.executor);
        this.roles = LeaderRoles.of(graph, builder.leaderOnly, builder.election, builder.leaderships, listeners,
                builder.delays);
        if (roles != null) {
            roles.engine(new LeaderRoles.Engine() {

                @Override
                public LeaderRoles.Outcome setUp(LeaderRoles.Role role, long token) {
                    return setUpRole(role, token);
                }

                @Override
                public boolean shutDown(LeaderRoles.Role role) {
                    return shutDownRole(role);
                }

                @Override
                public Executor executor() {
                    return runner();
                }
            });
        }
        this.early = builder.early;
        if (early != null) {
            supervisor.setupStarted(); // components are set up already; setup() ends it
        }
        if (early != null) {
            this.retries = early.retries;
            this.lifecycle = early.adopt(this, graph, builder.retryPolicies);
            if (roles != null) {
                boolean[] leaderOnly = roles.ordinary();
                for (int i = 0; i < leaderOnly.length; i++) {
                    leaderOnly[i] = !leaderOnly[i];
                }
                early.phase().exclude(leaderOnly); // set up when their role is granted, never by the setup
            }
        }
        else {
            this.retries = new Retries(builder.retryPolicy, builder.retryPolicies, builder.delays);
            this.lifecycle = new Lifecycle(this, graph, setupTimeout, shutdownTimeout, listeners,
                    builder.predecessor == null ? null : builder.predecessor.stillCallingByIndex(graph), retries);
        }
        lifecycle.quiet = quiet;
        this.faults = builder.faults;
        if (faults != null) {
            lifecycle.faults = faults;
            if (builder.attachFaults) {
                faults.attach(type -> type.getSimpleName(), this::reportFailure);
            }
        }
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
        return new Builder(Objects.requireNonNull(graph, "graph"));
    }

    /**
     * Starts configuring an engine whose graph is given later, with {@link Builder#graph}: to begin setting
     * components up with {@link Builder#setupEarly()} before the whole graph is known.
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * Sets up every component, each as soon as all of its dependencies are active. Does nothing when the graph
     * is already active.
     *
     * <p>When a setup throws or passes its timeout, no further setup starts, the setups in flight are awaited
     * (each until it returns or its timeout interrupts it), every component that became active is shut down in
     * reverse order, and then this method throws. A component whose setup failed is not shut down. A setup
     * abandoned at its timeout keeps its dependencies up in the rollback until it has returned (and, if it
     * succeeded late, was shut down), for at most its shutdown timeout. A component is never called while an
     * earlier call on it (from an earlier setup of this engine) is still running: its setup fails instead.
     *
     * <p>When the setup is cancelled, by {@link #shutdown()} or an interrupt of the calling thread, the setups in
     * flight are interrupted at once and the same rollback follows.
     *
     * @throws ComponentSetupException naming the first component that failed and its dependency path, with the
     *         cause; failures of other setups and of the rollback are attached as suppressed exceptions
     * @throws SetupCancelledException when the setup was cancelled by {@link #shutdown()} or the calling thread
     *         was interrupted (its interrupt status is set again); components already active were shut down
     * @throws IllegalStateException when called from inside a setup or shutdown of this engine's components
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
            supervisor.setupStarted();
            try {
                setUpLocked();
            }
            finally {
                supervisor.setupEnded(active);
            }
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    /** The setup, under the lifecycle lock: sets {@link #active} once it succeeded. */
    private void setUpLocked() {
        EarlySetup begun = early;
        if (begun != null) {
            early = null;
            setupInProgress = begun.phase();
            ConductorException failure;
            try {
                failure = begun.finish();
            }
            finally {
                setupInProgress = null;
            }
            if (failure != null) {
                throw failure;
            }
            active = true;
            joinElections(lifecycle, executor != null ? executor : DefaultExecutors.create());
            return;
        }
        if (graph.size() == 0) {
            active = true; // nothing to run: no phase, no executor, none of their classes loaded
            return;
        }
        Lifecycle next = new Lifecycle(this, graph, setupTimeout, shutdownTimeout, listeners,
                lifecycle.mayStillBeCalled() ? lifecycle.records : null, retries);
        next.faults = faults;
        next.quiet = quiet;
        lifecycle = next;
        Executor runner = executor != null ? executor : DefaultExecutors.create();
        // leader-only components are set up when their role is granted, once the others are active
        SetupPhase phase = new SetupPhase(next, runner, roles == null ? null : roles.ordinary());
        if (setupDeadline != null) {
            phase.deadline(setupDeadline);
        }
        Object recorded = quiet ? null : FlightRecording.setupStarted();
        setupInProgress = phase;
        try {
            phase.runToCompletion();
        }
        finally {
            setupInProgress = null;
        }
        if (phase.succeeded()) {
            active = true;
            FlightRecording.setupEnded(recorded, graph, null);
            joinElections(next, runner);
            return;
        }
        Map<String, Throwable> rollbackFailures = shutDown(new ShutdownPhase(next, runner), true);
        RuntimeException failure = SetupFailures.describe(next.graph, phase, rollbackFailures);
        FlightRecording.setupEnded(recorded, graph, failure);
        throw failure;
    }

    /**
     * Joins the election of each role once the ordinary components are active; when one cannot be joined, shuts
     * them down again and throws. Under the lifecycle lock.
     */
    private void joinElections(Lifecycle current, Executor runner) {
        if (roles == null) {
            return;
        }
        try {
            roles.joinAll();
        }
        catch (ConductorException joinFailed) {
            active = false;
            Map<String, Throwable> rollbackFailures = shutDown(new ShutdownPhase(current, runner), true);
            rollbackFailures.forEach((name, failure) -> joinFailed.addSuppressed(failure));
            throw joinFailed;
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
        shuttingDown = true;
        try {
            shutDownAll();
        }
        finally {
            shuttingDown = false;
        }
    }

    private void shutDownAll() {
        SetupPhase settingUp = setupInProgress;
        if (settingUp != null) {
            settingUp.cancel();
            settingUp.abandonExiting();
        }
        if (roles != null) {
            roles.cancelSetups(!calledFromComponent());
        }
        if (calledFromComponent()) {
            return;
        }
        EarlySetup begun = early;
        if (begun != null) {
            begun.cancel(); // taken over, not finished: its setup() will throw what this ends it with
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
            if (graph.size() == 0) {
                return;
            }
            Executor runner = executor != null ? executor : DefaultExecutors.create();
            Map<String, Throwable> failures = new java.util.LinkedHashMap<>();
            long started = System.nanoTime();
            long spent = 0;
            if (roles != null) {
                // a graceful hand-over: the leader-only components first, then the leadership at once, so that
                // another replica takes over while this one shuts the rest down
                roles.stoppingWithTheRest();
                boolean[] leading = roles.upParts();
                if (leading != null) {
                    failures.putAll(shutDown(new ShutdownPhase(lifecycle, runner, leading), false));
                }
                roles.shutDownWithTheRest();
                roles.leaveAll();
                spent = System.nanoTime() - started; // the rest has what is left of the deadline
            }
            failures.putAll(shutDown(new ShutdownPhase(lifecycle, runner), false, spent));
            if (!failures.isEmpty()) {
                throw new ComponentShutdownException(failures);
            }
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    private Map<String, Throwable> shutDown(ShutdownPhase phase, boolean rollback) {
        return shutDown(phase, rollback, 0);
    }

    /**
     * Runs a shutdown phase (a rollback of a failed setup, or a shutdown) within what is left of the shutdown
     * deadline, {@code spentNanos} having passed.
     */
    private Map<String, Throwable> shutDown(ShutdownPhase phase, boolean rollback, long spentNanos) {
        if (shutdownDeadline != null) {
            phase.deadline(spentNanos == 0 ? shutdownDeadline
                    : Duration.ofNanos(Math.max(1, Durations.saturatedNanos(shutdownDeadline) - spentNanos)));
        }
        Object recorded = quiet ? null : FlightRecording.shutdownStarted();
        shutdownInProgress = phase;
        Map<String, Throwable> failures;
        try {
            failures = phase.shutDown();
        }
        finally {
            shutdownInProgress = null;
        }
        FlightRecording.shutdownEnded(recorded, graph, rollback, failures);
        return failures;
    }

    /**
     * Restarts a component with its dependents while everything else keeps running: shuts down its transitive
     * dependents in reverse dependency order, then the component, then sets the component up again (with its
     * retry policy) and then its dependents, each the moment its own dependencies are active again. Returns once
     * they are all active again. Restarts and the other lifecycle operations run one at a time: a restart
     * requested while a setup, a shutdown or another restart is under way waits for it, then runs (or is refused
     * when the components are no longer set up); a {@link #shutdown()} meanwhile cancels the restart.
     *
     * @throws IllegalStateException when the components are not set up, a shutdown is under way, or when called
     *         from inside one of this engine's components
     * @throws ComponentSetupException when the restart's setup failed: what it had set up again was shut down,
     *         and the component and its dependents stay down; a role with {@link LeaderOnly} components among them
     *         has the rest of its components shut down too and is given up, as when they cannot be set up at its
     *         grant, so that another replica can take it (this one stays a candidate)
     */
    public void restart(String name) {
        restartPart(graph.indexOf(name), null);
    }

    private void restartPart(int index, Throwable cause) {
        List<Runnable> rolesGivenUp = new ArrayList<>();
        try {
            restartPart(index, cause, rolesGivenUp);
        }
        finally {
            rolesGivenUp.forEach(Runnable::run); // events and the election's yield, off the lifecycle lock
        }
    }

    private void restartPart(int index, Throwable cause, List<Runnable> rolesGivenUp) {
        String name = graph.definitionAt(index).name();
        if (calledFromComponent()) {
            throw new IllegalStateException("Cannot restart '" + name + "' from inside a setup or shutdown of the"
                    + " same graph: report the failure with a FailureReporter instead, and let its supervision"
                    + " restart it.");
        }
        if (shuttingDown) {
            throw new IllegalStateException("Cannot restart '" + name + "': the components are being shut down");
        }
        lifecycleLock.lock();
        try {
            if (!active || shuttingDown) {
                throw new IllegalStateException("Cannot restart '" + name + "': the components are not set up."
                        + " Call setup() first.");
            }
            boolean[] part = withDependents(index);
            if (roles != null) {
                roles.removeDown(part); // leader-only components of a role not held stay down
                if (!part[index]) {
                    throw new IllegalStateException("Cannot restart '" + name + "': it is leader-only for role '"
                            + roles.roleAt(index).name + "', which this replica does not lead, so it is not set up.");
                }
            }
            requireDependenciesActive(name, part);
            long now = lifecycle.now();
            lifecycle.emit(lifecycle.records[index], LifecycleEvent.Kind.RESTART_REQUESTED, now, now, cause);
            Executor runner = executor != null ? executor : DefaultExecutors.create();
            Map<String, Throwable> shutdownFailures = new ShutdownPhase(lifecycle, runner, part).shutDown();
            now = lifecycle.now();
            lifecycle.emit(lifecycle.records[index], LifecycleEvent.Kind.RESTART_SHUT_DOWN, now, now, null);
            renewRecords(part);
            SetupPhase phase = new SetupPhase(lifecycle, runner, part);
            runSetup(phase);
            if (phase.succeeded()) {
                supervisor.countRestart(index);
                now = lifecycle.now();
                lifecycle.emit(lifecycle.records[index], LifecycleEvent.Kind.RESTART_FINISHED, now, now, null);
                if (!shutdownFailures.isEmpty()) {
                    EngineLog.LOGGER.log(System.Logger.Level.WARNING, "Restart of ''{0}'': shutdown failed for {1}", name,
                            shutdownFailures.keySet());
                }
                return;
            }
            // a role taken down by the restart is given up as after a failed setup at its grant: STOPPING during the
            // rollback, then the rest of its components shut down too, so that no role is left half up
            List<LeaderRoles.Role> touched = roles == null ? List.of() : roles.upIn(part);
            long[] tokens = new long[touched.size()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = touched.get(i).restartFailing();
            }
            ConductorException failure = rollBack(phase, part, runner, false);
            now = lifecycle.now();
            lifecycle.emit(lifecycle.records[index], LifecycleEvent.Kind.RESTART_FAILED, now, now, failure);
            for (int i = 0; i < tokens.length; i++) {
                shutDownRole(touched.get(i));
                rolesGivenUp.add(touched.get(i).restartFailed(tokens[i], failure));
            }
            throw failure;
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    /*
     * A restart and a grant of a role are the same mechanism: fresh records for the part, one setup phase over it
     * (its dependencies outside the part are active, so each component waits only for those inside), and a
     * rollback of the part when that fails. All three run under the lifecycle lock.
     */

    /** Starts a new record for each component of the part, linked to the old one (a late call is not overlapped). */
    private void renewRecords(boolean[] part) {
        for (int i = 0; i < part.length; i++) {
            if (part[i]) {
                ComponentRecord old = lifecycle.records[i];
                lifecycle.records[i] = new ComponentRecord(i, old.definition, old);
            }
        }
    }

    /** Runs a setup phase over a part, where a {@link #shutdown()} meanwhile can cancel it. */
    private void runSetup(SetupPhase phase) {
        setupInProgress = phase;
        try {
            phase.runToCompletion();
        }
        finally {
            setupInProgress = null;
        }
    }

    /** Shuts down what a failed setup of a part made active, and describes the failure. */
    private ConductorException rollBack(SetupPhase phase, boolean[] part, Executor runner, boolean withDeadline) {
        ShutdownPhase rollback = new ShutdownPhase(lifecycle, runner, part);
        return SetupFailures.describe(graph, phase, withDeadline ? shutDown(rollback, true) : rollback.shutDown());
    }

    /**
     * A restart sets its part up again on the assumption that everything it depends on outside it is running:
     * refuse it, before anything is shut down, when a failed restart left such a dependency down.
     */
    private void requireDependenciesActive(String name, boolean[] part) {
        requireDependenciesActive("restart '" + name + "'", "Restart", part);
    }

    private void requireDependenciesActive(String action, String remedy, boolean[] part) {
        for (int i = 0; i < part.length; i++) {
            if (!part[i]) {
                continue;
            }
            for (int dependency : graph.dependenciesOf(i)) {
                if (!part[dependency] && lifecycle.records[dependency].state() != ComponentState.ACTIVE) {
                    String down = graph.definitionAt(dependency).name();
                    throw new IllegalStateException("Cannot " + action + ": '"
                            + graph.definitionAt(i).name() + "' depends on '" + down + "', which is not active ("
                            + lifecycle.records[dependency].state() + "), so it could not be set up"
                            + (action.startsWith("restart") ? " again. " : ". ") + remedy
                            + " '" + down + "' first.");
                }
            }
        }
    }

    /** The component and its transitive dependents. */
    private boolean[] withDependents(int index) {
        boolean[] part = new boolean[graph.size()];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        part[index] = true;
        queue.add(index);
        while (!queue.isEmpty()) {
            for (int dependent : graph.dependentsOf(queue.poll())) {
                if (!part[dependent]) {
                    part[dependent] = true;
                    queue.add(dependent);
                }
            }
        }
        return part;
    }

    private Executor runner() {
        return executor != null ? executor : DefaultExecutors.create();
    }

    /**
     * Sets a role's components up for the grant with {@code token}, by the phases a restart uses: their
     * dependencies outside the role are active, so each waits only for its own role's. A failure rolls back what
     * became active.
     */
    private LeaderRoles.Outcome setUpRole(LeaderRoles.Role role, long token) {
        lifecycleLock.lock();
        try {
            if (!active || shuttingDown) {
                return LeaderRoles.Outcome.NOT_RUNNING;
            }
            if (role.up) {
                return LeaderRoles.Outcome.ACTIVE;
            }
            try {
                requireDependenciesActive("set up role '" + role.name + "'", "Restart", role.part);
            }
            catch (IllegalStateException dependencyDown) {
                return LeaderRoles.Outcome.failed(dependencyDown);
            }
            renewRecords(role.part);
            Executor runner = runner();
            SetupPhase phase = new SetupPhase(lifecycle, runner, role.part);
            if (setupDeadline != null) {
                phase.deadline(setupDeadline);
            }
            if (!role.settingUp(phase, token)) {
                return LeaderRoles.Outcome.WITHDRAWN;
            }
            boolean succeeded = false;
            try {
                runSetup(phase);
                succeeded = phase.succeeded();
            }
            finally {
                role.setUpEnded(token, succeeded); // up, or rolling back: the role's status moves with its components
            }
            if (succeeded) {
                return LeaderRoles.Outcome.ACTIVE;
            }
            ConductorException failure = rollBack(phase, role.part, runner, true);
            role.rolledBack();
            if (shuttingDown) {
                return LeaderRoles.Outcome.NOT_RUNNING; // cancelled by shutdown(), which leaves the election
            }
            return LeaderRoles.Outcome.failed(failure);
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    /** Shuts a role's components down in reverse order while everything else keeps running. */
    private boolean shutDownRole(LeaderRoles.Role role) {
        lifecycleLock.lock();
        try {
            if (!role.up) {
                return false;
            }
            role.shuttingDown();
            Map<String, Throwable> failures = shutDown(new ShutdownPhase(lifecycle, runner(), role.part), false);
            role.down();
            if (!failures.isEmpty()) {
                EngineLog.LOGGER.log(System.Logger.Level.WARNING, "Shutting down role ''{0}'': shutdown failed for {1}",
                        role.name, failures.keySet());
            }
            return true;
        }
        finally {
            lifecycleLock.unlock();
        }
    }

    private void escalateWith(ComponentFailedException failure) {
        try {
            shutdown();
        }
        catch (ComponentShutdownException shutdownFailure) {
            failure.addSuppressed(shutdownFailure);
        }
        for (java.util.function.Consumer<ComponentFailedException> handler : escalationHandlers) {
            try {
                handler.accept(failure);
            }
            catch (RuntimeException | Error ex) {
                EngineLog.LOGGER.log(System.Logger.Level.WARNING, "Escalation handler " + handler + " failed", ex);
            }
        }
    }

    /**
     * Reports that a running component failed, from any thread; returns at once. Its {@link SupervisionPolicy}
     * decides what happens. A report for a component that is not active is ignored. A report from an active
     * component while the graph's setup is still under way is recorded at once and acted on once the setup has
     * succeeded (not at all when it fails: the rollback shuts the component down).
     */
    public void reportFailure(String name, Throwable cause) {
        java.util.Objects.requireNonNull(cause, "cause");
        supervisor.failed(graph.indexOf(name), cause);
    }

    /** Whether the supervision has nothing pending: for tests. */
    boolean supervisionIdle() {
        return supervisor.idle();
    }

    /**
     * Whether every call this engine gave up on or no longer waits for (at a timeout or a shutdown deadline) has
     * returned, so that the next setup may call those components: for tests.
     */
    boolean callsReturned() {
        for (ComponentRecord record : lifecycle.records) {
            if (record.stillCalling() || record.predecessorCalling()) {
                return false;
            }
        }
        return true;
    }

    /** A {@link FailureReporter} bound to the named component, for containers that create components. */
    public FailureReporter failureReporter(String name) {
        graph.indexOf(name);
        return cause -> reportFailure(name, cause);
    }

    /**
     * This replica's leadership of a role, live: a {@link LeaderOnly} component reads its fencing token here.
     *
     * @throws IllegalArgumentException when no component is leader-only for {@code role}
     */
    public Leadership leadership(String role) {
        Objects.requireNonNull(role, "role");
        if (roles == null) {
            throw new IllegalArgumentException("No component is leader-only for role '" + role + "': this graph has"
                    + " no leader-only components");
        }
        return roles.role(role).view;
    }

    /** The leadership of every role, in the order the roles' first components were added; empty without any. */
    public List<Leadership> leaderships() {
        if (roles == null) {
            return List.of();
        }
        List<Leadership> all = new ArrayList<>();
        roles.roles().forEach(role -> all.add(role.view));
        return List.copyOf(all);
    }

    /** The role a component is leader-only for, or {@code null} for a component that runs on every replica. */
    public String roleOf(String component) {
        int index = graph.indexOf(component);
        LeaderRoles.Role role = roles == null ? null : roles.roleAt(index);
        return role == null ? null : role.name;
    }

    /**
     * Gives the leadership of a role up, if this replica holds it: shuts the role's components down in reverse
     * order, then tells the election, and stays a candidate. Returns at once; whether the role was held.
     *
     * @throws IllegalArgumentException when no component is leader-only for {@code role}
     */
    public boolean yieldLeadership(String role) {
        leadership(role);
        return roles.role(role).yieldLeadership();
    }

    /** Whether no role task is under way: for tests. */
    boolean leadershipIdle() {
        return roles == null || roles.idle();
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
        StartupReport report = StartupReport.of(lifecycle, supervisor);
        if (roles == null) {
            return report;
        }
        Map<String, String> leaderOnly = new java.util.LinkedHashMap<>();
        for (int i = 0; i < graph.size(); i++) {
            LeaderRoles.Role role = roles.roleAt(i);
            if (role != null) {
                leaderOnly.put(graph.definitionAt(i).name(), role.name);
            }
        }
        return report.withLeaderOnly(leaderOnly);
    }

    /** Configures a {@link LifecycleEngine}. */
    public static final class Builder {

        private ComponentGraph graph;

        private Executor executor;

        private Duration setupTimeout = DEFAULT_SETUP_TIMEOUT;

        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private final List<LifecycleListener> listeners = new ArrayList<>();

        private LifecycleEngine predecessor;

        private RetryPolicy retryPolicy = RetryPolicy.none();

        private final Map<String, RetryPolicy> retryPolicies = new java.util.HashMap<>();

        private DelayScheduler delays = DelayScheduler.system();

        private Duration setupDeadline;

        private Duration shutdownDeadline;

        private SupervisionPolicy supervisionPolicy = SupervisionPolicy.none();

        private final Map<String, SupervisionPolicy> supervisionPolicies = new java.util.HashMap<>();

        private final List<java.util.function.Consumer<ComponentFailedException>> escalationHandlers =
                new ArrayList<>();

        private Faults faults;

        private boolean attachFaults = true;

        private final Map<String, String> leaderOnly = new java.util.LinkedHashMap<>();

        private LeaderElection election;

        private Map<String, RoleLeadership> leaderships = Map.of();

        private EarlySetup early;

        private boolean quiet;

        private Builder(ComponentGraph graph) {
            this.graph = graph;
        }

        /** The graph the engine runs, when the builder was started without one. */
        public Builder graph(ComponentGraph graph) {
            this.graph = Objects.requireNonNull(graph, "graph");
            return this;
        }

        /**
         * Begins a setup with this builder's settings as they are now (executor, timeouts, listeners, retry
         * policies, setup and shutdown deadlines, faults), before the whole graph is known: components are added
         * to it one by one, and the engine this builder builds takes it over. The setup deadline counts from now.
         *
         * @throws IllegalStateException when an early setup was begun already
         */
        public EarlySetup setupEarly() {
            if (early != null) {
                throw new IllegalStateException("An early setup was already begun with this builder");
            }
            early = new EarlySetup(executor, setupTimeout, shutdownTimeout, listeners,
                    new Retries(retryPolicy, retryPolicies, delays), setupDeadline, shutdownDeadline, faults);
            early.quiet(quiet);
            return early;
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

        /** How components without a policy of their own retry a failed setup; none unless set. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How one component retries a failed setup. */
        public Builder retryPolicy(String component, RetryPolicy policy) {
            retryPolicies.put(Objects.requireNonNull(component, "component"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * The whole setup must finish within this, or it fails with a {@link SetupDeadlineException} naming what
         * was in progress and what was waiting, and rolls back. Each component's own timeout is thereby capped by
         * what remains. None unless set.
         */
        public Builder setupDeadline(Duration deadline) {
            this.setupDeadline = Durations.requirePositive(deadline, "The setup deadline");
            return this;
        }

        /**
         * The whole shutdown (or the rollback of a failed setup) returns within this. Each component's shutdown
         * timeout is thereby capped by what remains; when it passes, the shutdowns still running are given up,
         * those not yet started are started at once (out of order, since the budget is spent: also those still
         * waiting for a dependent that hangs), so that no component is left active, and shutdown returns without
         * waiting for them, naming each in its {@link ComponentShutdownException}. Those started at the deadline
         * go on in the background, each still interrupted at its own shutdown timeout; a JVM that exits meanwhile
         * cuts them short. None unless set.
         */
        public Builder shutdownDeadline(Duration deadline) {
            this.shutdownDeadline = Durations.requirePositive(deadline, "The shutdown deadline");
            return this;
        }

        /** What happens when a component without a policy of its own fails while running; nothing unless set. */
        public Builder supervision(SupervisionPolicy policy) {
            this.supervisionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** What happens when one component fails while running. */
        public Builder supervision(String component, SupervisionPolicy policy) {
            supervisionPolicies.put(Objects.requireNonNull(component, "component"),
                    Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Called after a supervision escalated and the whole graph was shut down: to end the application, fail its
         * liveness, or wake whoever waits for it. The shutdown and the handlers run on a non-daemon thread of
         * their own, so the JVM does not end before they have run (a handler that calls {@code System.exit} from
         * a thread of its own should make that thread non-daemon too).
         */
        public Builder onEscalation(java.util.function.Consumer<ComponentFailedException> handler) {
            escalationHandlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Marks a component leader-only for {@code role}: it is set up only while this replica leads the role (see
         * {@link LeaderOnly}). Every component that depends on it must be marked for the same role.
         */
        public Builder leaderOnly(String component, String role) {
            leaderOnly.put(Objects.requireNonNull(component, "component"), Objects.requireNonNull(role, "role"));
            return this;
        }

        /** Who leads each role of the leader-only components; required when there are any. */
        public Builder leaderElection(LeaderElection election) {
            this.election = Objects.requireNonNull(election, "election");
            return this;
        }

        /** The leadership views to use for the roles, kept by the facade across engines. */
        Builder leaderships(Map<String, RoleLeadership> leaderships) {
            this.leaderships = leaderships;
            return this;
        }

        /** Faults a test injects into this engine's components; see {@link Faults}. */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Faults attached by the facade, which names components by class itself. */
        Builder faultsAttachedElsewhere(Faults faults) {
            this.faults = faults;
            this.attachFaults = false;
            return this;
        }

        /**
         * What waits out the delays between setup attempts and before supervised restarts, and measures the restart
         * window: a test gives its own, so that they pass when it says so; see {@link DelayScheduler}. Conductor's
         * own timer unless set.
         */
        public Builder delays(DelayScheduler delays) {
            this.delays = Objects.requireNonNull(delays, "delays");
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

        /** Reports nothing: no log line, no flight event (for {@link EarlySetup#warmUp()}); package-private. */
        Builder quiet() {
            this.quiet = true;
            return this;
        }

        public LifecycleEngine build() {
            if (graph == null) {
                throw new IllegalStateException("No graph: call graph(ComponentGraph) before build()");
            }
            return new LifecycleEngine(this);
        }
    }
}
