package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.spring.test.PatchComponent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application with {@link MessageQueue} patched by {@link InMemoryMessageQueue}: no broker starts, and
 * {@link WebApi} and {@link BackgroundWorkers} receive the in-memory queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "orders.processing-time=5ms")
@AutoConfigureTestRestTemplate
@PatchComponent(target = MessageQueue.class, with = InMemoryMessageQueue.class)
@DirtiesContext
class PatchedMessageQueueTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orders.data-dir", () -> dataDir.toString());
    }

    @Autowired
    TestRestTemplate rest;

    @Autowired
    MessageQueue queue;

    @Test
    void ordersFlowThroughTheInMemoryQueue() {
        assertThat(queue).isInstanceOf(InMemoryMessageQueue.class);
        assertThat(((InMemoryMessageQueue) queue).isActive()).isTrue();
        // The real broker never started: it would have created its journal here
        assertThat(dataDir.resolve("broker")).doesNotExist();

        ResponseEntity<Order> submitted = rest.postForEntity("/orders", new OrderRequest("widget", 2), Order.class);
        assertThat(submitted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        String location = submitted.getHeaders().getLocation().toString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Order order = rest.getForObject(location, Order.class);
            assertThat(order.status()).isEqualTo(OrderStatus.PROCESSED);
            assertThat(order.processingCount()).isEqualTo(1);
        });
        assertThat(((InMemoryMessageQueue) queue).sent()).isEqualTo(1);
    }
}
