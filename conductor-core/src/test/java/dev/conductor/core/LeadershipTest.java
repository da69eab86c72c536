package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leader-only components: set up while this replica leads their role, shut down in reverse when it stops
 * leading, everything else untouched; grants and revocations in every order; the election's failures.
 */
@Timeout(30)
class LeadershipTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();

    private final ManualElection election = new ManualElection(journal);

    private final RecordingListener listener = new RecordingListener();

    private final List<LeadershipEvent> leadershipEvents = new CopyOnWriteArrayList<>();

    private final ManualDelays delays = new ManualDelays();

    private Probe journaled(String name) {
        return new Probe(() -> journal.add("setup " + name), () -> journal.add("shutdown " + name));
    }

    /** database <- relay (outbox) <- relayMetrics (outbox); database <- api; independent. */
    private ComponentGraph.Builder shop() {
        return ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay")
                .add("api", journaled("api"), "database")
                .add("independent", journaled("independent"));
    }

    private LifecycleEngine.Builder engine(ComponentGraph.Builder graph) {
        return LifecycleEngine.builder(graph.build()).listener(listener).listener(new LifecycleListener() {

            @Override
            public void onEvent(LifecycleEvent event) {
            }

            @Override
            public void onLeadership(LeadershipEvent event) {
                leadershipEvents.add(event);
            }
        }).delays(delays).leaderElection(election).leaderOnly("relay", "outbox").leaderOnly("relayMetrics",
                "outbox");
    }

    private LifecycleEngine leading(LifecycleEngine engine, long token) {
        election.grant("outbox", token);
        awaitState(engine, Leadership.State.LEADER);
        return engine;
    }

    private static void awaitState(LifecycleEngine engine, Leadership.State state) {
        await().until(() -> engine.leadership("outbox").status().state() == state && engine.leadershipIdle());
    }

    private int at(String entry) {
        assertThat(journal).contains(entry);
        return journal.lastIndexOf(entry);
    }

    @Test
    void anOrdinaryComponentThatDependsOnALeaderOnlyOneIsRefusedBeforeAnythingIsSetUp() {
        ComponentGraph.Builder graph = shop().add("report", journaled("report"), "relay");
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(() -> engine(graph).build())
                .withMessage("Component 'report' depends on 'relay', which is leader-only for role 'outbox', but"
                        + " 'report' is not leader-only: it would run on every replica while 'relay' runs only on the"
                        + " leader of 'outbox'. Mark 'report' leader-only for role 'outbox' too"
                        + " (@LeaderOnly(\"outbox\")), or remove its dependency on 'relay'.")
                .satisfies(ex -> assertThat(ex.getComponents()).containsExactly("report", "relay"));
        assertThat(journal).isEmpty();
    }

    @Test
    void aComponentOfAnotherRoleThatDependsOnALeaderOnlyOneIsRefused() {
        ComponentGraph.Builder graph = shop().add("cleaner", journaled("cleaner"), "relay");
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> engine(graph).leaderOnly("cleaner", "janitor").build())
                .withMessageStartingWith("Component 'cleaner' is leader-only for role 'janitor' but depends on"
                        + " 'relay', which is leader-only for role 'outbox'")
                .withMessageEndingWith("Mark 'cleaner' leader-only for role 'outbox', or remove its dependency on"
                        + " 'relay'.");
    }

    @Test
    void leaderOnlyComponentsWithoutAnElectionAreRefused() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> LifecycleEngine.builder(shop().build()).leaderOnly("relay", "outbox")
                        .leaderOnly("relayMetrics", "outbox").build())
                .withMessageStartingWith("Component 'relay' is leader-only for role 'outbox', but no leader election"
                        + " was given");
    }

    @Test
    void aMarkThatNamesNoComponentIsRefusedNamingTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> engine(shop()).leaderOnly("relai", "outbox").build())
                .withMessageContaining("No component named 'relai'").withMessageContaining("relay");
    }

    @Test
    void aFollowerSetsUpEverythingButTheLeaderOnlyComponentsAndThenJoinsTheElection() {
        LifecycleEngine engine = engine(shop()).build();
        engine.setup();
        assertThat(journal).containsExactlyInAnyOrder("setup database", "setup api", "setup independent",
                "join outbox");
        assertThat(at("join outbox")).isEqualTo(3);
        assertThat(engine.state("relay")).isEqualTo(ComponentState.NEW);
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
        assertThat(engine.leadership("outbox").status().state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(engine.roleOf("relayMetrics")).isEqualTo("outbox");
        assertThat(engine.roleOf("api")).isNull();
        assertThatIllegalStateException().isThrownBy(() -> engine.leadership("outbox").fencingToken())
                .withMessageContaining("was never granted");
    }

    @Test
    void aGrantSetsTheRoleUpInOrderAndARevocationShutsItDownInReverseWhileEverythingElseKeepsRunning() {
        LifecycleEngine engine = engine(shop()).build();
        engine.setup();
        journal.clear();
        leading(engine, 7);
        assertThat(journal).containsExactly("setup relay", "setup relayMetrics");
        Leadership leadership = engine.leadership("outbox");
        assertThat(leadership.isLeader()).isTrue();
        assertThat(leadership.fencingToken()).isEqualTo(7);
        assertThat(leadership.status().since()).isNotNull();
        journal.clear();
        election.revoke("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay");
        assertThat(engine.state("database")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("api")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("relay")).isEqualTo(ComponentState.STOPPED);
        assertThat(leadership.status().revocations()).isEqualTo(1);
        assertThat(leadership.status().handOvers()).isEqualTo(1);
        // still a candidate: a later grant sets the role up again
        journal.clear();
        leading(engine, 9);
        assertThat(journal).containsExactly("setup relay", "setup relayMetrics");
        assertThat(leadership.fencingToken()).isEqualTo(9);
        assertThat(leadership.status().grants()).isEqualTo(2);
        assertThat(leadershipEvents).extracting(LeadershipEvent::kind).containsExactly(LeadershipEvent.Kind.GRANTED,
                LeadershipEvent.Kind.ACTIVE, LeadershipEvent.Kind.REVOKED, LeadershipEvent.Kind.STOPPED,
                LeadershipEvent.Kind.GRANTED, LeadershipEvent.Kind.ACTIVE);
        assertThat(leadershipEvents.get(4).fencingToken()).isEqualTo(9);
    }

    @Test
    void aGracefulShutdownShutsTheRoleDownFirstThenLeavesTheElectionThenShutsDownTheRest() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        journal.clear();
        engine.shutdown();
        assertThat(at("shutdown relayMetrics")).isLessThan(at("shutdown relay"));
        assertThat(at("shutdown relay")).isLessThan(at("close outbox"));
        assertThat(at("close outbox")).isLessThan(at("shutdown api"));
        assertThat(at("shutdown api")).isLessThan(at("shutdown database"));
        assertThat(journal).hasSize(6).doesNotContain("yield outbox");
        assertThat(engine.leadership("outbox").status().state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(engine.leadership("outbox").status().yields()).isEqualTo(1);
        assertThat(leadershipEvents).extracting(LeadershipEvent::kind).endsWith(LeadershipEvent.Kind.STOPPED,
                LeadershipEvent.Kind.YIELDED);
        // a grant after leaving is a late call: ignored
        election.grant("outbox", 2);
        assertThat(engine.leadershipIdle()).isTrue();
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
    }

    @Test
    void aFollowerLeavesTheElectionOnShutdownToo() {
        LifecycleEngine engine = withSetup(engine(shop()).build());
        journal.clear();
        engine.shutdown();
        assertThat(journal.get(0)).isEqualTo("close outbox");
        assertThat(journal).hasSize(4);
        assertThat(engine.leadership("outbox").status().yields()).isZero();
    }

    @Test
    void theGraphCanBeSetUpAgainAfterAShutdownAndJoinsAgain() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        engine.shutdown();
        journal.clear();
        engine.setup();
        assertThat(journal).endsWith("join outbox");
        leading(engine, 2);
        assertThat(engine.state("relayMetrics")).isEqualTo(ComponentState.ACTIVE);
        engine.shutdown();
    }

    @Test
    void aYieldOnRequestShutsTheRoleDownFirstAndThenTellsTheElection() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        journal.clear();
        assertThat(engine.yieldLeadership("outbox")).isTrue();
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay", "yield outbox");
        assertThat(engine.leadership("outbox").status().yields()).isEqualTo(1);
        assertThat(engine.yieldLeadership("outbox")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> engine.yieldLeadership("inbox"))
                .withMessage("No component is leader-only for role 'inbox'. Known roles: [outbox]");
        engine.shutdown();
    }

    /**
     * The role's task ends once the components are down, and only then tells the election: until that yield has
     * returned the roles are not idle, so that a test waiting for idle sees the yield (it used to see idle first, and
     * LeadershipPropertiesTest's journal took the yield's late entries during the shutdown that followed).
     */
    @Test
    void theRolesAreNotIdleUntilAYieldOnRequestHasReachedTheElection() throws Exception {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        CountDownLatch yielding = new CountDownLatch(1);
        CountDownLatch yieldMayReturn = new CountDownLatch(1);
        election.onYield = role -> {
            yielding.countDown();
            try {
                yieldMayReturn.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
        assertThat(engine.yieldLeadership("outbox")).isTrue();
        assertThat(yielding.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.leadership("outbox").status().state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(engine.leadershipIdle()).as("the yield is still on its way to the election").isFalse();
        yieldMayReturn.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(engine::leadershipIdle);
        engine.shutdown();
    }

    @Test
    void aSecondGrantWithTheSameTokenIsTheSameGrant() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 3);
        journal.clear();
        election.grant("outbox", 3);
        awaitState(engine, Leadership.State.LEADER);
        assertThat(journal).isEmpty();
        assertThat(engine.leadership("outbox").status().grants()).isEqualTo(1);
        engine.shutdown();
    }

    @Test
    void aGrantWithAGreaterTokenWhileLeadingSetsTheRoleUpAgainSoThatNothingRunsUnderTheOldOne() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 3);
        journal.clear();
        election.grant("outbox", 5);
        await().until(() -> journal.size() == 4 && engine.leadershipIdle());
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay", "setup relay",
                "setup relayMetrics");
        assertThat(engine.leadership("outbox").fencingToken()).isEqualTo(5);
        engine.shutdown();
    }

    @Test
    void aGrantWhoseTokenDoesNotGrowIsRefusedAndTheLeadershipGivenUp() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 5);
        election.revoke("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        journal.clear();
        election.grant("outbox", 5);
        await().until(() -> journal.contains("yield outbox"));
        assertThat(journal).containsExactly("yield outbox");
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
        assertThat(engine.leadership("outbox").status().lastFailure()).hasMessageContaining(
                "with fencing token 5, which is not greater than this replica's last one (5)");
        assertThat(leadershipEvents.get(leadershipEvents.size() - 1).kind()).isEqualTo(LeadershipEvent.Kind.YIELDED);
        engine.shutdown();
    }

    @Test
    void aRoleThatCannotBeSetUpIsRolledBackAndGivenUpAndTheNextGrantWaitsABackoff() throws Exception {
        Probe failing = Probe.onSetup(() -> {
            journal.add("setup relayMetrics");
            throw new IllegalStateException("no outbox table");
        });
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", failing, "relay");
        LifecycleEngine engine = withSetup(engine(graph).build());
        journal.clear();
        election.grant("outbox", 1);
        await().until(() -> journal.contains("yield outbox"));
        assertThat(journal).containsExactly("setup relay", "setup relayMetrics", "shutdown relay", "yield outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        Leadership.Status status = engine.leadership("outbox").status();
        assertThat(status.yields()).isEqualTo(1);
        assertThat(status.lastFailure()).isInstanceOf(ComponentSetupException.class)
                .hasRootCauseMessage("no outbox table");
        LeadershipEvent yielded = leadershipEvents.get(leadershipEvents.size() - 1);
        assertThat(yielded.kind()).isEqualTo(LeadershipEvent.Kind.YIELDED);
        assertThat(yielded.failure()).isSameAs(status.lastFailure());
        assertThat(engine.state("database")).isEqualTo(ComponentState.ACTIVE);
        // granted again at once: it waits a backoff before trying, rather than spinning
        journal.clear();
        election.grant("outbox", 2);
        delays.awaitRequest(1);
        assertThat(delays.requested).containsExactly(LeaderRoles.FIRST_BACKOFF);
        assertThat(journal).isEmpty();
        delays.passNext();
        await().until(() -> journal.contains("yield outbox"));
        engine.shutdown();
    }

    @Test
    void aRevocationWhileTheRoleIsSettingUpInterruptsItsSetupAndRollsBack() throws Exception {
        CountDownLatch inSetup = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Probe hanging = Probe.onSetup(() -> {
            inSetup.countDown();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
                throw ex;
            }
        });
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", hanging, "relay");
        LifecycleEngine engine = withSetup(engine(graph).build());
        journal.clear();
        election.grant("outbox", 1);
        assertThat(inSetup.await(10, TimeUnit.SECONDS)).isTrue();
        election.revoke("outbox");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(journal).containsExactly("setup relay", "shutdown relay");
        assertThat(journal).doesNotContain("yield outbox");
        assertThat(engine.state("relay")).isEqualTo(ComponentState.STOPPED);
        // a revoked replica needs no backoff: the next grant sets up at once
        hangingReleased(engine);
    }

    private void hangingReleased(LifecycleEngine engine) {
        assertThat(delays.requested).isEmpty();
        engine.shutdown();
        assertThat(journal).endsWith("close outbox", "shutdown database");
    }

    @Test
    void aShutdownWhileTheRoleIsSettingUpCancelsItAndShutsDownEverything() throws Exception {
        CountDownLatch inSetup = new CountDownLatch(1);
        Probe hanging = Probe.onSetup(() -> {
            inSetup.countDown();
            new CountDownLatch(1).await();
        });
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", hanging, "relay");
        LifecycleEngine engine = withSetup(engine(graph).build());
        journal.clear();
        election.grant("outbox", 1);
        assertThat(inSetup.await(10, TimeUnit.SECONDS)).isTrue();
        engine.shutdown();
        assertThat(journal).containsExactly("setup relay", "shutdown relay", "close outbox", "shutdown database");
        await().until(engine::leadershipIdle);
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
        assertThat(engine.isActive()).isFalse();
    }

    @Test
    void aGrantDuringARestartWaitsForIt() throws Exception {
        CountDownLatch inRestart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] apiSetups = {0};
        Probe api = Probe.onSetup(() -> {
            if (++apiSetups[0] == 2) {
                inRestart.countDown();
                release.await();
            }
            journal.add("setup api");
        });
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay")
                .add("api", api, "database");
        LifecycleEngine engine = withSetup(engine(graph).build());
        Thread restart = new Thread(() -> engine.restart("api"));
        restart.start();
        assertThat(inRestart.await(10, TimeUnit.SECONDS)).isTrue();
        journal.clear();
        Thread granting = new Thread(() -> election.grant("outbox", 1));
        granting.start();
        granting.join();
        assertThat(engine.leadership("outbox").isLeader()).isTrue();
        assertThat(journal).isEmpty();
        release.countDown();
        restart.join();
        awaitState(engine, Leadership.State.LEADER);
        assertThat(journal).containsExactly("setup api", "setup relay", "setup relayMetrics");
        engine.shutdown();
    }

    @Test
    void aRestartOfAnOrdinaryComponentRestartsTheRoleOnlyWhileItIsHeld() {
        LifecycleEngine engine = withSetup(engine(shop()).build());
        journal.clear();
        engine.restart("database");
        assertThat(journal).containsExactly("shutdown api", "shutdown database", "setup database", "setup api");
        assertThat(engine.state("relay")).isEqualTo(ComponentState.NEW);
        leading(engine, 1);
        journal.clear();
        engine.restart("database");
        assertThat(journal).hasSize(8).contains("shutdown relay", "setup relay", "shutdown relayMetrics",
                "setup relayMetrics");
        assertThat(at("shutdown relayMetrics")).isLessThan(at("shutdown relay"));
        assertThat(at("shutdown relay")).isLessThan(at("shutdown database"));
        election.revoke("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThatIllegalStateException().isThrownBy(() -> engine.restart("relay"))
                .withMessage("Cannot restart 'relay': it is leader-only for role 'outbox', which this replica does not"
                        + " lead, so it is not set up.");
        engine.shutdown();
    }

    @Test
    void aGrantFromInsideJoinIsAppliedOnceTheSetupHasReturned() {
        election.insideJoin = candidate -> candidate.granted(1);
        LifecycleEngine engine = withSetup(engine(shop()).build());
        awaitState(engine, Leadership.State.LEADER);
        assertThat(at("join outbox")).isLessThan(at("setup relay"));
        engine.shutdown();
    }

    @Test
    void aRevocationBeforeAnyGrantAndARevocationTwiceAreIgnored() {
        LifecycleEngine engine = withSetup(engine(shop()).build());
        election.revoke("outbox");
        leading(engine, 1);
        election.revoke("outbox");
        election.revoke("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(engine.leadership("outbox").status().revocations()).isEqualTo(1);
        assertThat(journal).containsOnlyOnce("shutdown relay");
        engine.shutdown();
    }

    @Test
    void anElectionThatCannotBeJoinedFailsTheSetupAndRollsBack() {
        election.joinFailure = new IllegalStateException("no such lock table");
        LifecycleEngine engine = engine(shop()).build();
        assertThatExceptionOfType(ConductorException.class).isThrownBy(engine::setup)
                .withMessageStartingWith("Could not join the election of role 'outbox' with manual election: no such"
                        + " lock table. Its leader-only components [relay, relayMetrics] could never be set up")
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(engine.isActive()).isFalse();
        assertThat(engine.state("database")).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void anElectionThatFailsToYieldOrToCloseIsRecordedAndTheLifecycleGoesOn() {
        election.yieldFailure = new IllegalStateException("lock row gone");
        election.closeFailure = new IllegalStateException("connection closed");
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        engine.yieldLeadership("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(engine.leadership("outbox").status().lastFailure()).hasMessage("lock row gone");
        leading(engine, 2);
        engine.shutdown();
        assertThat(engine.leadership("outbox").status().lastFailure()).hasMessage("connection closed");
        assertThat(at("close outbox")).isLessThan(at("shutdown api")).isLessThan(at("shutdown database"));
        assertThat(journal).contains("shutdown independent");
    }

    @Test
    void theReportAndItsTimelineMarkTheLeaderOnlyComponents() {
        LifecycleEngine engine = leading(withSetup(engine(shop()).build()), 1);
        StartupReport report = engine.report();
        assertThat(report.leaderOnly()).containsOnly(java.util.Map.entry("relay", "outbox"),
                java.util.Map.entry("relayMetrics", "outbox"));
        String svg = report.toSvg(StartupReport.SvgView.TIMELINE);
        assertThat(svg).contains("class=\"tier leader-only\"").contains(">leader: outbox<")
                .contains("leader-only for role &#39;outbox&#39;");
        assertThat(svg.split("leader: outbox", -1)).hasSize(3);
        assertThat(report.toText()).contains("relay ").contains(" (leader-only, role 'outbox')")
                .doesNotContain("_");
        engine.shutdown();
    }

    /** database <- relay (outbox) <- relayMetrics (outbox), each running {@code inShutdown} in its shutdown. */
    private ComponentGraph.Builder calling(java.util.function.Consumer<String> inShutdown) {
        java.util.function.Function<String, Probe> probe = name -> new Probe(() -> journal.add("setup " + name),
                () -> {
                    journal.add("shutdown " + name);
                    inShutdown.accept(name);
                });
        return ComponentGraph.builder().add("database", probe.apply("database"))
                .add("relay", probe.apply("relay"), "database")
                .add("relayMetrics", probe.apply("relayMetrics"), "relay");
    }

    @Test
    void aGrantWhileTheRoleIsShuttingDownSetsItUpAgainOnceItIsDown() {
        LifecycleEngine engine = leading(withSetup(engine(calling(name -> {
            if (name.equals("relayMetrics") && !journal.contains("granted again")) {
                journal.add("granted again");
                election.grant("outbox", 2); // from inside the role's shutdown
            }
        })).build()), 1);
        journal.clear();
        election.revoke("outbox");
        await().until(() -> journal.contains("setup relayMetrics") && engine.leadershipIdle());
        assertThat(journal).containsExactly("shutdown relayMetrics", "granted again", "shutdown relay",
                "setup relay", "setup relayMetrics");
        assertThat(engine.leadership("outbox").status().state()).isEqualTo(Leadership.State.LEADER);
        assertThat(engine.leadership("outbox").fencingToken()).isEqualTo(2);
        engine.shutdown();
    }

    @Test
    void aRevocationWhileTheRoleIsShuttingDownForAYieldShutsItDownOnce() {
        LifecycleEngine engine = leading(withSetup(engine(calling(name -> {
            if (name.equals("relayMetrics")) {
                election.revoke("outbox");
            }
        })).build()), 1);
        journal.clear();
        engine.yieldLeadership("outbox");
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay", "yield outbox");
        assertThat(engine.leadership("outbox").status().revocations()).isZero();
        engine.shutdown();
    }

    @Test
    void aGrantOrARevocationDuringTheShutdownOfTheWholeGraphIsIgnored() {
        LifecycleEngine engine = leading(withSetup(engine(calling(name -> {
            if (name.equals("relay")) {
                election.revoke("outbox");
            }
            if (name.equals("database")) {
                election.grant("outbox", 9);
            }
        })).build()), 1);
        journal.clear();
        engine.shutdown();
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay", "close outbox",
                "shutdown database");
        await().until(engine::leadershipIdle);
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
        assertThat(engine.state("relay")).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void aRoleWhoseTaskTheExecutorRefusesIsGivenUp() {
        java.util.concurrent.atomic.AtomicBoolean refusing = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Executor threads = DefaultExecutors.create();
        LifecycleEngine engine = withSetup(engine(shop()).executor(task -> {
            if (refusing.get()) {
                throw new java.util.concurrent.RejectedExecutionException("shutting down");
            }
            threads.execute(task);
        }).build());
        journal.clear();
        refusing.set(true);
        election.grant("outbox", 1);
        assertThat(journal).containsExactly("yield outbox");
        assertThat(engine.leadership("outbox").isLeader()).isFalse();
        assertThat(engine.leadership("outbox").status().lastFailure()).hasMessage("shutting down");
        refusing.set(false);
        engine.shutdown();
    }

    @Test
    void aRoleWhoseOrdinaryDependencyIsDownIsGivenUpWithoutCallingItsComponents() {
        int[] databaseSetups = {0};
        Probe database = Probe.onSetup(() -> {
            if (++databaseSetups[0] == 2) {
                throw new IllegalStateException("disk full");
            }
        });
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", database)
                .add("relay", journaled("relay"), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay");
        LifecycleEngine engine = withSetup(engine(graph).build());
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(() -> engine.restart("database"));
        journal.clear();
        election.grant("outbox", 1);
        await().until(() -> journal.contains("yield outbox"));
        assertThat(journal).containsExactly("yield outbox");
        assertThat(engine.leadership("outbox").status().lastFailure()).hasMessage("Cannot set up role 'outbox':"
                + " 'relay' depends on 'database', which is not active (FAILED), so it could not be set up. Restart"
                + " 'database' first.");
        engine.shutdown();
    }

    private static final SupervisionPolicy RESTART = SupervisionPolicy.restart(3, java.time.Duration.ofMinutes(1),
            RetryPolicy.builder().delay(java.time.Duration.ZERO).build());

    /** A journaled component whose setup fails on the given call (1-based), and only on that one. */
    private Probe failingOnSetup(String name, int call, java.util.function.Consumer<String> inShutdown) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        return new Probe(() -> {
            journal.add("setup " + name);
            if (calls.incrementAndGet() == call) {
                throw new IllegalStateException(name + " cannot start");
            }
        }, () -> {
            journal.add("shutdown " + name);
            inShutdown.accept(name);
        });
    }

    @Test
    void aSupervisedRestartThatCannotSetTheRoleUpAgainRollsItBackAndGivesTheRoleUp() throws Exception {
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", failingOnSetup("relay", 2, name -> { }), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay")
                .add("api", journaled("api"), "database");
        LifecycleEngine engine = leading(withSetup(engine(graph).supervision("relay", RESTART).build()), 1);
        journal.clear();
        leadershipEvents.clear();
        engine.reportFailure("relay", new IllegalStateException("lost its connection"));
        delays.passNext(); // the restart's backoff
        await().until(() -> journal.contains("yield outbox"));
        awaitState(engine, Leadership.State.FOLLOWER);
        await().until(engine::supervisionIdle);
        assertThat(journal).containsExactly("shutdown relayMetrics", "shutdown relay", "setup relay", "yield outbox");
        Leadership.Status status = engine.leadership("outbox").status();
        assertThat(status.yields()).isEqualTo(1);
        assertThat(status.revocations()).isZero();
        assertThat(status.lastFailure()).isInstanceOf(ComponentSetupException.class)
                .hasRootCauseMessage("relay cannot start");
        assertThat(leadershipEvents).extracting(LeadershipEvent::kind).containsExactly(LeadershipEvent.Kind.STOPPED,
                LeadershipEvent.Kind.YIELDED);
        assertThat(leadershipEvents.get(1).failure()).isSameAs(status.lastFailure());
        assertThat(leadershipEvents.get(1).fencingToken()).isEqualTo(1);
        assertThat(engine.state("database")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("api")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("relay")).isNotEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("relayMetrics")).isNotEqualTo(ComponentState.ACTIVE);
        // the role's next grant sets it up again, not another restart; it waits the backoff of a failed setup
        assertThat(delays.requested).hasSize(1);
        journal.clear();
        election.grant("outbox", 2);
        delays.awaitRequest(2);
        assertThat(delays.requested.get(1)).isEqualTo(LeaderRoles.FIRST_BACKOFF);
        assertThat(journal).isEmpty();
        delays.passNext();
        awaitState(engine, Leadership.State.LEADER);
        assertThat(journal).containsExactly("setup relay", "setup relayMetrics");
        assertThat(engine.leadership("outbox").fencingToken()).isEqualTo(2);
        engine.shutdown();
    }

    @Test
    void aFailedRestartOfPartOfARoleShutsTheRestOfTheRoleDownWhileStoppingThenGivesItUp() throws Exception {
        List<Leadership.State> statesInShutdown = new CopyOnWriteArrayList<>();
        LifecycleEngine[] engine = new LifecycleEngine[1];
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", failingOnSetup("relay", 0, name -> statesInShutdown.add(
                        engine[0].leadership("outbox").status().state())), "database")
                .add("relayMetrics", failingOnSetup("relayMetrics", 2, name -> { }), "relay");
        engine[0] = withSetup(engine(graph).supervision("relayMetrics", RESTART).build());
        leading(engine[0], 1);
        journal.clear();
        engine[0].reportFailure("relayMetrics", new IllegalStateException("lost its connection"));
        delays.passNext();
        await().until(() -> journal.contains("yield outbox"));
        awaitState(engine[0], Leadership.State.FOLLOWER);
        assertThat(journal).containsExactly("shutdown relayMetrics", "setup relayMetrics", "shutdown relay",
                "yield outbox");
        assertThat(statesInShutdown).containsExactly(Leadership.State.STOPPING);
        assertThat(engine[0].state("relay")).isEqualTo(ComponentState.STOPPED);
        assertThat(engine[0].state("database")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine[0].leadership("outbox").status().lastFailure()).hasRootCauseMessage(
                "relayMetrics cannot start");
        engine[0].shutdown();
    }

    @Test
    void aFailedRestartOfAnOrdinaryComponentThatTookTheRoleDownGivesTheRoleUpAndKeepsSupervisingTheComponent()
            throws Exception {
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", failingOnSetup("relay", 2, name -> { }), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay")
                .add("api", journaled("api"), "database");
        LifecycleEngine engine = leading(withSetup(engine(graph).supervision("database", RESTART).build()), 1);
        journal.clear();
        engine.reportFailure("database", new IllegalStateException("lost its disk"));
        delays.passNext(); // the first restart, whose setup of relay fails: everything it set up is rolled back
        await().until(() -> journal.contains("yield outbox"));
        delays.passNext(); // the database's supervision restarts it again, without the role it gave up
        await().until(() -> engine.supervisionIdle() && engine.state("api") == ComponentState.ACTIVE);
        awaitState(engine, Leadership.State.FOLLOWER);
        assertThat(engine.state("database")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine.state("relay")).isNotEqualTo(ComponentState.ACTIVE);
        assertThat(journal).endsWith("setup database", "setup api").containsOnlyOnce("yield outbox");
        assertThat(at("yield outbox")).isLessThan(at("setup database"));
        assertThat(at("setup relay")).isLessThan(at("yield outbox"));
        assertThat(engine.leadership("outbox").status().yields()).isEqualTo(1);
        engine.shutdown();
    }

    @Test
    void aFailedRestartThatSpendsTheBudgetStillEscalates() throws Exception {
        List<ComponentFailedException> escalations = new CopyOnWriteArrayList<>();
        CountDownLatch escalated = new CountDownLatch(1);
        ComponentGraph.Builder graph = ComponentGraph.builder().add("database", journaled("database"))
                .add("relay", failingOnSetup("relay", 2, name -> { }), "database")
                .add("relayMetrics", journaled("relayMetrics"), "relay");
        LifecycleEngine engine = leading(withSetup(engine(graph).supervision("relay", SupervisionPolicy.restart(1,
                java.time.Duration.ofMinutes(1), RetryPolicy.builder().delay(java.time.Duration.ZERO).build()))
                .onEscalation(failure -> {
                    escalations.add(failure);
                    escalated.countDown();
                }).build()), 1);
        engine.reportFailure("relay", new IllegalStateException("lost its connection"));
        delays.passNext();
        assertThat(escalated.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(escalations.get(0).getMessage()).contains("relay");
        assertThat(engine.isActive()).isFalse();
        await().until(engine::leadershipIdle);
        assertThat(engine.leadership("outbox").status().state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(engine.state("database")).isEqualTo(ComponentState.STOPPED);
        assertThat(journal).containsOnlyOnce("shutdown relayMetrics").containsOnlyOnce("shutdown relay")
                .endsWith("shutdown database");
    }

    private static LifecycleEngine withSetup(LifecycleEngine engine) {
        engine.setup();
        return engine;
    }
}
