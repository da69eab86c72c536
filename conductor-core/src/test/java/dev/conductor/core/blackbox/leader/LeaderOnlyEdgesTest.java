package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraphException;
import dev.conductor.core.Conductor;
import dev.conductor.core.LeaderOnly;
import dev.conductor.core.Leadership;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.Events;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Grants during other operations, SPI failures, validation, the facade. */
class LeaderOnlyEdgesTest {

    static final String ROLE = "outbox";

    final Log log = new Log();
    final ManualElection election = new ManualElection(log);
    final Events events = new Events(log);
    final Part db = new Part("db", log);
    final Part web = new Part("web", log).dependsOn(db);
    final Part relay = new Part("relay", log).dependsOn(db);
    final Part report = new Part("report", log).dependsOn(relay);

    LifecycleEngine engine() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE)
                .leaderElection(election).listener(events).shutdownTimeout(Duration.ofSeconds(5)).build();
    }

    boolean leaderActive(LifecycleEngine e) {
        return relay.active && report.active && e.leadership(ROLE).status().state() == Leadership.State.LEADER;
    }

    @Test
    @Timeout(30)
    void grantFromInsideJoinDuringTheWholeSetup() {
        election.grantInsideJoin = 1;
        LifecycleEngine e = engine();
        e.setup();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(1);
        e.shutdown();
        assertThat(List.of(db, web, relay, report)).allMatch(p -> !p.active && p.shutdowns.get() == 1);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void grantFromAnotherThreadRightAfterJoinWhileSetupStillRuns() throws Exception {
        LifecycleEngine e = engine();
        Thread granter = new Thread(() -> {
            try {
                election.joined.await();
                election.grant(ROLE, 2);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        granter.start();
        e.setup();
        granter.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.shutdown();
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void grantDuringARestartOfAnOrdinaryDependency() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        db.setupGate = new CountDownLatch(1);
        db.setupEntered = new CountDownLatch(1);
        Thread restarter = new Thread(() -> e.restart("db"));
        restarter.start();
        db.setupEntered.await();
        election.grant(ROLE, 1);          // db is down: the role must wait for it
        Thread.yield();
        assertThat(relay.active).isFalse();
        db.setupGate.countDown();
        restarter.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(report.setups.get()).isEqualTo(1);
        assertThat(web.setups.get()).isEqualTo(2);
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void revokeDuringARestartOfAnOrdinaryDependency() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        db.setupGate = new CountDownLatch(1);
        db.setupEntered = new CountDownLatch(1);
        Thread restarter = new Thread(() -> {
            try {
                e.restart("db");
            } catch (RuntimeException ignored) {
                // either outcome; the invariants below count
            }
        });
        restarter.start();
        db.setupEntered.await();
        election.revoke(ROLE);
        db.setupGate.countDown();
        restarter.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.active && !report.active
                && e.leadership(ROLE).status().state() == Leadership.State.FOLLOWER);
        assertThat(db.active && web.active).isTrue();
        assertThat(relay.setups.get() - relay.shutdowns.get()).isZero();
        assertThat(report.setups.get() - report.shutdowns.get()).isZero();
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void grantDuringShutdownSetsNothingUp() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        web.shutdownGate = new CountDownLatch(1);
        Thread stopper = new Thread(e::shutdown);
        stopper.start();
        web.shutdownEntered.await();
        // the election is left already (the roles go first); a late grant on the old candidate must not set anything
        // up. A grant that is taken reports GRANTED before it starts the role's task, on the granting thread: no
        // GRANTED event once grant() returned means no task was started, so there is nothing to wait for
        election.grant(ROLE, 1);
        assertThat(events.kinds(ROLE)).as("the late grant is ignored").doesNotContain(LeadershipEvent.Kind.GRANTED);
        web.shutdownGate.countDown();
        stopper.join();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(relay.setups.get()).isEqualTo(relay.shutdowns.get());
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void revokeDuringGracefulShutdownWhileTheRoleStops() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        report.shutdownGate = new CountDownLatch(1);
        Thread stopper = new Thread(e::shutdown);
        stopper.start();
        report.shutdownEntered.await();
        election.revoke(ROLE);
        election.grant(ROLE, 2);
        report.shutdownGate.countDown();
        stopper.join();
        await().atMost(Duration.ofSeconds(5)).until(() -> List.of(db, web, relay, report).stream().noneMatch(p -> p.active));
        assertThat(relay.setups.get()).isEqualTo(1);
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(report.shutdowns.get()).isEqualTo(1);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void revokeAndGrantAgainWhileTheRoleIsStillStopping() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        relay.shutdownGate = new CountDownLatch(1);
        election.revoke(ROLE);
        relay.shutdownEntered.await();
        election.grant(ROLE, 2);
        relay.shutdownGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(2);
        assertThat(relay.setups.get()).isEqualTo(2);
        assertThat(relay.shutdowns.get()).isEqualTo(1);
        assertThat(report.setups.get()).isEqualTo(2);
        assertThat(db.setups.get() + web.setups.get()).isEqualTo(2);
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void joinThatThrowsFailsTheSetupAndLeavesNothingActive() {
        election.joinFailure = new IllegalStateException("backend misconfigured");
        LifecycleEngine e = engine();
        Throwable t = catchThrowable(e::setup);
        assertThat(t).isNotNull();
        assertThat(e.isActive()).isFalse();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(db.shutdowns.get()).isEqualTo(1);
        assertThat(relay.setupCalls.get()).isZero();
        assertThat(log.violations).isEmpty();
        // a later setup works once the backend does
        election.joinFailure = null;
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.shutdown();
    }

    @Test
    @Timeout(30)
    void yieldThatThrowsStillShutsTheRoleDownAndStaysACandidate() throws Exception {
        election.yieldFailure = new IllegalStateException("yield failed");
        LifecycleEngine e = engine();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.yieldLeadership(ROLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1 && !relay.active && !report.active);
        assertThat(db.active && web.active).isTrue();
        election.grant(ROLE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        e.shutdown();
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(30)
    void closeThatThrowsStillShutsEverythingDown() throws Exception {
        election.closeFailure = new IllegalStateException("close failed");
        LifecycleEngine e = engine();
        e.setup();
        election.grant(ROLE, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderActive(e));
        catchThrowable(e::shutdown);
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(List.of(db, web, relay, report)).allMatch(p -> !p.active && p.shutdowns.get() == 1);
        assertThat(log.violations).isEmpty();
        // and the engine can run again
        election.closeFailure = null;
        e.setup();
        assertThat(db.active).isTrue();
        e.shutdown();
    }

    @Test
    @Timeout(30)
    void ordinaryComponentDependingOnALeaderOnlyOneIsRefusedNamingBoth() {
        Part bad = new Part("auditor", log).dependsOn(relay);
        Throwable t = catchThrowable(() -> {
            LifecycleEngine e = LifecycleEngine.builder(Kit.graph(db, relay, bad)).leaderOnly("relay", ROLE)
                    .leaderElection(election).build();
            e.setup();
        });
        assertThat(t).isInstanceOf(ComponentGraphException.class);
        assertThat(t.getMessage()).contains("auditor").contains("relay").contains(ROLE);
        assertThat(db.setupCalls.get() + relay.setupCalls.get() + bad.setupCalls.get()).isZero();
        assertThat(election.joins(ROLE)).isZero();
    }

    @Test
    @Timeout(30)
    void transitiveDependentMustAlsoBeMarked() {
        Part mid = new Part("mid", log).dependsOn(relay);
        Part top = new Part("top", log).dependsOn(mid);
        Throwable t = catchThrowable(() -> LifecycleEngine.builder(Kit.graph(db, relay, mid, top))
                .leaderOnly("relay", ROLE).leaderOnly("mid", ROLE).leaderElection(election).build().setup());
        assertThat(t).isInstanceOf(ComponentGraphException.class);
        assertThat(t.getMessage()).contains("top").contains("mid");
        assertThat(db.setupCalls.get()).isZero();
    }

    @Test
    @Timeout(30)
    void leaderOnlyWithoutAnElectionIsRefusedBeforeAnythingRuns() {
        Throwable t = catchThrowable(() -> LifecycleEngine.builder(Kit.graph(db, relay)).leaderOnly("relay", ROLE)
                .build().setup());
        assertThat(t).isNotNull();
        assertThat(db.setupCalls.get() + relay.setupCalls.get()).isZero();
    }

    @Test
    @Timeout(30)
    void facadeRefusesAnOrdinaryComponentOnALeaderOnlyOneNamingBoth() {
        Conductor c = Conductor.builder().leaderElection(election).build();
        c.add(Auditor.class);
        Throwable t = catchThrowable(c::setup);
        assertThat(t).isInstanceOf(ComponentGraphException.class);
        assertThat(t.getMessage()).contains("Auditor").contains("Relay").contains(ROLE);
        assertThat(Store.setups).hasValue(0);
    }

    @Test
    @Timeout(30)
    void facadeLeaderOnlyWithoutElectionIsRefused() {
        Conductor c = new Conductor();
        Throwable t = catchThrowable(() -> {
            c.add(Relay.class);
            c.setup();
        });
        assertThat(t).isInstanceOf(ComponentGraphException.class);
        assertThat(t.getMessage()).contains("Relay").contains(ROLE).contains("leaderElection");
    }

    @Test
    @Timeout(30)
    void facadeInjectsTheRolesLeadershipWithTheGrantedToken() throws Exception {
        Conductor c = Conductor.builder().leaderElection(election).build();
        Relay r = c.add(Relay.class);
        c.setup();
        try {
            assertThat(r.leadership).isSameAs(c.leadership(ROLE));
            assertThat(r.setupToken.get()).isNull();
            election.grant(ROLE, 41);
            await().atMost(Duration.ofSeconds(10)).until(() -> r.setupToken.get() != null);
            assertThat(r.setupToken.get()).isEqualTo(41L);
            assertThat(c.leadership(ROLE).fencingToken()).isEqualTo(41);
            election.revoke(ROLE);
            await().atMost(Duration.ofSeconds(10)).until(() -> !c.leadership(ROLE).isLeader()
                    && c.leadership(ROLE).status().state() == Leadership.State.FOLLOWER);
            election.grant(ROLE, 57);
            await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(57).equals(r.setupToken.get()));
            assertThat(c.yieldLeadership(ROLE)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == 1);
            assertThatThrownBy(() -> c.leadership("other")).isInstanceOf(IllegalArgumentException.class);
        } finally {
            c.shutdown();
        }
    }

    static final class Store implements Component {
        static final AtomicReference<Integer> setups = new AtomicReference<>(0);

        @Override
        public void setup() {
            setups.updateAndGet(n -> n + 1);
        }
    }

    @LeaderOnly(ROLE)
    static final class Relay implements Component {
        final Store store;
        final Leadership leadership;
        final AtomicReference<Long> setupToken = new AtomicReference<>();

        Relay(Store store, Leadership leadership) {
            this.store = store;
            this.leadership = leadership;
        }

        @Override
        public void setup() {
            setupToken.set(leadership.fencingToken());
        }
    }

    static final class Auditor implements Component {
        final Relay relay;

        Auditor(Relay relay) {
            this.relay = relay;
        }
    }
}
