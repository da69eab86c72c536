package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cancelled setup interrupts the threads still running setups of its components, and only those: a component
 * whose setup returned meanwhile, and whose shutdown (a rollback's) now runs on another thread, is not
 * interrupted in its shutdown. The cancellation looks at the component's state and then interrupts its bound
 * thread; holding the component's record lock in between lets the component move on, as it rarely does under load
 * (LeaderOnlyRacesTest saw a leader-only component left active on JDK 25: its rollback's shutdown was interrupted).
 */
@Timeout(30)
class CancellationInterruptTest {

    @Test
    void aCancellationDoesNotInterruptTheShutdownThatFollowedASetupThatHadReturned() throws Exception {
        ComponentGraph graph = ComponentGraph.builder().add("mailer", new Component() { }).build();
        Lifecycle lifecycle = new Lifecycle(this, graph, Duration.ofMinutes(1), Duration.ofMinutes(1), List.of(), null,
                Retries.NONE);
        SetupPhase setup = new SetupPhase(lifecycle, Runnable::run);
        ComponentRecord mailer = lifecycle.records[0];
        assertThat(mailer.transition(ComponentState.NEW, ComponentState.SETTING_UP)).isTrue();
        mailer.bind(Thread.currentThread(), ComponentState.SETTING_UP); // this thread runs mailer's setup

        CountDownLatch shutdownRuns = new CountDownLatch(1);
        CountDownLatch shutdownMayEnd = new CountDownLatch(1);
        AtomicBoolean shutdownInterrupted = new AtomicBoolean();
        Thread rollback = new Thread(() -> {
            shutdownRuns.countDown();
            try {
                shutdownMayEnd.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                shutdownInterrupted.set(true);
            }
        }, "rollback-worker");

        Thread canceller = new Thread(setup::cancel, "canceller");
        synchronized (mailer) {
            canceller.start();
            // the canceller has seen mailer SETTING_UP and waits for the record to interrupt its thread
            await().atMost(Duration.ofSeconds(10)).until(() -> canceller.getState() == Thread.State.BLOCKED);
            // meanwhile mailer's setup returns, and a rollback's worker starts its shutdown
            mailer.unbind();
            assertThat(mailer.transition(ComponentState.SETTING_UP, ComponentState.ACTIVE)).isTrue();
            assertThat(mailer.transition(ComponentState.ACTIVE, ComponentState.SHUTTING_DOWN)).isTrue();
            rollback.start();
            shutdownRuns.await();
            mailer.bind(rollback, ComponentState.SHUTTING_DOWN);
        }
        canceller.join();
        shutdownMayEnd.countDown();
        rollback.join();
        assertThat(Thread.interrupted()).as("the setup had returned: nothing to interrupt here either").isFalse();
        assertThat(shutdownInterrupted).as("the rollback's shutdown of mailer was interrupted by the setup's"
                + " cancellation").isFalse();
    }
}
