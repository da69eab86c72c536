package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Component;
import dev.conductor.core.Conductor;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LeaderOnly;
import dev.conductor.core.Leadership;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.RetryPolicy;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaderOnlyExtraTest {

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

    @Test
    @Timeout(30)
    void apiYieldEventsComeAfterTheComponentsAreDown() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.yieldLeadership(ROLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.kinds(ROLE).contains(LeadershipEvent.Kind.YIELDED)
                && followerDown(e));
        List<String> l = log.list();
        assertThat(l.indexOf("event:" + ROLE + ":YIELDED")).isGreaterThan(l.indexOf("relay-"));
        assertThat(events.kinds(ROLE)).doesNotContain(LeadershipEvent.Kind.REVOKED);
        e.shutdown();
    }

    @Test
    @Timeout(30)
    void aRevocationEndsARetryWaitAtOnce() throws Exception {
        LifecycleEngine e = builder()
                .retryPolicy("relay", RetryPolicy.builder().maxRetries(3).delay(Duration.ofSeconds(20)).build()).build();
        e.setup();
        relay.failNext = new IllegalStateException("not yet");
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.setupCalls.get() == 1
                && events.lifecycle.stream().anyMatch(ev -> ev.kind() == dev.conductor.core.LifecycleEvent.Kind.SETUP_RETRYING));
        long t0 = System.nanoTime();
        election.revoke(ROLE);
        await().atMost(Duration.ofSeconds(5)).until(() -> followerDown(e));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(relay.setupCalls.get()).isEqualTo(1);
        assertThat(report.setupCalls.get()).isZero();
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void aGrantAfterShutdownOnTheOldCandidateSetsNothingUp() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        e.shutdown();
        // A grant that is taken reports GRANTED before it starts the role's task, on the granting thread: no
        // GRANTED event once grant() returned means no task was started, so there is nothing to wait for
        election.grant(ROLE, 5);
        election.revoke(ROLE);
        election.grant(ROLE, 6);
        assertThat(events.kinds(ROLE)).as("grants on the old candidate are ignored")
                .doesNotContain(LeadershipEvent.Kind.GRANTED);
        assertThat(relay.setupCalls.get() + report.setupCalls.get()).isZero();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        // a new setup joins afresh and a grant on the new candidate works
        e.setup();
        assertThat(election.joins(ROLE)).isEqualTo(2);
        election.grant(ROLE, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void apiYieldWhileTheRoleIsStoppingDoesNotShutDownTwice() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        report.shutdownGate = new CountDownLatch(1);
        election.revoke(ROLE);
        report.shutdownEntered.await();
        assertThat(e.yieldLeadership(ROLE)).as("revoked: not held").isFalse();
        report.shutdownGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> followerDown(e));
        assertThat(relay.shutdowns.get() + report.shutdowns.get()).isEqualTo(2);
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void standaloneGrantsAtOnceAndRegrantsAfterAYieldWithAGreaterToken() throws Exception {
        AtomicLong seen = new AtomicLong();
        LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE).leaderElection(LeaderElection.standalone())
                .build();
        e.setup();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        long first = e.leadership(ROLE).fencingToken();
        assertThat(first).isEqualTo(1);
        assertThat(e.yieldLeadership(ROLE)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.setups.get() == 2 && leaderActive(e));
        assertThat(e.leadership(ROLE).fencingToken()).isGreaterThan(first);
        e.shutdown();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    static final AtomicInteger helperSetups = new AtomicInteger();

    static class Helper implements Component {
        final Leadership leadership;
        volatile long token;

        Helper(Leadership leadership) {
            this.leadership = leadership;
        }

        @Override
        public void setup() {
            token = leadership.fencingToken();
            helperSetups.incrementAndGet();
        }
    }

    @LeaderOnly("jobs")
    static class Base implements Component {
    }

    static class Derived extends Base {
    }

    @Test
    @Timeout(30)
    void facadeBuilderLeaderOnlyAndInheritedAnnotation() throws Exception {
        Conductor c = Conductor.builder().leaderElection(election).leaderOnly(Helper.class, "cron").build();
        Helper h = c.add(Helper.class);
        c.add(Derived.class);
        c.setup();
        try {
            assertThat(c.report().leaderOnly()).containsValues("cron", "jobs");
            assertThat(h.token).isZero();
            election.grant("cron", 12);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.token == 12);
            assertThat(c.leadership("jobs").isLeader()).isFalse();
            assertThat(c.leadership("cron").isLeader()).isTrue();
        } finally {
            c.shutdown();
        }
        assertThat(election.closes("cron")).isEqualTo(1);
        assertThat(election.closes("jobs")).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void aRevocationDuringSetupIsNotAFailureNoYieldNoBackoff() throws Exception {
        ManualDelays delays = new ManualDelays(); // a backoff would wait here for good: none must be asked for
        LifecycleEngine e = builder().delays(delays).build();
        e.setup();
        relay.setupGate = new CountDownLatch(1);
        election.grant(ROLE, 1);
        relay.setupEntered.await();
        election.revoke(ROLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> followerDown(e) && relay.interrupted.get() == 1);
        assertThat(election.yields(ROLE)).as("a revocation is not a yield").isZero();
        relay.setupGate = null;
        relay.setupEntered = new CountDownLatch(1);
        election.grant(ROLE, 2);
        relay.setupEntered.await();
        assertThat(delays.asked).as("no failure backoff after a revocation").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void stateIsStoppingWhileARevokedSetupRollsBack() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        try {
            report.setupGate = new CountDownLatch(1);
            relay.shutdownGate = new CountDownLatch(1);
            election.grant(ROLE, 1);
            report.setupEntered.await();
            election.revoke(ROLE);
            relay.shutdownEntered.await();   // the rollback is shutting relay down
            assertThat(e.state("relay")).isEqualTo(dev.conductor.core.ComponentState.SHUTTING_DOWN);
            assertThat(e.leadership(ROLE).status().state()).as("relay is still being shut down")
                    .isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
            e.shutdown();
        }
    }

    @Test
    @Timeout(30)
    void stateIsStoppingWhileARevokedActiveRoleShutsDown() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        try {
            election.grant(ROLE, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
            relay.shutdownGate = new CountDownLatch(1);
            election.revoke(ROLE);
            relay.shutdownEntered.await();
            assertThat(e.leadership(ROLE).status().state()).isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
            e.shutdown();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"revoke", "yield", "staleGrant", "none"})
    @Timeout(30)
    void stateStaysStoppingWhileTheRoleStillShutsDownWhateverArrives(String what) throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        try {
            election.grant(ROLE, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
            relay.shutdownGate = new CountDownLatch(1);
            election.revoke(ROLE);
            relay.shutdownEntered.await();
            switch (what) {
                case "revoke" -> election.revoke(ROLE);
                case "yield" -> e.yieldLeadership(ROLE);
                case "staleGrant" -> election.grant(ROLE, 3);
                default -> { }
            }
            assertThat(e.state("relay")).isEqualTo(dev.conductor.core.ComponentState.SHUTTING_DOWN);
            assertThat(e.leadership(ROLE).status().state()).as(what + " while relay still shuts down")
                    .isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
            e.shutdown();
        }
    }

    @Test
    @Timeout(30)
    void aNewGrantWhileTheRoleStillShutsDownIsNotReportedAsFollower() throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        try {
            election.grant(ROLE, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
            relay.shutdownGate = new CountDownLatch(1);
            election.revoke(ROLE);
            relay.shutdownEntered.await();
            election.grant(ROLE, 6);
            assertThat(e.state("relay")).isEqualTo(dev.conductor.core.ComponentState.SHUTTING_DOWN);
            assertThat(e.leadership(ROLE).status().state()).as("relay still shuts down: its components are not down")
                    .isNotEqualTo(Leadership.State.FOLLOWER);
        } finally {
            relay.shutdownGate.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(6);
        e.shutdown();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    @Timeout(30)
    void shutdownOfTheEngineIsNotReportedAsFollowerWhileTheRoleStillShutsDown(boolean duringRoleSetup) throws Exception {
        LifecycleEngine e = builder().build();
        e.setup();
        Thread stopper = new Thread(e::shutdown);
        try {
            if (duringRoleSetup) {
                report.setupGate = new CountDownLatch(1);
            }
            election.grant(ROLE, 5);
            if (duringRoleSetup) {
                report.setupEntered.await();
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
            }
            relay.shutdownGate = new CountDownLatch(1);
            stopper.start();
            relay.shutdownEntered.await();
            assertThat(e.state("relay")).isEqualTo(dev.conductor.core.ComponentState.SHUTTING_DOWN);
            assertThat(e.leadership(ROLE).status().state()).as("relay still shuts down")
                    .isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
            stopper.join();
        }
    }
}
