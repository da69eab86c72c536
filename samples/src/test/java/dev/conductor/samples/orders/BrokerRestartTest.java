package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.test.ConductorFaults;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The supervised broker fails while orders flow: its supervision restarts it with its dependents (the web API and
 * the workers), the database is left alone, submissions during the restart get 503 and succeed afterwards, and
 * every accepted order is processed exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "orders.processing-time=5ms")
@AutoConfigureTestRestTemplate
@DirtiesContext
class BrokerRestartTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orders.data-dir", () -> dataDir.toString());
    }

    @TestConfiguration
    static class Recording {

        @Bean
        Events events() {
            return new Events();
        }
    }

    /** Every transition, as the engine reports it. */
    static final class Events implements LifecycleListener {

        final List<LifecycleEvent> all = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(LifecycleEvent event) {
            all.add(event);
        }

        List<String> of(String component, int from) {
            List<String> kinds = new ArrayList<>();
            for (LifecycleEvent event : all.subList(from, all.size())) {
                if (event.component().equals(component)) {
                    kinds.add(event.kind().name());
                }
            }
            return kinds;
        }
    }

    @Autowired
    TestRestTemplate rest;

    @Autowired
    ConductorFaults faults;

    @Autowired
    Events events;

    private ResponseEntity<Map> submit(int n) {
        return rest.postForEntity("/orders", Map.of("item", "item-" + n, "quantity", 1), Map.class);
    }

    @Test
    void aBrokerFailureRestartsItsDependentsAndNoOrderIsLostOrProcessedTwice() {
        List<String> accepted = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            ResponseEntity<Map> response = submit(n);
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
            accepted.add((String) response.getBody().get("id"));
        }
        int before = events.all.size();
        // the broker's restart takes a while, so that submissions meet the closed intake
        faults.slowSetup(MessageQueue.class, Duration.ofSeconds(2));
        faults.failWhileRunning(MessageQueue.class, new IOException("broker connection lost"));

        int[] n = {10};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ResponseEntity<Map> response = submit(n[0]++);
            if (response.getStatusCode() == HttpStatus.ACCEPTED) {
                accepted.add((String) response.getBody().get("id"));
                return false;
            }
            return response.getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE;
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ResponseEntity<Map> response = submit(n[0]++);
            if (response.getStatusCode() == HttpStatus.ACCEPTED) {
                accepted.add((String) response.getBody().get("id"));
                return true;
            }
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            return false;
        });

        assertThat(events.of("messageQueue", before)).containsSubsequence("RUNTIME_FAILURE", "RESTART_REQUESTED",
                "SHUTDOWN_FINISHED", "RESTART_SHUT_DOWN", "SETUP_FINISHED", "RESTART_FINISHED");
        for (String dependent : List.of("webApi", "backgroundWorkers")) {
            assertThat(events.of(dependent, before)).as(dependent).containsSubsequence("SHUTDOWN_STARTED",
                    "SHUTDOWN_FINISHED", "SETUP_STARTED", "SETUP_FINISHED");
        }
        assertThat(events.of("database", before)).isEmpty();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : accepted) {
                Map<?, ?> order = rest.getForObject("/orders/" + id, Map.class);
                assertThat(order.get("status")).as(id).isEqualTo("PROCESSED");
                assertThat(order.get("processingCount")).as(id).isEqualTo(1);
            }
        });
    }
}
