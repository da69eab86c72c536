package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIGKILL drill of issue 22: an order answered {@code 202} must exist after the process is killed outright.
 * Four clients submit orders to the service in a child JVM; right after the 400th {@code 202} the JVM gets
 * SIGKILL. The database files are then opened directly: every order answered {@code 202} must have its row. A
 * second JVM on the same data directory then works off the broker's journal: every order ends {@code PROCESSED}
 * with {@code processingCount} 1, and no message is left without its order.
 *
 * <p>Before the fix H2 wrote committed transactions to its file only up to half a second later ({@code
 * WRITE_DELAY}, 500 ms by default): the last orders answered {@code 202} died with the process while the broker
 * had already journaled their messages, and the second JVM acknowledged those messages as "already processed".
 * Logs: {@code target/sigterm-drill/sigkill-*.log}.
 */
@DisabledOnOs(OS.WINDOWS)
class SigkillDrillTest {

    private static final int ACCEPTED_BEFORE_KILL = 400;

    private static final int CLIENTS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void everyOrderAnswered202SurvivesSigkillAndIsProcessedOnceAfterTheRestart() throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        try (ChildJvm first = ChildJvm.start("sigkill-first", dataDir, "--orders.processing-time=5ms")) {
            first.awaitReady(http);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unexpected = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(ACCEPTED_BEFORE_KILL);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread thread = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(first.uri("/orders"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"item\":\"kill-" + client + "-" + i + "\",\"quantity\":1}"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 202) {
                                accepted.add(JsonPath.parse(response.body()).read("$.id", String.class));
                                enough.countDown();
                            }
                            else {
                                unexpected.incrementAndGet();
                            }
                        }
                        catch (IOException ex) {
                            // The process was killed under this request: no answer, no promise
                            return;
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                    }
                }, "client-" + c);
                clients.add(thread);
                thread.start();
            }
            assertThat(enough.await(90, TimeUnit.SECONDS)).as("400 orders accepted").isTrue();
            first.sigkill();
            stop.set(true);
            for (Thread client : clients) {
                client.join(30_000);
            }
            assertThat(unexpected).as("answers other than 202 before the kill").hasValue(0);
        }

        // Straight from the files the killed JVM left: every promise kept
        Map<String, int[]> stored = orders();
        List<String> lost = accepted.stream().filter(id -> !stored.containsKey(id)).toList();
        assertThat(lost).as("orders answered 202 (of " + accepted.size() + ") missing after SIGKILL").isEmpty();

        try (ChildJvm second = ChildJvm.start("sigkill-second", dataDir, "--orders.workers=4",
                "--orders.processing-time=1ms")) {
            second.awaitReady(http);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                String health = http.send(HttpRequest.newBuilder(second.uri("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return JsonPath.parse(health).read(
                        "$.components.conductor.details.components.messageQueue.health.details.messageCount",
                        Long.class) == 0;
            });
            second.sigterm();
            assertThat(second.awaitExit(Duration.ofSeconds(60))).isTrue();
            // A message processed but not yet acknowledged at the kill comes back as an "already processed"
            // redelivery, which is fine; a message without its order is an ERROR
            assertThat(second.log()).noneMatch(line -> line.contains(" ERROR "));
        }
        Map<String, int[]> after = orders();
        assertThat(accepted).allSatisfy(id -> {
            assertThat(after.get(id)).as(id).isNotNull();
            assertThat(after.get(id)[0]).as(id + " PROCESSED").isEqualTo(1);
            assertThat(after.get(id)[1]).as(id + " processingCount").isEqualTo(1);
        });
        assertThat(orphans()).as("messages whose order did not exist").isZero();
    }

    /** Each order's id: {PROCESSED ? 1 : 0, processing_count}, read from the database files. */
    private Map<String, int[]> orders() throws SQLException {
        Map<String, int[]> orders = new HashMap<>();
        try (Connection connection = open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, status, processing_count FROM orders")) {
            while (rows.next()) {
                orders.put(rows.getString(1), new int[] { "PROCESSED".equals(rows.getString(2)) ? 1 : 0,
                        rows.getInt(3) });
            }
        }
        return orders;
    }

    private int orphans() throws SQLException {
        try (Connection connection = open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM orphan_messages")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("orders"), "sa", "");
    }
}
