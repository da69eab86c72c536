package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIGTERM drill of issue 5, automated: start the order service as a real JVM process, submit orders, send
 * SIGTERM, and check that the web server stopped first, that the components shut down in reverse order within
 * their timeouts, that the process exited cleanly, and that after a restart on the same data directory every
 * order is processed exactly once.
 *
 * <p>The child JVM runs the application's main class with this test's classpath (the code under test; the
 * repackaged jar does not exist yet when Maven runs the tests) and logs every Conductor transition at DEBUG. Its
 * output goes to {@code target/sigterm-drill/first.log} and {@code second.log}: look there when an assertion
 * about the log fails. It takes about 20 s on a quiet machine.
 *
 * <p>Not on Windows: there is no SIGTERM, and {@code ProcessHandle.destroy()} terminates the process outright.
 */
@DisabledOnOs(OS.WINDOWS)
class SigtermDrillTest {

    private static final int ORDERS = 20;

    /** The shutdown timeout the first run is given, per component; every shutdown must end well within it. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);

    /**
     * A JVM that receives SIGTERM runs its shutdown hooks (Spring Boot's closes the context: the graceful shutdown
     * of the web server, then Conductor's shutdown of the components) and then exits with 128 + 15 = 143, the
     * status of a process ended by signal 15. 0 would mean the application called {@code System.exit(0)} itself,
     * which the sample does not; 137 (SIGKILL) would mean the hooks hung and someone had to kill it.
     */
    private static final int EXIT_AFTER_SIGTERM = 143;

    private static final Pattern SHUTTING_DOWN = Pattern.compile("Conductor: component '(\\w+)' shutting down$");

    private static final Pattern SHUT_DOWN = Pattern.compile("Conductor: component '(\\w+)' shut down in (\\d+) ms$");

    private static final Pattern PROCESSED = Pattern.compile("Processed order ([0-9a-f-]{36})$");

    private static final Pattern KEPT = Pattern.compile("Artemis broker stopped, (\\d+) order\\(s\\) kept in the journal");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void sigtermDrainsTheServerThenShutsTheComponentsDownInReverseAndARestartProcessesEveryOrderOnce()
            throws Exception {
        List<String> ids;
        List<String> firstLog;
        // One slow worker, so that SIGTERM comes while most orders are still queued
        try (ChildJvm first = ChildJvm.start("first", dataDir, "--orders.workers=1",
                "--orders.processing-time=500ms", "--conductor.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
                "--orders.drain-timeout=5s")) {
            first.awaitReady(http);
            ids = IntStream.range(0, ORDERS).mapToObj(i -> submit(first, "drill-" + i)).toList();
            // Mid-flow: at least one order processed, the rest queued or in the worker's hands
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.log().stream().anyMatch(line -> PROCESSED.matcher(line).find()));

            first.sigterm();
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as("the process exited within 60 s").isTrue();
            assertThat(first.exitValue()).as("exit status after SIGTERM").isEqualTo(EXIT_AFTER_SIGTERM);
            firstLog = first.log();
        }

        // The web server drained before the first component started to shut down
        int gracefulStart = indexOf(firstLog, line -> line.contains("Commencing graceful shutdown"));
        int gracefulEnd = indexOf(firstLog, line -> line.contains("Graceful shutdown complete"));
        int firstShutdown = indexOf(firstLog, line -> SHUTTING_DOWN.matcher(line).find());
        assertThat(gracefulStart).as("graceful shutdown logged").isNotNegative();
        assertThat(gracefulEnd).as("graceful shutdown completed").isGreaterThan(gracefulStart);
        assertThat(firstShutdown).as("a component shut down").isGreaterThan(gracefulEnd);
        assertThat(firstLog).noneMatch(line -> line.contains("Graceful shutdown aborted"));

        // Reverse dependency order: both tier-1 components were down before either tier-0 component began
        Map<String, Integer> shuttingDown = indexes(firstLog, SHUTTING_DOWN);
        Map<String, Integer> shutDown = indexes(firstLog, SHUT_DOWN);
        assertThat(shuttingDown).containsOnlyKeys("webApi", "backgroundWorkers", "outboxRelay", "database",
                "messageQueue");
        assertThat(shutDown).containsOnlyKeys("webApi", "backgroundWorkers", "outboxRelay", "database",
                "messageQueue");
        for (String dependent : List.of("webApi", "backgroundWorkers", "outboxRelay")) {
            for (String dependency : List.of("database", "messageQueue")) {
                assertThat(shutDown.get(dependent)).as(dependent + " down before " + dependency + " begins")
                        .isLessThan(shuttingDown.get(dependency));
            }
        }
        // Each within its timeout, and nothing failed
        for (String line : firstLog) {
            Matcher matcher = SHUT_DOWN.matcher(line);
            if (matcher.find()) {
                assertThat(Long.parseLong(matcher.group(2))).as(matcher.group(1) + " shutdown (ms)")
                        .isLessThan(SHUTDOWN_TIMEOUT.toMillis());
            }
        }
        // (a timeout shows as "failed to shut down" with "did not finish its shutdown within ...")
        assertThat(firstLog).noneMatch(line -> line.contains("failed to shut down") || line.contains("SHUTDOWN_FAILED")
                || line.contains("did not finish its") || line.contains(" ERROR "));
        assertThat(firstLog).anyMatch(line -> line.contains("Order intake closed, no request in flight"));

        // What the first run did not process waits in the broker's journal
        List<String> processedFirst = matches(firstLog, PROCESSED);
        long kept = Long.parseLong(matches(firstLog, KEPT).get(0));
        assertThat(processedFirst).isNotEmpty().doesNotHaveDuplicates();
        assertThat(processedFirst.size() + kept).as("processed + kept in the journal").isEqualTo(ORDERS);

        try (ChildJvm second = ChildJvm.start("second", dataDir, "--orders.workers=4",
                "--orders.processing-time=10ms")) {
            second.awaitReady(http);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(ids).allSatisfy(id -> {
                        DocumentContext order = JsonPath.parse(get(second, "/orders/" + id));
                        assertThat(order.read("$.status", String.class)).as(id).isEqualTo("PROCESSED");
                        assertThat(order.read("$.processingCount", Integer.class)).as(id).isEqualTo(1);
                    }));
            assertThat(JsonPath.parse(get(second, "/orders")).read("$.length()", Integer.class)).isEqualTo(ORDERS);
            // Across both runs the workers processed every order exactly once
            List<String> processed = new ArrayList<>(processedFirst);
            processed.addAll(matches(second.log(), PROCESSED));
            assertThat(processed).containsExactlyInAnyOrderElementsOf(ids);

            second.sigterm();
            assertThat(second.awaitExit(Duration.ofSeconds(60))).as("the second process exited").isTrue();
            assertThat(second.exitValue()).isEqualTo(EXIT_AFTER_SIGTERM);
            assertThat(second.log()).anyMatch(line -> line.contains("Artemis broker stopped, 0 order(s) kept"));
        }
    }

    private String submit(ChildJvm child, String item) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(child.uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"" + item + "\",\"quantity\":1}")));
        assertThat(response.statusCode()).as("POST /orders: " + response.body()).isEqualTo(202);
        return JsonPath.parse(response.body()).read("$.id", String.class);
    }

    private String get(ChildJvm child, String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(child.uri(path)).GET());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int indexOf(List<String> log, Predicate<String> match) {
        return IntStream.range(0, log.size()).filter(i -> match.test(log.get(i))).findFirst().orElse(-1);
    }

    /** For each first group of the pattern, the index of the first line where it matched. */
    private static Map<String, Integer> indexes(List<String> log, Pattern pattern) {
        Map<String, Integer> indexes = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            Matcher matcher = pattern.matcher(log.get(i));
            if (matcher.find()) {
                indexes.putIfAbsent(matcher.group(1), i);
            }
        }
        return indexes;
    }

    private static List<String> matches(List<String> log, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (String line : log) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                found.add(matcher.group(1));
            }
        }
        return found;
    }
}
