package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * Stops the application while the workers are mid-flow, starts a new one on the same data directory, and checks
 * that every order is processed exactly once: the ones in hand finish before the stop, the ones still queued
 * survive in the broker's journal, and a redelivery never processes an order twice.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartTest {

    private static final int ORDERS = 30;

    @TempDir
    Path dataDir;

    @Test
    void everyOrderIsProcessedExactlyOnceAcrossAStopAndARestart(CapturedOutput log) throws Exception {
        List<String> ids;
        // One slow worker, so that the stop comes while most orders are still queued
        try (ConfigurableApplicationContext first = start("--orders.workers=1", "--orders.processing-time=500ms")) {
            // The starter logged the startup report: the two tiers, and the critical path through them
            // (outboxRelay is leader-only: counted, and set up once the role is granted, right after)
            assertThat(log.getOut()).contains("Conductor: Set up 5 components", "critical path")
                    .containsPattern("tier 0: (database|messageQueue) .*, (database|messageQueue) ")
                    .containsPattern("tier 1: .*webApi").containsPattern("tier 1: .*backgroundWorkers")
                    .containsPattern("tier 1: .*outboxRelay");
            RestClient client = client(first);
            ids = IntStream.range(0, ORDERS).mapToObj(i -> client.post().uri("/orders")
                    .body(new OrderRequest("widget-" + i, 1)).retrieve().body(Order.class).id()).toList();
            // Mid-flow: a few orders processed, the rest queued or in a worker's hands
            await().until(() -> processed(client, ids) >= 1);
        }

        // Between the runs: the orders in hand were finished and acknowledged, the others wait in the journal
        long processedBeforeStop = processedInDatabase(ids);
        assertThat(processedBeforeStop).isBetween(1L, ORDERS - 1L);
        assertThat(queuedInJournal()).isEqualTo(ORDERS - processedBeforeStop);

        try (ConfigurableApplicationContext second = start("--orders.workers=4", "--orders.processing-time=10ms")) {
            RestClient client = client(second);
            await().atMost(Duration.ofSeconds(30)).until(() -> processed(client, ids) == ORDERS);
            List<Order> orders = ids.stream()
                    .map(id -> client.get().uri("/orders/{id}", id).retrieve().body(Order.class))
                    .toList();
            assertThat(orders).allSatisfy(order -> {
                assertThat(order.status()).isEqualTo(OrderStatus.PROCESSED);
                assertThat(order.processingCount()).isEqualTo(1);
            });
            assertThat(client.get().uri("/orders").retrieve().body(Order[].class)).hasSize(ORDERS);
        }
        assertThat(queuedInJournal()).isZero();
    }

    private long processedInDatabase(List<String> ids) throws Exception {
        Database database = new Database(dataDir.resolve("db"));
        database.setup();
        try {
            OrderRepository orders = new OrderRepository(database);
            return ids.stream().filter(id -> orders.find(id).orElseThrow().status() == OrderStatus.PROCESSED).count();
        }
        finally {
            database.shutdown();
        }
    }

    private long queuedInJournal() throws Exception {
        ArtemisMessageQueue queue = new ArtemisMessageQueue(dataDir.resolve("broker"));
        queue.setup();
        try {
            return queue.pending();
        }
        finally {
            queue.shutdown();
        }
    }

    private ConfigurableApplicationContext start(String... settings) {
        // Command-line arguments: they override application.properties (default properties would not)
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--orders.data-dir=" + dataDir));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(OrderServiceApplication.class).run(args.toArray(String[]::new));
    }

    private static RestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestClient.create("http://localhost:" + port);
    }

    private static long processed(RestClient client, List<String> ids) {
        return ids.stream()
                .map(id -> client.get().uri("/orders/{id}", id).retrieve().body(Order.class))
                .filter(order -> order.status() == OrderStatus.PROCESSED)
                .count();
    }
}
