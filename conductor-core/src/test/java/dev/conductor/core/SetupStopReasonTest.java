package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A setup that a cancellation stopped is described as cancelled by whoever sees it stopped, however soon. The
 * thread that waits for a setup may see it end the moment the canceller stopped it (its components in flight had
 * all returned), before the canceller goes on. The reason used to be written after the stop: a role's setup whose
 * revocation came at that moment was described as a failure with no failing component, SetupFailures threw an
 * IndexOutOfBoundsException on the role's task, and the task ended with the role still reconciling: never idle,
 * never set up again at a later grant. Found by LeadershipPropertiesTest's failed-restart property (seed 9700021 in
 * a JDK 25 CI run, under load).
 */
@Timeout(30)
class SetupStopReasonTest {

    @Test
    void aSetupCancelledJustAsItsLastComponentReturnsIsDescribedAsCancelled() throws Exception {
        CountDownLatch setupRuns = new CountDownLatch(1);
        CountDownLatch setupMayReturn = new CountDownLatch(1);
        ComponentGraph graph = ComponentGraph.builder().add("relay", new Component() {

            @Override
            public void setup() throws InterruptedException {
                setupRuns.countDown();
                assertThat(setupMayReturn.await(20, TimeUnit.SECONDS)).isTrue();
            }
        }).build();
        Lifecycle lifecycle = new Lifecycle(this, graph, Duration.ofMinutes(1), Duration.ofMinutes(1), List.of(), null,
                Retries.NONE);
        SetupPhase setup = new SetupPhase(lifecycle, task -> new Thread(task, "setup-worker").start());

        AtomicReference<Object> described = new AtomicReference<>();
        CountDownLatch seen = new CountDownLatch(1);
        Thread waiter = new Thread(() -> { // as the role's task does: run the setup, then describe how it ended
            try {
                setup.runToCompletion();
                described.set(setup.succeeded() ? "succeeded" : SetupFailures.describe(graph, setup, Map.of()));
            }
            catch (RuntimeException ex) {
                described.set(ex);
            }
            finally {
                seen.countDown();
            }
        }, "waiter");
        waiter.start();
        assertThat(setupRuns.await(10, TimeUnit.SECONDS)).isTrue();

        // the canceller has stopped the setup and goes no further until the waiter has seen it end
        setup.stopped = () -> {
            setupMayReturn.countDown();
            try {
                assertThat(seen.await(10, TimeUnit.SECONDS)).as("the waiter saw the setup end").isTrue();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
        CancellationException revoked = new CancellationException("role 'outbox' was revoked");
        setup.cancel(revoked);
        waiter.join();

        assertThat(described.get()).isInstanceOf(SetupCancelledException.class);
        assertThat(((Throwable) described.get()).getCause()).isSameAs(revoked);
    }
}
