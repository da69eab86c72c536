package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.spring.ConductorLeadership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application on a random port, with the real database and broker in a temporary data directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "orders.processing-time=10ms")
@AutoConfigureTestRestTemplate
// Closes the broker and the database before the temporary directory is deleted
@DirtiesContext
class OrderServiceApplicationTest {

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

    @Autowired
    Database database;

    @Autowired
    ConductorLeadership leaderships;

    @Test
    void ordersSubmittedOverHttpAreProcessed() {
        assertThat(queue).isInstanceOf(ArtemisMessageQueue.class);
        List<String> locations = IntStream.range(0, 5).mapToObj(i -> {
            ResponseEntity<Order> response = rest.postForEntity("/orders", new OrderRequest("widget-" + i, i + 1),
                    Order.class);
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
            assertThat(response.getBody().status()).isEqualTo(OrderStatus.SUBMITTED);
            return response.getHeaders().getLocation().toString();
        }).toList();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(locations).allSatisfy(location -> {
            Order order = rest.getForObject(location, Order.class);
            assertThat(order.status()).isEqualTo(OrderStatus.PROCESSED);
            assertThat(order.processingCount()).isEqualTo(1);
        }));
        assertThat(rest.getForObject("/orders", Order[].class)).hasSize(5);
        // One instance leads the outbox role at once (standalone election, token 1): its relay sends every event
        assertThat(leaderships.of("outbox").isLeader()).isTrue();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(database.jdbc()
                .sql("SELECT relayed_token FROM outbox WHERE relayed_at IS NOT NULL").query(Long.class).list())
                .hasSize(5).containsOnly(leaderships.of("outbox").fencingToken()));
    }

    @Test
    void invalidOrdersAndUnknownIdsAreClientErrors() {
        ResponseEntity<String> invalid = rest.postForEntity("/orders", Map.of("item", "widget"), String.class);
        assertThat(invalid.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(invalid.getBody()).contains("'quantity' is required and must be at least 1");
        assertThat(rest.getForEntity("/orders/no-such-order", String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aBodyThatIsNotJsonIs400AsAProblemDetailLikeTheOtherErrors() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> response = rest.postForEntity("/orders",
                new HttpEntity<>("{\"item\":\"widget\",\"quantity\":", headers), String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).contains("\"status\":400").contains("\"instance\":\"/orders\"");
    }

    @Test
    void theFaultInjectionEndpointsAreOffByDefault() {
        assertThat(rest.postForEntity("/chaos/messageQueue/fail", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }
}
