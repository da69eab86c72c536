package dev.conductor.core.blackbox.leader;

import dev.conductor.core.ComponentGraphException;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.Leadership;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEngine;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class LeaderOnlyJoinAndDeadlineTest {

    final Log log = new Log();
    final Part db = new Part("db", log);
    final Part a = new Part("a", log).dependsOn(db);
    final Part b = new Part("b", log).dependsOn(db);

    @Test
    @Timeout(30)
    void aJoinFailingForOneRoleLeavesNoOtherRoleJoined() throws Exception {
        ManualElection inner = new ManualElection(log);
        LeaderElection election = (role, candidate) -> {
            if (role.equals("beta")) {
                inner.joins.computeIfAbsent(role, r -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                throw new IllegalStateException("no backend for beta");
            }
            return inner.join(role, candidate);
        };
        Events events = new Events(log);
        CountingExecutor executor = new CountingExecutor();
        LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, a, b)).leaderOnly("a", "alpha")
                .leaderOnly("b", "beta").leaderElection(election).listener(events).executor(executor).build();
        Throwable t = catchThrowable(e::setup);
        assertThat(t).isNotNull();
        assertThat(e.isActive()).isFalse();
        assertThat(db.active).isFalse();
        if (inner.joins("alpha") > 0) {
            assertThat(inner.closes("alpha")).as("alpha's participation left after the failed setup").isEqualTo(1);
            inner.grant("alpha", 1);   // a grant to the abandoned candidate sets nothing up
            // A grant that is taken reports GRANTED and hands the role's task to the executor before grant()
            // returns: no GRANTED event means it was ignored, and once the executor is quiet whatever the grant
            // might have set going has ended
            assertThat(events.kinds("alpha")).doesNotContain(LeadershipEvent.Kind.GRANTED);
            await().atMost(Duration.ofSeconds(10)).until(executor::quiet);
            assertThat(a.setupCalls.get()).isZero();
        }
        assertThat(List.of(db, a, b)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void grantAndRevokeFromInsideJoinLeaveAFollower() throws Exception {
        ManualElection inner = new ManualElection(log);
        LeaderElection election = (role, candidate) -> {
            LeaderElection.Participation p = inner.join(role, candidate);
            candidate.granted(1);
            candidate.revoked();
            return p;
        };
        LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, a)).leaderOnly("a", "alpha")
                .leaderElection(election).build();
        e.setup();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.active
                && e.leadership("alpha").status().state() == Leadership.State.FOLLOWER);
        assertThat(a.setups.get()).isEqualTo(a.shutdowns.get());
        inner.grant("alpha", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.active && e.leadership("alpha").isLeader());
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void theSetupDeadlineBoundsAHangingRoleButNotALaterGrant() throws Exception {
        ManualElection election = new ManualElection(log);
        ManualDelays delays = new ManualDelays();
        LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, a)).leaderOnly("a", "alpha")
                .leaderElection(election).setupDeadline(Duration.ofMillis(800)).delays(delays).build();
        e.setup();
        try {
            // a hanging role is given up, bounded by the deadline rather than the one-minute setup timeout
            CountDownLatch hanging = new CountDownLatch(1);
            a.setupGate = hanging;
            election.grant("alpha", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> election.yields("alpha") == 1);
            assertThat(a.interrupted.get()).isEqualTo(1);
            assertThat(db.active).isTrue();
            // that deadline ran from the grant, after setup() had returned, so the whole setup's deadline has
            // passed too: after both, a quick role still sets up (once the backoff after the failure is over)
            a.setupGate = null;
            hanging.countDown();
            election.grant("alpha", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> delays.waiting() == 1);
            delays.passAll();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.active && e.leadership("alpha").isLeader());
            assertThat(election.yields("alpha")).isOne();
            election.revoke("alpha");
            await().atMost(Duration.ofSeconds(10)).until(() -> !a.active);
        } finally {
            e.shutdown();
        }
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void theRefusalNamesBothComponents() {
        ManualElection election = new ManualElection(log);
        Part auditor = new Part("auditor", log).dependsOn(a);
        Throwable t = catchThrowable(() -> LifecycleEngine.builder(Kit.graph(db, a, auditor)).leaderOnly("a", "alpha")
                .leaderElection(election).build().setup());
        assertThat(t).isInstanceOf(ComponentGraphException.class);
        assertThat(((ComponentGraphException) t).getComponents()).contains("auditor", "a");
        assertThat(t.getMessage()).contains("'auditor'").contains("'a'").contains("'alpha'")
                .contains("leader-only");
        assertThat(db.setupCalls.get()).isZero();
    }
}
