package dev.conductor.core.blackbox.leader;

import dev.conductor.core.ComponentState;
import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leadership status against the role's components, at the moments the races of LeaderOnlyRacesTest and
 * LeaderOnlyExtraTest only hit now and then, held open with latches: FOLLOWER only once every component of the role
 * is down, STOPPING while any of them shuts down (a rollback too), and never STARTING again once the whole shutdown
 * has begun.
 */
class LeaderOnlyStatusOrderTest {

    static final String ROLE = "outbox";

    final Log log = new Log();
    final ManualElection election = new ManualElection(log);
    final Part db = new Part("db", log);
    final Part web = new Part("web", log).dependsOn(db);
    final Part relay = new Part("relay", log).dependsOn(db);
    final Part report = new Part("report", log).dependsOn(relay);

    LifecycleEngine engine() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE)
                .leaderElection(election).shutdownTimeout(Duration.ofSeconds(5)).build();
    }

    Leadership.State state(LifecycleEngine e) {
        return e.leadership(ROLE).status().state();
    }

    /** Grants the role with relay's shutdown held, and waits until the rollback of its setup is shutting relay down. */
    void rollingBack(LifecycleEngine e, String cause) throws InterruptedException {
        relay.shutdownGate = new CountDownLatch(1);
        if (cause.equals("failed")) {
            report.failNext = new IllegalStateException("report cannot start");
            election.grant(ROLE, 1);
        } else {
            report.setupGate = new CountDownLatch(1);
            election.grant(ROLE, 1);
            report.setupEntered.await();
            election.revoke(ROLE); // interrupts report's setup: the setup rolls back
        }
        relay.shutdownEntered.await();
        assertThat(e.state("relay")).isEqualTo(ComponentState.SHUTTING_DOWN);
    }

    void awaitDownAndFollower(LifecycleEngine e) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.active && !report.active
                && state(e) == Leadership.State.FOLLOWER);
    }

    @Test
    @Timeout(30)
    void theRollbackOfARoleSetupThatFailedIsStopping() throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        try {
            rollingBack(e, "failed");
            assertThat(state(e)).as("relay is being shut down: the setup failed and the role is given up")
                    .isEqualTo(Leadership.State.STOPPING);
            assertThat(e.leadership(ROLE).isLeader()).isFalse();
        } finally {
            relay.shutdownGate.countDown();
        }
        awaitDownAndFollower(e);
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @ParameterizedTest(name = "{0} while a setup that {1} rolls back")
    @org.junit.jupiter.params.provider.CsvSource({
            "revoke, failed", "yield, failed", "grant and revoke, failed", "grant and yield, failed",
            "grant and revoke, was revoked", "grant and yield, was revoked"})
    @Timeout(30)
    void whatArrivesDuringARollbackNeverMakesTheStatusFollowerWhileAComponentShutsDown(String what, String cause)
            throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        try {
            rollingBack(e, cause);
            if (what.startsWith("grant")) {
                election.grant(ROLE, 2);
            }
            if (what.endsWith("revoke")) {
                election.revoke(ROLE);
            } else {
                e.yieldLeadership(ROLE);
            }
            assertThat(e.state("relay")).isEqualTo(ComponentState.SHUTTING_DOWN);
            assertThat(relay.active).isTrue();
            assertThat(state(e)).as("relay still shuts down").isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
        }
        awaitDownAndFollower(e);
        e.shutdown();
        assertThat(log.violations).isEmpty();
    }

    @ParameterizedTest(name = "the setup {0}")
    @ValueSource(strings = {"failed", "was cancelled by the shutdown"})
    @Timeout(30)
    void whileTheWholeShutdownWaitsForARollbackTheStatusIsStoppingWhateverArrives(String cause) throws Exception {
        LifecycleEngine e = engine();
        e.setup();
        Thread stopper = new Thread(e::shutdown, "stopper");
        try {
            if (cause.equals("failed")) {
                rollingBack(e, "failed");
                stopper.start();
            } else {
                report.setupGate = new CountDownLatch(1);
                relay.shutdownGate = new CountDownLatch(1);
                election.grant(ROLE, 1);
                report.setupEntered.await();
                stopper.start(); // cancels report's setup: the setup rolls back
                relay.shutdownEntered.await();
            }
            // the shutdown has cancelled what it could and waits for the rollback, which holds the lifecycle
            await().atMost(Duration.ofSeconds(10)).until(() -> waitsForTheLifecycleLock(stopper));
            assertThat(state(e)).as("relay is being shut down").isEqualTo(Leadership.State.STOPPING);
            election.grant(ROLE, 2);
            assertThat(state(e)).as("a grant while the shutdown is under way").isEqualTo(Leadership.State.STOPPING);
            assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(2);
            election.revoke(ROLE);
            assertThat(e.state("relay")).isEqualTo(ComponentState.SHUTTING_DOWN);
            assertThat(state(e)).as("revoked while relay still shuts down").isEqualTo(Leadership.State.STOPPING);
        } finally {
            relay.shutdownGate.countDown();
            stopper.join();
        }
        assertThat(List.of(db, web, relay, report)).noneMatch(p -> p.active);
        assertThat(state(e)).isEqualTo(Leadership.State.FOLLOWER);
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(log.violations).isEmpty();
    }

    /** Parked in the engine's lifecycle lock: shutdown() has cancelled the setups and waits for the lock. */
    static boolean waitsForTheLifecycleLock(Thread thread) {
        return thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("dev.conductor.core.LifecycleEngine")
                        && f.getMethodName().equals("shutDownAll"));
    }
}
