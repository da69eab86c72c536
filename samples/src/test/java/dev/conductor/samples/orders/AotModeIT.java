package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order service processed ahead of time ({@code spring-boot:process-aot}, bound to {@code prepare-package} in
 * samples/pom.xml) and run on the JVM in AOT mode ({@code -Dspring.aot.enabled=true}): its four components come up
 * from the generated bean definitions, an order goes through, and on SIGTERM they shut down in reverse order.
 * Failsafe runs it after the package phase, once the generated classes exist; the child's log is written to
 * {@code target/sigterm-drill/aot.log}.
 */
@DisabledOnOs(OS.WINDOWS)
class AotModeIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void theAotProcessedServiceSetsUpItsComponentsAndShutsThemDownInReverse() throws Exception {
        assertThat(Path.of("target", "classes", "dev", "conductor", "samples", "orders",
                "OrderServiceApplication__ApplicationContextInitializer.class"))
                .as("process-aot ran before this test").exists();
        try (ChildJvm child = ChildJvm.start("aot", OrderServiceApplication.class,
                List.of("-Dspring.aot.enabled=true"), dataDir, "--orders.processing-time=10ms")) {
            child.awaitReady(http);
            assertThat(child.log()).anyMatch(line -> line.contains("Starting AOT-processed OrderServiceApplication"))
                    .anyMatch(line -> line.contains("Conductor: Set up 5 components"));

            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(child.uri("/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"aot\",\"quantity\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String id = JsonPath.parse(submitted.body()).read("$.id", String.class);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> JsonPath
                    .parse(http.send(HttpRequest.newBuilder(child.uri("/orders/" + id)).build(),
                            HttpResponse.BodyHandlers.ofString()).body())
                    .read("$.status", String.class).equals("PROCESSED"));

            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(60))).as("the process exited").isTrue();
            assertThat(child.exitValue()).isEqualTo(143);
            List<String> log = child.log();
            for (String dependent : List.of("webApi", "backgroundWorkers")) {
                for (String dependency : List.of("database", "messageQueue")) {
                    assertThat(indexOf(log, "Conductor: component '" + dependent + "' shut down in"))
                            .as(dependent + " down before " + dependency + " begins").isNotNegative()
                            .isLessThan(indexOf(log, "Conductor: component '" + dependency + "' shutting down"));
                }
            }
            assertThat(log).anyMatch(line -> line.contains("Database closed"))
                    .anyMatch(line -> line.contains("Artemis broker stopped"))
                    .noneMatch(line -> line.contains("failed to shut down"));
        }
        assertThat(Files.exists(dataDir.resolve("db"))).isTrue();
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
