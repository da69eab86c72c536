package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;

class ArtemisMessageQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    /**
     * A setup cancelled while the broker starts (a SIGTERM during a supervised restart) leaves no ERROR in the log
     * (Artemis logs one when an interrupt closes a journal file under it, and another when its stop is cut short),
     * no broker running, and the journal free for the next setup, with what it held.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aSetupCancelledWhileTheBrokerStartsLogsNoErrorAndFreesTheJournal(CapturedOutput output) throws Exception {
        ArtemisMessageQueue first = new ArtemisMessageQueue(dataDir);
        first.setup();
        first.send("o-9");
        first.shutdown();

        ArtemisMessageQueue cancelled = new ArtemisMessageQueue(dataDir);
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread setup = new Thread(() -> {
            try {
                cancelled.setup();
                outcome.set("set up");
            }
            catch (InterruptedException ex) {
                outcome.set("interrupted");
            }
            catch (Exception ex) {
                outcome.set(ex.toString());
            }
        }, "cancelled-setup");
        setup.start();
        // cancel it while the broker is starting, on whichever thread the start runs
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> Thread
                .getAllStackTraces().values().stream().flatMap(java.util.Arrays::stream)
                .anyMatch(frame -> frame.getClassName().endsWith("ActiveMQServerImpl")
                        && frame.getMethodName().equals("internalStart")) || outcome.get() != null);
        setup.interrupt();
        setup.join(60_000);
        assertThat(setup.isAlive()).isFalse();
        if ("set up".equals(outcome.get())) {
            cancelled.shutdown(); // the start had ended before the interrupt: an ordinary setup
        }
        else {
            assertThat(outcome.get()).isEqualTo("interrupted");
        }

        assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("AMQ224000").doesNotContain("AMQ224068");
        ArtemisMessageQueue next = new ArtemisMessageQueue(dataDir);
        next.setup();
        try (QueueReceiver receiver = next.openReceiver()) {
            List<String> received = new ArrayList<>();
            assertThat(receiver.receive(WAIT, received::add)).isTrue();
            assertThat(received).containsExactly("o-9");
        }
        finally {
            next.shutdown();
        }
    }

    @Test
    void deliversWhatWasSent() throws Exception {
        ArtemisMessageQueue queue = new ArtemisMessageQueue(dataDir);
        queue.setup();
        try (QueueReceiver receiver = queue.openReceiver()) {
            queue.send("o-1");
            List<String> received = new ArrayList<>();
            assertThat(receiver.receive(WAIT, received::add)).isTrue();
            assertThat(received).containsExactly("o-1");
            assertThat(receiver.receive(Duration.ofMillis(50), received::add)).isFalse();
        }
        finally {
            queue.shutdown();
        }
    }

    @Test
    void aMessageWhoseHandlerThrowsIsDeliveredAgain() throws Exception {
        ArtemisMessageQueue queue = new ArtemisMessageQueue(dataDir);
        queue.setup();
        try (QueueReceiver receiver = queue.openReceiver()) {
            queue.send("o-2");
            assertThatRuntimeException().isThrownBy(() -> receiver.receive(WAIT, id -> {
                throw new IllegalStateException("boom");
            }));
            // The broker pauses before a redelivery; receive waits it out
            List<String> received = new ArrayList<>();
            assertThat(receiver.receive(WAIT, received::add)).isTrue();
            assertThat(received).containsExactly("o-2");
        }
        finally {
            queue.shutdown();
        }
    }

    @Test
    void messagesNotAcknowledgedSurviveARestartInTheJournal() throws Exception {
        ArtemisMessageQueue first = new ArtemisMessageQueue(dataDir);
        first.setup();
        first.send("o-3");
        first.send("o-4");
        QueueReceiver inHand = first.openReceiver();
        // Taken but never acknowledged: the receiver closes with the broker
        assertThatRuntimeException().isThrownBy(() -> inHand.receive(WAIT, id -> {
            throw new IllegalStateException("stopped mid-flow");
        }));
        first.shutdown();

        ArtemisMessageQueue second = new ArtemisMessageQueue(dataDir);
        second.setup();
        try (QueueReceiver receiver = second.openReceiver()) {
            assertThat(second.pending()).isEqualTo(2);
            List<String> received = new ArrayList<>();
            assertThat(receiver.receive(WAIT, received::add)).isTrue();
            assertThat(receiver.receive(WAIT, received::add)).isTrue();
            assertThat(received).containsExactlyInAnyOrder("o-3", "o-4");
        }
        finally {
            second.shutdown();
        }
    }

    @Test
    void sendingBeforeSetupFails() {
        assertThatIllegalStateException().isThrownBy(() -> new ArtemisMessageQueue(dataDir).send("x"))
                .withMessageContaining("not set up");
    }
}
