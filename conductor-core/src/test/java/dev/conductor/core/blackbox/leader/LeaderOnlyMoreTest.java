package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import dev.conductor.core.blackbox.leader.Kit.CountingExecutor;
import dev.conductor.core.blackbox.leader.Kit.Events;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualDelays;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Backoff after a failed role, supervision, grants during the role's own setup, failing shutdowns. */
class LeaderOnlyMoreTest {

    static final String ROLE = "outbox";

    final Log log = new Log();
    final ManualElection election = new ManualElection(log);
    final Events events = new Events(log);
    final Part db = new Part("db", log);
    final Part web = new Part("web", log).dependsOn(db);
    final Part relay = new Part("relay", log).dependsOn(db);
    final Part report = new Part("report", log).dependsOn(relay);

    LifecycleEngine.Builder builder() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE)
                .leaderElection(election).listener(events).shutdownTimeout(Duration.ofSeconds(5));
    }

    boolean leaderActive(LifecycleEngine e) {
        return relay.active && report.active && e.leadership(ROLE).status().state() == Leadership.State.LEADER;
    }

    boolean followerDown(LifecycleEngine e) {
        return !relay.active && !report.active && e.leadership(ROLE).status().state() == Leadership.State.FOLLOWER;
    }

    void assertOrdinaryUntouched() {
        assertThat(db.setups.get() + web.setups.get()).isEqualTo(2);
        assertThat(db.shutdowns.get() + web.shutdowns.get()).isZero();
    }

    @Test
    @Timeout(40)
    void theNextGrantAfterAFailedRoleWaitsAboutOneSecondThenTwo() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        try {
            relay.failNext = new IllegalStateException("first");
            election.grant(ROLE, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
            long failed1 = System.nanoTime();
            AtomicLong started = new AtomicLong();
            relay.heldCheck = () -> {
                started.compareAndSet(0, System.nanoTime());
                return true;
            };
            relay.failNext = new IllegalStateException("second");
            election.grant(ROLE, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 2);
            long waited1 = started.get() - failed1;
            assertThat(Duration.ofNanos(waited1)).as("wait before the second attempt")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            long failed2 = System.nanoTime();
            started.set(0);
            election.grant(ROLE, 3);
            await().atMost(Duration.ofSeconds(15)).until(() -> leaderActive(e));
            assertThat(Duration.ofNanos(started.get() - failed2)).as("wait before the third attempt (doubled)")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
            assertOrdinaryUntouched();
        } finally {
            e.shutdown();
        }
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void aRevocationDuringTheBackoffSetsNothingUp() throws Exception {
        ManualDelays delays = new ManualDelays();
        CountingExecutor executor = new CountingExecutor();
        LifecycleEngine e = builder().delays(delays).executor(executor).build();
        e.setup();
        relay.failNext = new IllegalStateException("first");
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        int calls = relay.setupCalls.get();
        election.grant(ROLE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.waiting() == 1); // the backoff has begun
        assertThat(delays.asked).containsExactly(Duration.ofSeconds(1));
        election.revoke(ROLE);
        delays.passAll(); // the backoff is over, and what its end started has ended: nothing must have started
        await().atMost(Duration.ofSeconds(10)).until(executor::quiet);
        assertThat(relay.setupCalls.get()).isEqualTo(calls);
        assertThat(e.leadership(ROLE).status().state()).isEqualTo(Leadership.State.FOLLOWER);
        e.shutdown();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void shutdownDuringTheBackoffReturnsAndSetsNothingUp() throws Exception {
        ManualDelays delays = new ManualDelays();
        CountingExecutor executor = new CountingExecutor();
        LifecycleEngine e = builder().delays(delays).executor(executor).build();
        e.setup();
        relay.failNext = new IllegalStateException("first");
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
        int calls = relay.setupCalls.get();
        election.grant(ROLE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.waiting() == 1); // the backoff has begun
        e.shutdown(); // returns while the backoff never ends: it does not wait for it
        delays.passAll(); // the backoff ends after the shutdown, and what its end started has ended
        await().atMost(Duration.ofSeconds(10)).until(executor::quiet);
        assertThat(relay.setupCalls.get()).isEqualTo(calls);
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void supervisionRestartsAFailedLeaderOnlyComponentWithItsDependentsOnly() throws Exception {
        LifecycleEngine e = builder().supervision("relay",
                SupervisionPolicy.restart(3, Duration.ofMinutes(1), RetryPolicy.builder().delay(Duration.ZERO).build()))
                .build();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.reportFailure("relay", new IllegalStateException("lost its connection"));
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.setups.get() == 2 && report.setups.get() == 2
                && leaderActive(e));
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(report.shutdowns.get()).isEqualTo(1);
        assertThat(election.yields(ROLE)).isZero();
        assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(1);
        assertOrdinaryUntouched();
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void aGreaterGrantDuringTheRolesOwnSetup() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        relay.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 1);
        relay.setupEntered.await();
        election.grant(ROLE, 2);
        relay.setupGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e) || followerDown(e));
        if (e.leadership(ROLE).isLeader()) {
            assertThat(e.leadership(ROLE).fencingToken()).as("the latest grant's token").isEqualTo(2);
        }
        assertThat(relay.setups.get() - relay.shutdowns.get()).isBetween(0, 1);
        assertOrdinaryUntouched();
        e.shutdown();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void shutdownWhileTheRoleSetsUpInterruptsRollsBackAndLeaves() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        report.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 1);
        report.setupEntered.await();
        e.shutdown();
        assertThat(report.interrupted.get()).isEqualTo(1);
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        List<String> l = log.list();
        assertThat(l.indexOf("close:" + ROLE)).isGreaterThan(l.indexOf("relay-")).isLessThan(l.indexOf("db-start"));
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void aFailingShutdownOnRevokeStillStopsTheRestOfTheRoleAndStaysACandidate() throws Exception {
        Part failing = new Part("report", log) {
            @Override
            public void shutdown() throws Exception {
                super.shutdown();
                throw new IllegalStateException("report's shutdown failed");
            }
        };
        failing.dependsOn(relay);
        LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, web, relay, failing))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE).leaderElection(election).build();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.active && failing.active);
        election.revoke(ROLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.active && !failing.active
                && e.leadership(ROLE).status().state() == Leadership.State.FOLLOWER);
        assertOrdinaryUntouched();
        election.grant(ROLE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.active && failing.active
                && e.leadership(ROLE).isLeader());
        catchThrowable(e::shutdown);
        assertThat(List.of(db, web, relay, failing)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void anOrdinaryFailureBeforeJoiningNeverJoins() {
        web.failNext = new IllegalStateException("web broke");
        LifecycleEngine e = builder().build();
        Throwable t = catchThrowable(e::setup);
        assertThat(t).isNotNull();
        assertThat(election.joins(ROLE)).isZero();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void statusSinceIsSetOnceJoined() {
        LifecycleEngine e = builder().build();
        assertThat(e.leadership(ROLE).status().since()).isNull();
        e.setup();
        try {
            var s0 = e.leadership(ROLE).status();
            assertThat(election.joins(ROLE)).isEqualTo(1);
            assertThat(s0.since()).as("since, once joined: " + s0).isNotNull();
        } finally {
            e.shutdown();
        }
    }

    @Test
    @Timeout(30)
    void statusMovesWithTheStateAndShutdownCountsAsAYield() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        var s1 = e.leadership(ROLE).status();
        assertThat(s1.since()).isNotNull();
        assertThat(s1.grants()).isEqualTo(1);
        assertThat(s1.fencingToken()).isEqualTo(1);
        e.shutdown();
        var s2 = e.leadership(ROLE).status();
        assertThat(s2.state()).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(s2.since()).isAfterOrEqualTo(s1.since());
        assertThat(s2.yields()).as("giving the role up on shutdown counts as a yield").isEqualTo(1);
        assertThat(events.kinds(ROLE)).contains(dev.conductor.core.LeadershipEvent.Kind.YIELDED,
                dev.conductor.core.LeadershipEvent.Kind.STOPPED);
        assertThat(log.violations).isEmpty();
    }
}
