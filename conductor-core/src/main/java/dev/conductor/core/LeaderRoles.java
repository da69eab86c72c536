package dev.conductor.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;

/**
 * The leader-only roles of one engine: which components each role holds, this replica's part in each role's
 * election, and the bringing of each role's components in line with its leadership. A grant or revocation only
 * records what is wanted and returns; one task per role (on the engine's executor) then sets the role's
 * components up or shuts them down, through the engine, by the same phases a restart uses, until what runs
 * matches what is held. A grant and a revocation may therefore come in any order, from any thread, at any time.
 */
final class LeaderRoles {

    private static final System.Logger LOGGER = System.getLogger(LifecycleEngine.class.getName());

    /** The first wait before setting a role's components up again after they failed to; it doubles up to a minute. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    /** What a role asks of its engine. Both run under the engine's lifecycle lock. */
    interface Engine {

        /**
         * Sets the role's components up for the grant with {@code token}: calls {@link Role#settingUp} with the
         * phase before it runs, and marks the role {@link Role#up} when it succeeded.
         */
        Outcome setUp(Role role, long token);

        /** Shuts the role's components down, if they are up, and marks the role down; whether they were up. */
        boolean shutDown(Role role);

        Executor executor();
    }

    /** How an attempt to set a role's components up ended. */
    record Outcome(Kind kind, Throwable failure) {

        enum Kind { ACTIVE, FAILED, WITHDRAWN, NOT_RUNNING }

        static final Outcome ACTIVE = new Outcome(Kind.ACTIVE, null);

        static final Outcome WITHDRAWN = new Outcome(Kind.WITHDRAWN, null);

        static final Outcome NOT_RUNNING = new Outcome(Kind.NOT_RUNNING, null);

        static Outcome failed(Throwable failure) {
            return new Outcome(Kind.FAILED, failure);
        }
    }

    private final LeaderElection election;

    private final Map<String, Role> roles;

    /** The role of each component, by index; {@code null} for an ordinary one. */
    private final Role[] roleAt;

    private final List<LifecycleListener> listeners;

    private final DelayScheduler delays;

    private volatile Engine engine;

    private LeaderRoles(LeaderElection election, Map<String, Role> roles, Role[] roleAt,
            List<LifecycleListener> listeners, DelayScheduler delays) {
        this.election = election;
        this.roles = roles;
        this.roleAt = roleAt;
        this.listeners = listeners;
        this.delays = delays;
    }

    /**
     * Validates the marks and builds the roles, or returns {@code null} when no component is leader-only.
     *
     * @param roleByComponent the role of each leader-only component, by component name
     * @param shared the leadership views to use, by role (the facade's, which outlive an engine); others are made
     * @throws ComponentGraphException when a mark names no component, when a component depends on a leader-only
     *         component of another role (or of none), or when no election is given
     */
    static LeaderRoles of(ComponentGraph graph, Map<String, String> roleByComponent, LeaderElection election,
            Map<String, RoleLeadership> shared, List<LifecycleListener> listeners, DelayScheduler delays) {
        if (roleByComponent.isEmpty()) {
            return null;
        }
        String[] roleNames = new String[graph.size()];
        for (Map.Entry<String, String> mark : roleByComponent.entrySet()) {
            String role = mark.getValue();
            if (role == null || role.isBlank()) {
                throw ComponentGraphException.of("Component '" + mark.getKey() + "' is marked leader-only for a blank"
                        + " role: name the role, such as @LeaderOnly(\"outbox\").", mark.getKey());
            }
            roleNames[graph.indexOf(mark.getKey())] = role;
        }
        for (int i = 0; i < roleNames.length; i++) {
            if (roleNames[i] == null) {
                continue;
            }
            for (int dependent : graph.dependentsOf(i)) {
                if (!roleNames[i].equals(roleNames[dependent])) {
                    throw outsideItsRole(graph, i, dependent, roleNames);
                }
            }
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (int i = 0; i < roleNames.length; i++) {
            if (roleNames[i] != null) {
                members.computeIfAbsent(roleNames[i], role -> new ArrayList<>()).add(graph.definitionAt(i).name());
            }
        }
        if (election == null) {
            Map.Entry<String, List<String>> first = members.entrySet().iterator().next();
            throw ComponentGraphException.of("Component '" + first.getValue().get(0) + "' is leader-only for role '"
                    + first.getKey() + "', but no leader election was given, so no replica could ever lead it. Give"
                    + " one: Conductor.builder().leaderElection(...) (for plain Java, CuratorLeaderElection from"
                    + " conductor-curator; LeaderElection.standalone() for a single instance), or remove the mark.",
                    first.getValue().get(0));
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        Role[] roleAt = new Role[roleNames.length];
        LeaderRoles built = new LeaderRoles(election, roles, roleAt, listeners, delays);
        for (String role : members.keySet()) {
            boolean[] part = new boolean[roleNames.length];
            for (int i = 0; i < part.length; i++) {
                part[i] = role.equals(roleNames[i]);
            }
            RoleLeadership view = shared.get(role);
            Role made = built.new Role(role, part, view != null ? view : new RoleLeadership(role),
                    List.copyOf(members.get(role)));
            roles.put(role, made);
            for (int i = 0; i < part.length; i++) {
                if (part[i]) {
                    roleAt[i] = made;
                }
            }
        }
        return built;
    }

    private static ComponentGraphException outsideItsRole(ComponentGraph graph, int leaderOnly, int dependent,
            String[] roleNames) {
        String name = graph.definitionAt(leaderOnly).name();
        String other = graph.definitionAt(dependent).name();
        String role = roleNames[leaderOnly];
        if (roleNames[dependent] == null) {
            return ComponentGraphException.of("Component '" + other + "' depends on '" + name + "', which is"
                    + " leader-only for role '" + role + "', but '" + other + "' is not leader-only: it would run on"
                    + " every replica while '" + name + "' runs only on the leader of '" + role + "'. Mark '" + other
                    + "' leader-only for role '" + role + "' too (@LeaderOnly(\"" + role + "\")), or remove its"
                    + " dependency on '" + name + "'.", other, name);
        }
        return ComponentGraphException.of("Component '" + other + "' is leader-only for role '" + roleNames[dependent]
                + "' but depends on '" + name + "', which is leader-only for role '" + role + "': a component"
                + " belongs to one role, and what it depends on outside its role must run on every replica. Mark '"
                + other + "' leader-only for role '" + role + "', or remove its dependency on '" + name + "'.",
                other, name);
    }

    void engine(Engine engine) {
        this.engine = engine;
    }

    Collection<Role> roles() {
        return Collections.unmodifiableCollection(roles.values());
    }

    Role role(String name) {
        Role role = roles.get(name);
        if (role == null) {
            throw new IllegalArgumentException("No component is leader-only for role '" + name + "'. Known roles: "
                    + new TreeSet<>(roles.keySet()));
        }
        return role;
    }

    /** The role a component belongs to, or {@code null} for an ordinary component. */
    Role roleAt(int index) {
        return roleAt[index];
    }

    /** The ordinary components: what a setup of the whole graph sets up before any role is joined. */
    boolean[] ordinary() {
        boolean[] part = new boolean[roleAt.length];
        for (int i = 0; i < part.length; i++) {
            part[i] = roleAt[i] == null;
        }
        return part;
    }

    /** Removes from {@code part} the components of roles whose components are down. Under the lifecycle lock. */
    void removeDown(boolean[] part) {
        for (int i = 0; i < part.length; i++) {
            if (part[i] && roleAt[i] != null && !roleAt[i].up) {
                part[i] = false;
            }
        }
    }

    /** The roles that are up with a component in {@code part}: those a restart of it takes down. Under the lifecycle lock. */
    List<Role> upIn(boolean[] part) {
        List<Role> touched = new ArrayList<>();
        for (int i = 0; i < part.length; i++) {
            if (part[i] && roleAt[i] != null && roleAt[i].up && !touched.contains(roleAt[i])) {
                touched.add(roleAt[i]);
            }
        }
        return touched;
    }

    /** The components of every role that is up, or {@code null} when none is. Under the lifecycle lock. */
    boolean[] upParts() {
        boolean[] union = null;
        for (int i = 0; i < roleAt.length; i++) {
            if (roleAt[i] != null && roleAt[i].up) {
                if (union == null) {
                    union = new boolean[roleAt.length];
                }
                union[i] = true;
            }
        }
        return union;
    }

    /**
     * Joins every role's election, once the ordinary components are set up. A grant may come from inside.
     *
     * @throws ConductorException when the election refuses a role; the roles joined before it are left again
     */
    void joinAll() {
        List<Role> joined = new ArrayList<>();
        for (Role role : roles.values()) {
            try {
                role.join();
                joined.add(role);
            }
            catch (Exception ex) {
                for (Role one : joined) {
                    one.leave();
                }
                role.failed(ex);
                throw new ConductorException("Could not join the election of role '" + role.name + "' with "
                        + election + ": " + ex.getMessage() + ". Its leader-only components " + role.members
                        + " could never be set up; check the election's configuration.", ex);
            }
        }
    }

    /**
     * Cancels the setups of role components under way, as a shutdown must before it takes the lifecycle lock.
     *
     * @param whole whether the whole graph is being shut down (not a call from inside a component, which only
     *        cancels): from now on every role is being given up, so a grant no longer makes it {@code STARTING}
     */
    void cancelSetups(boolean whole) {
        for (Role role : roles.values()) {
            if (whole) {
                role.closing();
            }
            role.cancelSetup(new CancellationException("the setup of role '" + role.name
                    + "' was cancelled by shutdown()"));
        }
    }

    /**
     * Tells every role that the whole shutdown is about to shut its components down, if they are up: each role is
     * {@code STOPPING} until it is left, or {@code FOLLOWER} if it is neither held nor up. Under the lifecycle lock.
     */
    void stoppingWithTheRest() {
        for (Role role : roles.values()) {
            role.closing();
            if (role.up) {
                role.shuttingDown();
            }
        }
    }

    /** Marks every role down after its components were shut down with the rest. Under the lifecycle lock. */
    void shutDownWithTheRest() {
        for (Role role : roles.values()) {
            if (role.up) {
                role.down();
                role.emit(LeadershipEvent.Kind.STOPPED, role.upToken, null);
            }
        }
    }

    /** Leaves every role's election, giving up what is held: after the roles' components are shut down. */
    void leaveAll() {
        for (Role role : roles.values()) {
            role.leave();
        }
    }

    /**
     * Whether no role task is under way, nor the yield a task ends with (which reaches the election after the task
     * let a new one start): for tests.
     */
    boolean idle() {
        for (Role role : roles.values()) {
            synchronized (role) {
                if (role.reconciling || role.yieldsAfterTask > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private void emit(LeadershipEvent event) {
        LOGGER.log(Level.INFO, "Leadership: {0}", event);
        for (LifecycleListener listener : listeners) {
            try {
                listener.onLeadership(event);
            }
            catch (RuntimeException | Error ex) {
                LOGGER.log(Level.WARNING, "Lifecycle listener " + listener + " failed on " + event
                        + "; the lifecycle goes on", ex);
            }
        }
    }

    /**
     * One role: its components, this replica's part in its election, what is held and what runs. What is held
     * ({@code granted}, {@code grantedToken}) is written by the election's calls, under this object's lock; what
     * runs ({@code components}, {@code up}, {@code upToken}) is written by the engine under its lifecycle lock and
     * this object's lock, just before and just after each phase over the role's components. The status's state is
     * written only from both, under this object's lock, by {@link #publish}: so it follows the components' states
     * in order, whoever moves first.
     */
    final class Role {

        final String name;

        /** The role's components, by index. */
        final boolean[] part;

        final RoleLeadership view;

        final List<String> members;

        /** Whether the role's components are set up (and not yet shut down); see {@link #components}. */
        volatile boolean up;

        /** The token of the grant the components were set up for. */
        volatile long upToken;

        /** What the role's components are doing; a phase over them moves it before it runs and after it ended. */
        private Components components = Components.DOWN;

        /** The grant the components are set up, or being set up, for; or whose failed setup is rolled back. */
        private long componentsToken;

        /** Set when the setup for the grant in hand failed or was cancelled: that grant is being given up. */
        private boolean failing;

        /** Set once the whole shutdown began: the role is being given up, until it is left. */
        private boolean closing;

        private Membership membership;

        private boolean granted;

        private long grantedToken;

        /** The highest token this replica was granted: a later grant must exceed it. */
        private long lastToken;

        /** Whether a task brings the components in line, so that a second is not started. */
        private boolean reconciling;

        /** Set when the leadership is to be given up once the components are down: a yield on request. */
        private boolean yieldWhenDown;

        /** Tasks that ended and still tell the election of a yield on request; see {@link LeaderRoles#idle()}. */
        private int yieldsAfterTask;

        private SetupPhase settingUp;

        private int failuresInRow;

        /** Whether the wait after a failed setup is over for the grant in hand. */
        private boolean backedOff;

        Role(String name, boolean[] part, RoleLeadership view, List<String> members) {
            this.name = name;
            this.part = part;
            this.view = view;
            this.members = members;
        }

        private void join() throws Exception {
            Membership joining = new Membership();
            synchronized (this) {
                membership = joining;
                granted = false;
                yieldWhenDown = false;
                failuresInRow = 0;
                failing = false;
                closing = false;
                view.joined();
                publish();
            }
            LeaderElection.Participation participation = election.join(name, joining);
            if (participation == null) {
                throw new IllegalStateException("the election returned no participation");
            }
            boolean yieldNow;
            synchronized (this) {
                joining.participation = participation;
                yieldNow = joining.yieldOnJoin;
            }
            if (yieldNow) {
                engine.executor().execute(() -> yieldNow(joining));
            }
        }

        private void leave() {
            Membership leaving;
            boolean held;
            long token;
            synchronized (this) {
                leaving = membership;
                membership = null;
                held = granted;
                token = grantedToken;
                granted = false;
                yieldWhenDown = false;
                if (held) {
                    view.lost(true, null, current());
                }
                else {
                    publish();
                }
            }
            if (leaving == null) {
                return;
            }
            leaving.closed = true;
            LeaderElection.Participation participation = leaving.participation;
            if (participation != null) {
                try {
                    participation.close();
                }
                catch (RuntimeException ex) {
                    failed(ex);
                    LOGGER.log(Level.WARNING, "Leaving the election of role '" + name + "' failed", ex);
                }
            }
            if (held) {
                emit(LeadershipEvent.Kind.YIELDED, token, null);
            }
        }

        private void onGranted(Membership from, long token) {
            ConductorException refused = null;
            boolean start = false;
            synchronized (this) {
                if (from != membership || from.closed) {
                    return; // a late call from an election this replica has left
                }
                if (granted && token == grantedToken) {
                    return; // granted twice
                }
                if (token <= lastToken) {
                    refused = new ConductorException("The election granted role '" + name + "' with fencing token "
                            + token + ", which is not greater than this replica's last one (" + lastToken + "): a"
                            + " resource fenced with it could not tell this leader from an earlier one. The grant is"
                            + " refused and the leadership given up; the election must give every grant a greater"
                            + " token.");
                    view.failed(refused);
                }
                else {
                    granted = true;
                    grantedToken = token;
                    lastToken = token;
                    backedOff = false;
                    failing = false;
                    yieldWhenDown = false; // granted again before the yield reached the election: it is moot
                    view.granted(token, current());
                    start = !reconciling;
                    reconciling = true;
                }
            }
            if (refused != null) {
                LOGGER.log(Level.ERROR, refused.getMessage());
                emit(LeadershipEvent.Kind.YIELDED, token, refused);
                giveUp(from);
                return;
            }
            emit(LeadershipEvent.Kind.GRANTED, token, null);
            if (start) {
                startReconciling();
            }
        }

        private void onRevoked(Membership from) {
            SetupPhase cancel;
            long token;
            boolean start;
            synchronized (this) {
                if (from != membership || from.closed || !granted) {
                    return;
                }
                granted = false;
                token = grantedToken;
                cancel = settingUp;
                view.lost(false, null, current());
                start = !reconciling && up;
                reconciling |= start;
            }
            emit(LeadershipEvent.Kind.REVOKED, token, null);
            if (cancel != null) {
                cancel.cancel(new CancellationException("role '" + name + "' was revoked while its components were"
                        + " being set up"));
            }
            if (start) {
                startReconciling();
            }
        }

        /**
         * Gives the leadership up on request: the role's components are shut down first, then the election is
         * told. Returns whether the role was held.
         */
        boolean yieldLeadership() {
            SetupPhase cancel;
            boolean start;
            synchronized (this) {
                if (!granted || membership == null) {
                    return false;
                }
                granted = false;
                yieldWhenDown = true;
                cancel = settingUp;
                publish();
                start = !reconciling;
                reconciling = true;
            }
            if (cancel != null) {
                cancel.cancel(new CancellationException("role '" + name + "' was given up while its components were"
                        + " being set up"));
            }
            if (start) {
                startReconciling();
            }
            return true;
        }

        private void cancelSetup(Throwable cause) {
            SetupPhase cancel;
            synchronized (this) {
                cancel = settingUp;
            }
            if (cancel != null) {
                cancel.cancel(cause);
            }
        }

        /** The whole shutdown began: the role is given up with it. */
        private synchronized void closing() {
            closing = true;
            publish();
        }

        /*
         * The engine's reports of what the role's components do, each under its lifecycle lock: a setup phase
         * (settingUp, then setUpEnded, then rolledBack after a rollback) and a shutdown phase (shuttingDown, then
         * down).
         */

        /**
         * Called by the engine with the phase that sets the components up for the grant with {@code token},
         * before it runs: returns {@code false} when that grant was revoked meanwhile (the phase is not run).
         */
        synchronized boolean settingUp(SetupPhase phase, long token) {
            if (!granted || grantedToken != token || membership == null) {
                return false;
            }
            settingUp = phase;
            components = Components.SETTING_UP;
            componentsToken = token;
            publish();
            return true;
        }

        /**
         * The setup for the grant with {@code token} ended: the components are up, or what it set up is about to be
         * rolled back, which gives that grant up.
         */
        synchronized void setUpEnded(long token, boolean succeeded) {
            settingUp = null;
            if (succeeded) {
                upToken = token;
                up = true;
                components = Components.UP;
            }
            else {
                components = Components.SHUTTING_DOWN;
                failing |= granted && grantedToken == token;
            }
            publish();
        }

        /**
         * A restart could not set some of the role's components up again: the grant they run for is being given up
         * (STOPPING from now), as after a failed setup. Returns that grant's token.
         */
        synchronized long restartFailing() {
            failing |= granted && grantedToken == upToken;
            publish();
            return upToken;
        }

        /**
         * The role's components are all down after the restart that failed for the grant with {@code token}: gives
         * that grant up, if still held, as a failed setup does. Returns what to announce once the lifecycle lock is
         * released: the components' stop, then the yield with its failure.
         */
        Runnable restartFailed(long token, Throwable failure) {
            Membership yielding = failedSetupGivesUp(token, failure);
            return () -> {
                emit(LeadershipEvent.Kind.STOPPED, token, null);
                if (yielding != null) {
                    yieldAfterFailure(yielding, token, failure);
                }
            };
        }

        /** What a failed setup had set up is shut down again. */
        synchronized void rolledBack() {
            components = Components.DOWN;
            publish();
        }

        /** The components that are up are about to be shut down. */
        synchronized void shuttingDown() {
            components = Components.SHUTTING_DOWN;
            componentsToken = upToken;
            publish();
        }

        /** The components were shut down. */
        synchronized void down() {
            up = false;
            components = Components.DOWN;
            publish();
        }

        /**
         * Where this replica is in the role, from what is held and what the components do: FOLLOWER only once
         * they are all down, STOPPING while any of them may still run after the grant ended (revoked, given up,
         * its setup failed, or the whole shutdown began), LEADER once they are up for the grant in hand.
         */
        private Leadership.State current() {
            assert Thread.holdsLock(this);
            if (granted && !failing && !closing) {
                return components == Components.UP && componentsToken == grantedToken ? Leadership.State.LEADER
                        : Leadership.State.STARTING;
            }
            return granted || components != Components.DOWN ? Leadership.State.STOPPING : Leadership.State.FOLLOWER;
        }

        /** Writes the state to the status. Every write of the state is {@link #current()}, under this lock. */
        private void publish() {
            view.state(current());
        }

        /**
         * Records a failure of the election in the status: under this lock too, since it rewrites the whole status
         * and would otherwise put back a state that a grant or revocation has just replaced.
         */
        private synchronized void failed(Throwable failure) {
            view.failed(failure);
        }

        private void startReconciling() {
            try {
                engine.executor().execute(this::reconcile);
            }
            catch (RuntimeException refused) {
                // nothing can set the role up or shut it down: give it up rather than hold it without running it
                Membership yielding = null;
                long token;
                synchronized (this) {
                    reconciling = false;
                    token = grantedToken;
                    if (granted && !up) {
                        granted = false;
                        yielding = membership;
                        view.lost(true, refused, current());
                    }
                    else {
                        view.failed(refused);
                    }
                }
                LOGGER.log(Level.ERROR, "The executor refused the task of role '" + name + "'", refused);
                if (yielding != null) {
                    emit(LeadershipEvent.Kind.YIELDED, token, refused);
                    giveUp(yielding);
                }
            }
        }

        /** Sets the components up or shuts them down until what runs matches what is held. */
        private void reconcile() {
            while (true) {
                boolean setUp = false;
                boolean shutDown = false;
                long token;
                Duration wait = null;
                Membership yielding = null;
                synchronized (this) {
                    token = grantedToken;
                    if (granted && !up) {
                        setUp = true;
                        if (failuresInRow > 0 && !backedOff) {
                            backedOff = true;
                            wait = backoff(failuresInRow);
                        }
                    }
                    else if (up && (!granted || upToken != grantedToken)) {
                        shutDown = true;
                        token = upToken;
                    }
                    else {
                        reconciling = false;
                        yielding = yieldWhenDown && !granted ? membership : null;
                        yieldWhenDown = false;
                        if (yielding != null) {
                            yieldsAfterTask++;
                            view.lost(true, null, current());
                        }
                        else {
                            publish();
                        }
                    }
                }
                if (wait != null) {
                    delays.schedule(wait, this::startReconciling);
                    return;
                }
                if (setUp) {
                    if (!settled(engine.setUp(this, token), token)) {
                        return;
                    }
                }
                else if (shutDown) {
                    if (engine.shutDown(this)) {
                        emit(LeadershipEvent.Kind.STOPPED, token, null);
                    }
                }
                else {
                    if (yielding != null) {
                        try {
                            emit(LeadershipEvent.Kind.YIELDED, token, null);
                            giveUp(yielding);
                        }
                        finally {
                            synchronized (this) {
                                yieldsAfterTask--;
                            }
                        }
                    }
                    return;
                }
            }
        }

        /** Records how a setup ended; returns whether to go on reconciling. */
        private boolean settled(Outcome outcome, long token) {
            switch (outcome.kind()) {
                case ACTIVE -> {
                    boolean current;
                    synchronized (this) {
                        current = granted && grantedToken == token;
                        failuresInRow = 0; // LEADER already, if current: set with the components, by setUpEnded
                    }
                    if (current) {
                        emit(LeadershipEvent.Kind.ACTIVE, token, null);
                    }
                    return true;
                }
                case FAILED -> {
                    Membership yielding = failedSetupGivesUp(token, outcome.failure());
                    if (yielding != null) {
                        yieldAfterFailure(yielding, token, outcome.failure());
                    }
                    else {
                        emit(LeadershipEvent.Kind.STOPPED, token, null);
                    }
                    return true;
                }
                case WITHDRAWN -> {
                    return true;
                }
                default -> {
                    synchronized (this) {
                        reconciling = false;
                        publish(); // STOPPING while the whole shutdown gives a held role up, not STARTING again
                    }
                    return false;
                }
            }
        }

        /**
         * The role's components could not be set up for the grant with {@code token} (at the grant or by a restart)
         * and are down: that grant is given up, if still held, and the next one waits a backoff. Returns the
         * membership to yield, or {@code null} when the grant is no longer held.
         */
        private synchronized Membership failedSetupGivesUp(long token, Throwable failure) {
            if (!granted || grantedToken != token) {
                return null;
            }
            granted = false;
            failuresInRow++;
            view.lost(true, failure, current());
            return membership;
        }

        private void yieldAfterFailure(Membership yielding, long token, Throwable failure) {
            LOGGER.log(Level.WARNING, "The components of role '" + name + "' could not be set up; giving the"
                    + " leadership up so that another replica can take it", failure);
            emit(LeadershipEvent.Kind.YIELDED, token, failure);
            giveUp(yielding);
        }

        private void giveUp(Membership from) {
            LeaderElection.Participation participation;
            synchronized (this) {
                participation = from.participation;
                if (participation == null) {
                    from.yieldOnJoin = true; // the grant came from inside join(): yield once it has returned
                    return;
                }
            }
            yieldNow(from);
        }

        private void yieldNow(Membership from) {
            if (from.closed) {
                return;
            }
            try {
                from.participation.yieldLeadership();
            }
            catch (RuntimeException ex) {
                failed(ex);
                LOGGER.log(Level.WARNING, "Giving up the leadership of role '" + name + "' failed", ex);
            }
        }

        private void emit(LeadershipEvent.Kind kind, long token, Throwable failure) {
            LeaderRoles.this.emit(new LeadershipEvent(name, kind, token, failure));
        }

        /** One joining of the election: calls for an earlier one, which this replica left, are ignored. */
        private final class Membership implements LeaderElection.Candidate {

            volatile LeaderElection.Participation participation;

            volatile boolean closed;

            boolean yieldOnJoin;

            @Override
            public void granted(long fencingToken) {
                onGranted(this, fencingToken);
            }

            @Override
            public void revoked() {
                onRevoked(this);
            }

            @Override
            public String toString() {
                return "candidate for role '" + name + "'";
            }
        }
    }

    /** What a role's components are doing. */
    private enum Components { DOWN, SETTING_UP, UP, SHUTTING_DOWN }

    private static Duration backoff(int failuresInRow) {
        Duration delay = FIRST_BACKOFF;
        for (int i = 1; i < failuresInRow && delay.compareTo(MAX_BACKOFF) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
