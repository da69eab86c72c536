package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Faults;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.blackbox.leader.Kit.Events;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The promises of one role on one engine, driven one step at a time. */
class LeaderOnlyBasicsTest {

    static final String ROLE = "outbox";

    Log log;
    ManualElection election;
    Events events;
    Part db, web, relay, report;
    LifecycleEngine engine;

    @BeforeEach
    void build() {
        log = new Log();
        election = new ManualElection(log);
        events = new Events(log);
        db = new Part("db", log);
        web = new Part("web", log).dependsOn(db);
        relay = new Part("relay", log).dependsOn(db);
        report = new Part("report", log).dependsOn(relay);
        engine = builder().build();
    }

    LifecycleEngine.Builder builder() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE)
                .leaderElection(election).listener(events)
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        try {
            engine.shutdown();
        } catch (RuntimeException ignored) {
            // reported by the tests themselves
        }
        assertThat(log.violations).isEmpty();
    }

    void awaitLeaderActive() {
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.active && report.active
                && engine.leadership(ROLE).status().state() == Leadership.State.LEADER);
    }

    void awaitFollowerDown() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.active && !report.active
                && engine.leadership(ROLE).status().state() == Leadership.State.FOLLOWER);
    }

    void assertOrdinaryUntouched() {
        assertThat(db.setups.get()).as("db setups").isEqualTo(1);
        assertThat(web.setups.get()).as("web setups").isEqualTo(1);
        assertThat(db.shutdowns.get()).as("db shutdowns").isZero();
        assertThat(web.shutdowns.get()).as("web shutdowns").isZero();
        assertThat(db.active && web.active).isTrue();
    }

    @Test
    @Timeout(30)
    void setupJoinsAfterOrdinaryComponentsAndLeavesLeaderOnlyDown() throws Exception {
        engine.setup();
        assertThat(election.joins(ROLE)).isEqualTo(1);
        assertThat(log.indexOf("join:" + ROLE)).isGreaterThan(log.indexOf("db+")).isGreaterThan(log.indexOf("web+"));
        assertThat(relay.setupCalls.get() + report.setupCalls.get()).isZero();
        assertThat(engine.isActive()).isTrue();
        Leadership.Status status = engine.leadership(ROLE).status();
        assertThat(status.state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(status.fencingToken()).isZero();
        assertThat(status.role()).isEqualTo(ROLE);
        assertThat(engine.leadership(ROLE).isLeader()).isFalse();
        assertThatThrownBy(() -> engine.leadership(ROLE).fencingToken()).isInstanceOf(IllegalStateException.class);
        assertThat(engine.roleOf("relay")).isEqualTo(ROLE);
        assertThat(engine.roleOf("report")).isEqualTo(ROLE);
        assertThat(engine.roleOf("db")).isNull();
        assertThat(engine.leaderships()).extracting(Leadership::role).containsExactly(ROLE);
        assertThat(engine.report().leaderOnly()).containsEntry("relay", ROLE).containsEntry("report", ROLE)
                .doesNotContainKey("db");
        assertThatThrownBy(() -> engine.leadership("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.yieldLeadership("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void grantSetsUpInOrderRevokeShutsDownInReverseOthersUntouched() throws Exception {
        engine.setup();
        relay.heldCheck = () -> engine.leadership(ROLE).isLeader();
        election.grant(ROLE, 7);
        awaitLeaderActive();
        List<String> l = log.list();
        assertThat(l.indexOf("relay+")).isLessThan(l.indexOf("report+start"));
        assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(7);
        assertThat(engine.leadership(ROLE).isLeader()).isTrue();

        election.revoke(ROLE);
        awaitFollowerDown();
        l = log.list();
        assertThat(l.indexOf("report-")).isLessThan(l.indexOf("relay-start"));
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(report.setups.get()).isEqualTo(1);
        assertThat(report.shutdowns.get()).isEqualTo(1);
        assertOrdinaryUntouched();
        assertThat(engine.isActive()).isTrue();
        // a revocation is not a yield, and the replica stays a candidate
        assertThat(election.closes(ROLE)).isZero();
        Leadership.Status s = engine.leadership(ROLE).status();
        assertThat(s.grants()).isEqualTo(1);
        assertThat(s.revocations()).isEqualTo(1);
        assertThat(s.handOvers()).isEqualTo(1 + s.yields());

        election.grant(ROLE, 9);
        awaitLeaderActive();
        assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(9);
        assertThat(relay.setups.get()).isEqualTo(2);
        assertThat(report.setups.get()).isEqualTo(2);
        assertOrdinaryUntouched();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.kinds(ROLE).size() >= 6);
        assertThat(events.kinds(ROLE)).startsWith(LeadershipEvent.Kind.GRANTED, LeadershipEvent.Kind.ACTIVE,
                LeadershipEvent.Kind.REVOKED, LeadershipEvent.Kind.STOPPED, LeadershipEvent.Kind.GRANTED,
                LeadershipEvent.Kind.ACTIVE);
        assertThat(events.leadership.get(0).fencingToken()).isEqualTo(7);
        assertThat(events.leadership.get(4).fencingToken()).isEqualTo(9);
    }

    @Test
    @Timeout(30)
    void stateIsStartingWhileTheRoleSetsUpAndStoppingWhileItShutsDown() throws Exception {
        engine.setup();
        relay.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 1);
        relay.setupEntered.await();
        assertThat(engine.leadership(ROLE).status().state()).isEqualTo(Leadership.State.STARTING);
        assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(1);
        relay.setupGate.countDown();
        awaitLeaderActive();
        report.shutdownGate = new CountDownLatch(1);
        election.revoke(ROLE);
        report.shutdownEntered.await();
        assertThat(engine.leadership(ROLE).status().state()).isEqualTo(Leadership.State.STOPPING);
        assertThat(engine.leadership(ROLE).isLeader()).isFalse();
        report.shutdownGate.countDown();
        awaitFollowerDown();
    }

    @Test
    @Timeout(30)
    void tokenNotGreaterThanTheLastIsRefusedAndGivenUp() throws Exception {
        engine.setup();
        election.grant(ROLE, 5);
        awaitLeaderActive();
        election.revoke(ROLE);
        awaitFollowerDown();
        election.grant(ROLE, 5);   // same token again
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) >= 1);
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(engine.leadership(ROLE).isLeader()).isFalse();
        election.grant(ROLE, 3);   // lower
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) >= 2);
        assertThat(relay.setupCalls.get()).isEqualTo(1);
        assertThat(report.setupCalls.get()).isEqualTo(1);
        assertThat(events.leadership).anyMatch(e -> e.kind() == LeadershipEvent.Kind.YIELDED && e.failure() != null);
        // a proper token later works
        election.grant(ROLE, 6);
        awaitLeaderActive();
        assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(6);
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void sameTokenGrantedTwiceWhileLeadingIsIgnored() throws Exception {
        // Candidate.granted: a grant that repeats the token of the leadership held now is ignored
        engine.setup();
        election.grant(ROLE, 4);
        awaitLeaderActive();
        election.grant(ROLE, 4); // handled on this thread: ignored before grant() returns
        assertThat(election.yields(ROLE)).isZero();
        assertThat(engine.leadership(ROLE).status().grants()).isEqualTo(1);
        assertThat(engine.leadership(ROLE).status().state()).isEqualTo(Leadership.State.LEADER);
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(relay.shutdowns.get()).isZero();
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void grantedTwiceWithAGreaterTokenNeverSetsUpTwice() throws Exception {
        engine.setup();
        election.grant(ROLE, 1);
        election.grant(ROLE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.leadership(ROLE).status().state()
                == Leadership.State.LEADER || engine.leadership(ROLE).status().state() == Leadership.State.FOLLOWER);
        Thread.onSpinWait();
        // whatever it does, no component is active twice and the state agrees with the components
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Leadership.State st = engine.leadership(ROLE).status().state();
            return (st == Leadership.State.LEADER && relay.active && report.active)
                    || (st == Leadership.State.FOLLOWER && !relay.active && !report.active);
        });
        assertThat(relay.setups.get() - relay.shutdowns.get()).isBetween(0, 1);
        if (engine.leadership(ROLE).isLeader()) {
            assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(2);
        }
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void revokeWithoutGrantTouchesNothing() throws Exception {
        engine.setup();
        election.revoke(ROLE);
        election.revoke(ROLE);
        assertThat(relay.setupCalls.get() + relay.shutdowns.get()).isZero();
        assertThat(engine.leadership(ROLE).status().state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(engine.yieldLeadership(ROLE)).isFalse();
        election.grant(ROLE, 1);
        awaitLeaderActive();
        assertThat(relay.setups.get()).isEqualTo(1);
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void revokeWhileTheRoleSetsUpInterruptsAndRollsBack() throws Exception {
        engine.setup();
        report.setupGate = new CountDownLatch(1);   // relay becomes active, report hangs
        election.grant(ROLE, 1);
        report.setupEntered.await();
        assertThat(relay.active).isTrue();
        election.revoke(ROLE);
        awaitFollowerDown();
        assertThat(report.interrupted.get()).as("report's setup interrupted").isEqualTo(1);
        assertThat(report.setups.get()).isZero();
        assertThat(report.shutdowns.get()).as("a failed setup is never shut down").isZero();
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertOrdinaryUntouched();
        report.setupGate = null;
        election.grant(ROLE, 2);
        awaitLeaderActive();
        assertThat(relay.setups.get()).isEqualTo(2);
        assertThat(report.setups.get()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void yieldFromTheApiWhileLeadingShutsDownThenTellsTheElection() throws Exception {
        engine.setup();
        assertThat(engine.yieldLeadership(ROLE)).isFalse();
        assertThat(election.yields(ROLE)).isZero();
        election.grant(ROLE, 3);
        awaitLeaderActive();
        assertThat(engine.yieldLeadership(ROLE)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        awaitFollowerDown();
        List<String> l = log.list();
        assertThat(l.indexOf("yield:" + ROLE)).isGreaterThan(l.indexOf("relay-")).isGreaterThan(l.indexOf("report-"));
        assertThat(election.closes(ROLE)).isZero();
        assertThat(engine.leadership(ROLE).status().yields()).isEqualTo(1);
        assertThat(events.kinds(ROLE)).contains(LeadershipEvent.Kind.YIELDED);
        assertOrdinaryUntouched();
        election.grant(ROLE, 4);   // still a candidate
        awaitLeaderActive();
    }

    @Test
    @Timeout(30)
    void yieldFromTheApiWhileTheRoleSetsUpRollsBack() throws Exception {
        engine.setup();
        relay.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 3);
        relay.setupEntered.await();
        assertThat(engine.yieldLeadership(ROLE)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        awaitFollowerDown();
        assertThat(relay.interrupted.get()).isEqualTo(1);
        assertThat(report.setupCalls.get()).isZero();
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void aRoleThatFailsToSetUpIsRolledBackAndGivenUpAndStaysACandidate() throws Exception {
        engine.setup();
        report.failNext = new IllegalStateException("boom");
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        awaitFollowerDown();
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(report.shutdowns.get()).isZero();
        assertThat(election.closes(ROLE)).isZero();
        Leadership.Status s = engine.leadership(ROLE).status();
        assertThat(s.lastFailure()).isNotNull();
        assertThat(events.leadership).anyMatch(e -> e.kind() == LeadershipEvent.Kind.YIELDED && e.failure() != null);
        assertOrdinaryUntouched();
        election.grant(ROLE, 2);   // waits about 1 s, then tries again
        awaitLeaderActive();
        assertThat(relay.setups.get()).isEqualTo(2);
        assertThat(report.setups.get()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void retriesApplyToTheRole() throws Exception {
        Faults faults = new Faults();
        engine = builder().faults(faults)
                .retryPolicy("relay", RetryPolicy.builder().maxRetries(3).delay(Duration.ZERO).build()).build();
        engine.setup();
        faults.failNextSetups("relay", 2, () -> new IllegalStateException("not yet"));
        election.grant(ROLE, 1);
        awaitLeaderActive();
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(election.yields(ROLE)).isZero();
        assertThat(engine.report().component("relay").attempts()).hasSize(3);
    }

    @Test
    @Timeout(30)
    void aTimeoutAppliesToTheRole() throws Exception {
        engine = LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE).leaderElection(election).listener(events)
                .setupTimeout(Duration.ofMillis(300)).build();
        engine.setup();
        relay.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        awaitFollowerDown();
        assertThat(relay.interrupted.get()).isEqualTo(1);
        assertThat(report.setupCalls.get()).isZero();
        assertOrdinaryUntouched();
    }

    @Test
    @Timeout(30)
    void gracefulShutdownStopsTheRoleFirstThenLeavesTheElectionThenTheRest() throws Exception {
        engine.setup();
        election.grant(ROLE, 1);
        awaitLeaderActive();
        engine.shutdown();
        List<String> l = log.list();
        int close = l.indexOf("close:" + ROLE);
        assertThat(close).as("election left").isGreaterThanOrEqualTo(0);
        assertThat(close).isGreaterThan(l.indexOf("relay-")).isGreaterThan(l.indexOf("report-"));
        assertThat(close).isLessThan(l.indexOf("db-start")).isLessThan(l.indexOf("web-start"));
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(List.of(db, web, relay, report)).allMatch(p -> !p.active && p.shutdowns.get() == 1);
        assertThat(engine.leadership(ROLE).isLeader()).isFalse();
    }

    @Test
    @Timeout(30)
    void shutdownAsAFollowerLeavesTheElectionBeforeTheRest() throws Exception {
        engine.setup();
        engine.shutdown();
        List<String> l = log.list();
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(l.indexOf("close:" + ROLE)).isLessThan(l.indexOf("db-start")).isLessThan(l.indexOf("web-start"));
        assertThat(relay.setupCalls.get()).isZero();
    }

    @Test
    @Timeout(60)
    void tenSetupShutdownCyclesJoinAndLeaveEachTime() throws Exception {
        for (int i = 1; i <= 10; i++) {
            engine.setup();
            assertThat(election.joins(ROLE)).isEqualTo(i);
            election.grant(ROLE, i);
            awaitLeaderActive();
            assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(i);
            engine.shutdown();
            assertThat(election.closes(ROLE)).isEqualTo(i);
            for (Part p : List.of(db, web, relay, report)) {
                assertThat(p.setups.get()).as(p.name).isEqualTo(i);
                assertThat(p.shutdowns.get()).as(p.name).isEqualTo(i);
            }
        }
    }

    @Test
    @Timeout(30)
    void restartOfAnOrdinaryDependencyRestartsTheActiveRoleAndKeepsTheLeadership() throws Exception {
        engine.setup();
        election.grant(ROLE, 1);
        awaitLeaderActive();
        engine.restart("db");
        awaitLeaderActive();
        assertThat(relay.setups.get()).isEqualTo(2);
        assertThat(report.setups.get()).isEqualTo(2);
        assertThat(engine.leadership(ROLE).fencingToken()).isEqualTo(1);
        assertThat(election.yields(ROLE)).isZero();
    }

    @Test
    @Timeout(30)
    void restartOfAnOrdinaryDependencyAsFollowerDoesNotSetUpTheRole() throws Exception {
        engine.setup();
        engine.restart("db");
        assertThat(db.setups.get()).isEqualTo(2);
        assertThat(web.setups.get()).isEqualTo(2);
        assertThat(relay.setupCalls.get() + report.setupCalls.get()).isZero();
        assertThat(engine.leadership(ROLE).status().state()).isEqualTo(Leadership.State.FOLLOWER);
    }
}
