package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.samples.drill.SlowStartOrderService;
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
 * SIGTERM to a pod that is still starting: the order service runs in a child JVM with one more component whose
 * setup blocks ({@link SlowStartOrderService}), and gets SIGTERM once the four real components are active. The
 * blocked setup is interrupted, the four are shut down in reverse order with the broker and the database closed
 * cleanly, the log says what was rolled back, and the process exits at once rather than after the setup timeout.
 * The child's log is written to {@code target/sigterm-drill/during-startup.log}.
 */
@DisabledOnOs(OS.WINDOWS)
class SigtermDuringStartupDrillTest {

    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern SHUTTING_DOWN = Pattern.compile("Conductor: component '(\\w+)' shutting down$");

    private static final Pattern SHUT_DOWN = Pattern.compile("Conductor: component '(\\w+)' shut down in \\d+ ms$");

    @TempDir
    Path dataDir;

    @Test
    void sigtermWhileAComponentSetsUpShutsDownTheActiveComponentsInReverseAndExitsAtOnce() throws Exception {
        try (ChildJvm child = ChildJvm.start("during-startup", SlowStartOrderService.class, dataDir,
                "--conductor.setup-timeout=" + SETUP_TIMEOUT.toSeconds() + "s", "--conductor.shutdown-timeout=15s")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> child.log().contains("[drill] startupGate blocks its setup"));
            long signalled = System.nanoTime();
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the process exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("from SIGTERM to exit")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(child.exitValue()).as("exit status after SIGTERM").isEqualTo(143);

            List<String> log = child.log();
            assertThat(log).as(child::tail).contains("[drill] startupGate setup interrupted")
                    .doesNotContain("[drill] startupGate shut down")
                    .noneMatch(line -> line.contains("Tomcat started on port"));
            for (String dependent : List.of("webApi", "backgroundWorkers")) {
                for (String dependency : List.of("database", "messageQueue")) {
                    assertThat(index(log, SHUT_DOWN, dependent)).as(dependent + " down before " + dependency
                            + " begins\n" + child.tail()).isNotNegative()
                            .isLessThan(index(log, SHUTTING_DOWN, dependency));
                }
            }
            assertThat(log).as(child::tail).anyMatch(line -> line.contains("Database closed"))
                    .anyMatch(line -> line.contains("Artemis broker stopped"))
                    .anyMatch(line -> line.contains("Order intake closed"))
                    .anyMatch(line -> line.contains("Conductor: setup cancelled because the JVM is shutting down."
                            + " Setup interrupted or failed: startupGate. Shut down again, in this order: "))
                    .noneMatch(line -> line.contains("failed to shut down"));
        }
    }

    private static int index(List<String> log, Pattern pattern, String component) {
        for (int i = 0; i < log.size(); i++) {
            Matcher matcher = pattern.matcher(log.get(i));
            if (matcher.find() && matcher.group(1).equals(component)) {
                return i;
            }
        }
        return -1;
    }
}
