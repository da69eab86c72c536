package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing closes under a dependent. Once the order service is ready the JVM has three shutdown hooks, all run
 * concurrently when it begins to exit: Spring Boot's, which closes the context (the web server drains, then
 * Conductor shuts the components down in reverse order); the JDK's {@code java.util.logging} cleaner, which resets
 * JUL's handlers (records logged through JUL after that are dropped; nothing closes); and H2's
 * {@code OnExitDatabaseCloser}, which H2 2.x registers for every file database. With H2's default
 * {@code DB_CLOSE_ON_EXIT=TRUE} that hook closes the database, and did so under the workers and the requests still
 * draining; with {@code DB_CLOSE_ON_EXIT=FALSE} it only writes a checkpoint. Artemis, Netty, HikariCP, Tomcat and
 * Logback register none in the sample.
 *
 * <p>The child JVM ({@link ShutdownHooksOrderService}) lists the hooks by reflection, then runs H2's as if it had
 * won the race, while it holds a connection as a worker in the middle of an order does: the connection must still
 * work, the service must go on taking and processing orders, and shut down cleanly on SIGTERM. Before the fix the
 * held connection was closed ("Database is already closed"), as the workers' and the draining requests' were. Log:
 * {@code target/sigterm-drill/shutdown-hooks.log}.
 */
@DisabledOnOs(OS.WINDOWS)
class ShutdownHooksTest {

    private static final String SPRING_HOOK = "java.lang.Thread 'SpringApplicationShutdownHook'";

    private static final String JUL_CLEANER = "java.util.logging.LogManager$Cleaner 'Logging-Cleaner'";

    private static final String H2_HOOK = "org.h2.engine.OnExitDatabaseCloser";

    private static final Pattern HOOK = Pattern.compile("^\\[hooks\\] ([\\w.$]+) '([^']*)'$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void noShutdownHookClosesTheDatabaseUnderTheComponents() throws Exception {
        try (ChildJvm child = ChildJvm.start("shutdown-hooks", ShutdownHooksOrderService.class,
                List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), dataDir)) {
            child.awaitReady(http);
            await().atMost(Duration.ofSeconds(30)).until(() -> child.log().contains("[hooks] end"));
            // "<class> '<thread name>'"; H2's thread has no name of its own ("Thread-<n>")
            List<String> hooks = child.log().stream()
                    .map(HOOK::matcher)
                    .filter(Matcher::matches)
                    .map(hook -> hook.group(1).equals(H2_HOOK) ? H2_HOOK : hook.group(1) + " '" + hook.group(2) + "'")
                    .toList();
            assertThat(hooks).as("the JVM's shutdown hooks").containsExactlyInAnyOrder(SPRING_HOOK, JUL_CLEANER,
                    H2_HOOK);
            assertThat(child.log()).contains("[hooks] ran " + H2_HOOK)
                    .contains("[hooks] connection held across the hooks: open");

            // H2's hook ran, and the database is still there for the components that need it
            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(child.uri("/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"after the hook\",\"quantity\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String id = JsonPath.parse(submitted.body()).read("$.id", String.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> child.log().stream()
                    .anyMatch(line -> line.endsWith("Processed order " + id)));

            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isTrue();
            assertThat(child.exitValue()).isEqualTo(143);
            assertThat(child.log()).anyMatch(line -> line.contains("Database closed"))
                    .noneMatch(line -> line.contains(" ERROR ") || line.contains("already closed"));
        }
    }
}
