package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code conductor.supervision.on-escalation=exit} in a real child JVM: the application closes and the JVM exits
 * with the exit code, every time, although no thread of the application's own keeps the JVM alive (the exit once
 * ran on a daemon thread, and the JVM ended with status 0 when the context closed before it called
 * {@code System.exit}: 19 runs in 20 of a web application). Each case runs {@code conductor.drill.repetitions}
 * times, 5 unless set.
 */
class EscalationExitDrillTests {

    private static final int REPETITIONS = Integer.getInteger("conductor.drill.repetitions", 5);

    @Test
    void anEscalationClosesTheApplicationAndExitsTheJvmWithTheExitCode() throws Exception {
        for (int run = 1; run <= REPETITIONS; run++) {
            escalateAndExit("escalation-exit-" + run);
        }
    }

    @Test
    void anEscalationClosesAWebApplicationAndExitsTheJvmWithTheExitCode() throws Exception {
        for (int run = 1; run <= REPETITIONS; run++) {
            escalateAndExit("escalation-exit-web-" + run, "web");
        }
    }

    private static void escalateAndExit(String name, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(name, EscalationApplication.class, args)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as(name + ": the JVM exited").isTrue();
            assertThat(child.exitValue()).as(name + ": exit status").as(child::tail).isEqualTo(7);
            assertThat(child.log()).as(child::tail).containsSubsequence("[escalation] store set up",
                    "[escalation] broker fails", "[escalation] broker shut down", "[escalation] store shut down");
            assertThat(child.contains("Conductor: Component 'broker' failed while running and its supervision"
                    + " escalated: every component was shut down. Cause: connection lost for good The application"
                    + " exits with code 7.")).as(child::tail).isTrue();
        }
    }
}
