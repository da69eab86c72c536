package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * SIGTERM and {@code System.exit()} at the worst moments, in a real child JVM running {@link DrillApplication}:
 * the process exits, soon, and every component that became active is shut down first, in reverse order.
 *
 * <p>Not on Windows: there is no SIGTERM there.
 */
@DisabledOnOs(OS.WINDOWS)
class ProcessDrillTests {

    /** A JVM ended by SIGTERM whose shutdown hooks completed exits with 128 + 15. */
    private static final int EXIT_AFTER_SIGTERM = 143;

    /**
     * Far less than the drill application's setup and shutdown timeouts (60 s): the exit must not wait for a setup
     * that was interrupted or for a call to {@code System.exit()} that never returns.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void sigtermWhileAComponentSetsUpInterruptsItAndShutsDownTheActiveComponentsInReverseBeforeTheJvmExits()
            throws Exception {
        try (ChildJvm child = ChildJvm.start("sigterm-during-setup", DrillApplication.class, "block-setup")) {
            child.awaitLine("[drill] gate blocks its setup", STARTUP);
            long signalled = System.nanoTime();
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("time from SIGTERM to exit")
                    .isLessThan(PROMPTLY);
            assertThat(child.exitValue()).as("exit status").isEqualTo(EXIT_AFTER_SIGTERM);

            assertThat(child.contains("[drill] gate setup interrupted")).as(child::tail).isTrue();
            assertShutDownInReverse(child);
            assertThat(child.contains("[drill] gate shut down")).as("the gate never became active").isFalse();
            assertThat(child.contains("Conductor: setup cancelled because the JVM is shutting down. Setup interrupted"
                    + " or failed: gate. Shut down again, in this order: api, ")).as(child::tail).isTrue();
        }
    }

    @Test
    void sigtermWhileTheContextCreatesBeansAndAComponentSetsUpEarlyRollsBackInReverseBeforeTheJvmExits()
            throws Exception {
        try (ChildJvm child = ChildJvm.start("sigterm-during-bean-creation", DrillApplication.class, "slow-bean")) {
            child.awaitLine("[drill] gate blocks its setup", STARTUP);
            child.awaitLine("[drill] slow bean blocks its constructor", STARTUP);
            long signalled = System.nanoTime();
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("time from SIGTERM to exit")
                    .isLessThan(PROMPTLY);
            assertThat(child.exitValue()).as("exit status").isEqualTo(EXIT_AFTER_SIGTERM);

            assertThat(child.contains("[drill] gate setup interrupted")).as(child::tail).isTrue();
            assertShutDownInReverse(child);
            assertThat(child.contains("[drill] gate shut down")).as("the gate never became active").isFalse();
            assertThat(child.contains("[drill] started")).isFalse();
            assertThat(child.contains("Conductor: setup cancelled because the JVM is shutting down. Setup interrupted"
                    + " or failed: gate. Shut down again, in this order: api, ")).as(child::tail).isTrue();
        }
    }

    @Test
    void systemExitFromASetupExitsWithItsStatusAfterShuttingDownTheActiveComponentsInReverse() throws Exception {
        try (ChildJvm child = ChildJvm.start("exit-in-setup", DrillApplication.class, "exit-in-setup")) {
            child.awaitLine("[drill] gate calls System.exit(3) from its setup", STARTUP);
            long called = System.nanoTime();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - called)).as("time from System.exit() to exit")
                    .isLessThan(PROMPTLY);
            assertThat(child.exitValue()).as("exit status").isEqualTo(3);
            assertShutDownInReverse(child);
            assertThat(child.contains("[drill] started")).isFalse();
        }
    }

    @Test
    void systemExitFromAShutdownExitsWithItsStatusAfterShuttingDownTheOtherComponents() throws Exception {
        try (ChildJvm child = ChildJvm.start("exit-in-shutdown", DrillApplication.class, "exit-in-shutdown")) {
            child.awaitLine("[drill] api calls System.exit(4) from its shutdown", STARTUP);
            long called = System.nanoTime();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - called)).as("time from System.exit() to exit")
                    .isLessThan(PROMPTLY);
            assertThat(child.exitValue()).as("exit status").isEqualTo(4);
            assertThat(child.indexOf("[drill] gate shut down")).as(child::tail).isNotNegative()
                    .isLessThan(child.indexOf("[drill] api calls System.exit(4)"));
            assertThat(child.contains("[drill] database shut down")).as(child::tail).isTrue();
            assertThat(child.contains("[drill] broker shut down")).as(child::tail).isTrue();
        }
    }

    @Test
    void systemExitFromAShutdownAfterSigtermDoesNotHoldUpTheExit() throws Exception {
        try (ChildJvm child = ChildJvm.start("exit-in-shutdown-on-sigterm", DrillApplication.class,
                "exit-in-shutdown-on-sigterm")) {
            child.awaitLine("[drill] started", STARTUP);
            long signalled = System.nanoTime();
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(90))).as("the JVM exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("time from SIGTERM to exit")
                    .isLessThan(PROMPTLY);
            assertThat(child.exitValue()).as("exit status").isEqualTo(EXIT_AFTER_SIGTERM);
            assertThat(child.contains("[drill] api calls System.exit(4) from its shutdown")).as(child::tail).isTrue();
            assertThat(child.contains("[drill] database shut down")).as(child::tail).isTrue();
            assertThat(child.contains("[drill] broker shut down")).as(child::tail).isTrue();
        }
    }

    /** The api (tier 1) was down before the database or the broker (tier 0) began to shut down. */
    private static void assertShutDownInReverse(ChildJvm child) {
        int api = child.indexOf("[drill] api shut down");
        assertThat(api).as(child::tail).isNotNegative();
        for (String dependency : new String[] { "database", "broker" }) {
            assertThat(child.indexOf("Conductor: component '" + dependency + "' shutting down"))
                    .as(dependency + " begins its shutdown after the api is down\n" + child.tail())
                    .isGreaterThan(api);
            assertThat(child.contains("[drill] " + dependency + " shut down")).as(child::tail).isTrue();
        }
    }
}
