package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code conductor.supervision.on-escalation=exit} in a real child JVM: the application closes and exits. */
class EscalationExitDrillTests {

    @Test
    void anEscalationClosesTheApplicationAndExitsTheJvmWithTheExitCode() throws Exception {
        try (ChildJvm child = ChildJvm.start("escalation-exit", EscalationApplication.class)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("the JVM exited").isTrue();
            assertThat(child.exitValue()).as("exit status").as(child::tail).isEqualTo(7);
            assertThat(child.log()).as(child::tail).containsSubsequence("[escalation] store set up",
                    "[escalation] broker fails", "[escalation] broker shut down", "[escalation] store shut down");
            assertThat(child.contains("Conductor: Component 'broker' failed while running and its supervision"
                    + " escalated: every component was shut down. Cause: connection lost for good The application"
                    + " exits with code 7.")).as(child::tail).isTrue();
        }
    }
}
