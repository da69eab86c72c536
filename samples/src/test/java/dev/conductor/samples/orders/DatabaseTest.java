package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class DatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void setupMigratesTheSchemaAndShutdownClosesThePool() throws Exception {
        Database database = new Database(dataDir);
        assertThatIllegalStateException().isThrownBy(database::jdbc).withMessageContaining("not set up");

        database.setup();
        OrderRepository orders = new OrderRepository(database);
        orders.insert(submitted("a"));
        assertThat(orders.find("a")).hasValueSatisfying(order -> assertThat(order.status()).isEqualTo(OrderStatus.SUBMITTED));
        database.shutdown();

        assertThatIllegalStateException().isThrownBy(database::jdbc);
        assertThat(dataDir.resolve("orders.mv.db")).isRegularFile();
    }

    @Test
    void ordersSurviveARestartOnTheSameDirectory() throws Exception {
        Database first = new Database(dataDir);
        first.setup();
        new OrderRepository(first).insert(submitted("kept"));
        first.shutdown();

        Database second = new Database(dataDir);
        second.setup();
        try {
            assertThat(new OrderRepository(second).find("kept")).isPresent();
        }
        finally {
            second.shutdown();
        }
    }

    @Test
    void markProcessedCountsOnceHoweverOftenItIsCalled() throws Exception {
        Database database = new Database(dataDir);
        database.setup();
        try {
            OrderRepository orders = new OrderRepository(database);
            orders.insert(submitted("b"));

            assertThat(orders.markProcessed("b", Instant.now())).isEqualTo(OrderRepository.Outcome.PROCESSED);
            assertThat(orders.markProcessed("b", Instant.now()))
                    .isEqualTo(OrderRepository.Outcome.ALREADY_PROCESSED);
            assertThat(orders.markProcessed("unknown", Instant.now()))
                    .isEqualTo(OrderRepository.Outcome.NO_SUCH_ORDER);

            Order order = orders.find("b").orElseThrow();
            assertThat(order.status()).isEqualTo(OrderStatus.PROCESSED);
            assertThat(order.processingCount()).isEqualTo(1);
            assertThat(order.processedAt()).isNotNull();
        }
        finally {
            database.shutdown();
        }
    }

    @Test
    void aMessageWithoutItsOrderIsLoggedAsAnErrorAndKeptNotTakenForARedelivery(CapturedOutput output)
            throws Exception {
        Database database = new Database(dataDir);
        database.setup();
        try {
            OrderRepository orders = new OrderRepository(database);
            OrderProcessor processor = new OrderProcessor(orders, Duration.ofMillis(1));
            orders.insert(submitted("c"));
            processor.process("c");
            processor.process("c");
            assertThat(output).contains("Processed order c")
                    .contains("Order c was already processed; acknowledging the redelivery");
            assertThat(orders.orphans()).isZero();

            processor.process("lost");
            assertThat(output).doesNotContain("Order lost was already processed")
                    .containsPattern("ERROR .*Order lost does not exist: its message is kept in table orphan_messages");
            assertThat(orders.orphans()).isOne();
            assertThat(orders.find("lost")).isEmpty();
        }
        finally {
            database.shutdown();
        }
    }

    private static Order submitted(String id) {
        return new Order(id, "widget", 1, OrderStatus.SUBMITTED, 0, Instant.now(), null);
    }
}
