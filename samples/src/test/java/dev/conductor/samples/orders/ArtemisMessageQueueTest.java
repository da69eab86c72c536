package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtemisMessageQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

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
