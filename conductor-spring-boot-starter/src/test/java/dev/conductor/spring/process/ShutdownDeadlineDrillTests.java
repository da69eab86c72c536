package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The grace-period arithmetic of the README, in a real child JVM ({@link HangingShutdownApplication}): on SIGTERM
 * the web server drains for at most {@code spring.lifecycle.timeout-per-shutdown-phase}, then the components shut
 * down within {@code conductor.shutdown-deadline}, so the process exits before the sum of the two (plus a margin
 * for the JVM), although one component's shutdown hangs for good and each component's own shutdown timeout is a
 * minute. Not on Windows: there is no SIGTERM there.
 */
@DisabledOnOs(OS.WINDOWS)
class ShutdownDeadlineDrillTests {

    private static final Duration DRAIN = Duration.ofSeconds(3);

    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(2);

    /** What the JVM needs besides: the context's other phases, the shutdown hooks, a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(15); // still far below a component's own 60 s

    private static final int EXIT_AFTER_SIGTERM = 143;

    @Test
    void sigtermWithAHangingShutdownExitsWithinTheDrainPlusTheShutdownDeadlineAndShutsDownTheOthers()
            throws Exception {
        try (ChildJvm child = ChildJvm.start("shutdown-deadline", HangingShutdownApplication.class,
                "--spring.lifecycle.timeout-per-shutdown-phase=" + DRAIN.toSeconds() + "s",
                "--conductor.shutdown-deadline=" + SHUTDOWN_DEADLINE.toSeconds() + "s")) {
            child.awaitLine("[drill] started", Duration.ofSeconds(90));
            HttpClient client = HttpClient.newHttpClient();
            client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port(child) + "/slow")).build(),
                    HttpResponse.BodyHandlers.discarding());
            child.awaitLine("[drill] request in flight", Duration.ofSeconds(30));

            long signalled = System.nanoTime();
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
            System.out.println("[shutdown-deadline drill] the JVM exited " + exit.toMillis() + " ms after SIGTERM");
            assertThat(exit).as("time from SIGTERM to exit, against the drain (%s) + the shutdown deadline (%s)"
                    + " + a margin (%s)\n%s", DRAIN, SHUTDOWN_DEADLINE, MARGIN, child.tail())
                    .isLessThan(DRAIN.plus(SHUTDOWN_DEADLINE).plus(MARGIN));
            assertThat(child.exitValue()).as("exit status").isEqualTo(EXIT_AFTER_SIGTERM);

            int apiDown = child.indexOf("[drill] api shut down");
            assertThat(apiDown).as(child::tail).isNotNegative();
            assertThat(child.indexOf("[drill] database shut down")).as("the database after the api\n" + child.tail())
                    .isGreaterThan(apiDown);
            assertThat(child.indexOf("[drill] exporter hangs its shutdown")).as(child::tail).isNotNegative();
            assertThat(child.contains("'exporter' did not finish its shutdown before the shutdown deadline (2000 ms)"))
                    .as(child::tail).isTrue();
        }
    }

    private static int port(ChildJvm child) {
        Pattern listening = Pattern.compile("\\[drill] listening on port (\\d+)");
        for (String line : child.log()) {
            Matcher matcher = listening.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no port in the log\n" + child.tail());
    }
}
