package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.StartupReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four real components run by conductor-core's engine alone, without Spring. */
class OrderPipelineTest {

    @TempDir
    Path dataDir;

    @Test
    void submittedOrdersAreProcessedByTheWorkers() {
        OrdersProperties properties = new OrdersProperties(dataDir, 2, Duration.ofMillis(5), Duration.ofSeconds(5));
        Database database = new Database(properties);
        MessageQueue queue = new ArtemisMessageQueue(properties);
        WebApi webApi = new WebApi(database, queue, properties);
        BackgroundWorkers workers = new BackgroundWorkers(database, queue, properties);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add(ComponentDefinition.of("database", database))
                .add(ComponentDefinition.of("messageQueue", queue))
                .add(ComponentDefinition.of("webApi", webApi).dependsOn("database", "messageQueue"))
                .add(ComponentDefinition.of("backgroundWorkers", workers).dependsOn("database", "messageQueue"))
                .build()).build();

        engine.setup();
        try {
            StartupReport report = engine.report();
            assertThat(report.tiers()).hasSize(2);
            assertThat(report.tiers().get(0)).containsExactlyInAnyOrder("database", "messageQueue");
            assertThat(report.tiers().get(1)).containsExactlyInAnyOrder("webApi", "backgroundWorkers");

            List<String> ids = IntStream.range(0, 10).mapToObj(i -> webApi.submit("item-" + i, i + 1).id()).toList();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ids)
                    .allSatisfy(id -> assertThat(webApi.find(id)).hasValueSatisfying(order -> {
                        assertThat(order.status()).isEqualTo(OrderStatus.PROCESSED);
                        assertThat(order.processingCount()).isEqualTo(1);
                    })));
        }
        finally {
            engine.shutdown();
        }
    }
}
