package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime without the {@code jdk.jfr} module (a trimmed jlink image, or a module path that does not resolve it):
 * a child JVM limited to {@code java.base} sets a graph up and shuts it down, and never loads an event class.
 */
@Timeout(120)
class WithoutFlightRecorderTest {

    /** Run in the child JVM. */
    public static void main(String[] args) {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe())
                .add("api", new Probe(), "database").build()).listener(event -> { }).build();
        engine.setup();
        engine.restart("database");
        engine.shutdown();
        System.out.println("set up, restarted and shut down; jdk.jfr present: " + FlightRecording.AVAILABLE);
    }

    @Test
    void aRuntimeWithoutJdkJfrSetsUpAndShutsDownAsBefore() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "--limit-modules", "java.base", "-cp",
                System.getProperty("java.class.path"), WithoutFlightRecorderTest.class.getName())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("set up, restarted and shut down; jdk.jfr present: false")
                .doesNotContain("NoClassDefFoundError");
    }
}
