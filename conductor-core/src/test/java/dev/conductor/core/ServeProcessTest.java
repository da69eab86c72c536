package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link Conductor#serve()} in a real JVM, stopped the way an orchestrator stops it: with SIGTERM. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is not SIGTERM on Windows")
class ServeProcessTest {

    @Test
    void sigtermShutsDownInReverseOrderBeforeTheJvmExits() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServeMain.class.getName()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            }
            catch (Exception ex) {
                output.add("reader failed: " + ex);
            }
        });
        reader.start();
        try {
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> output.contains("setup WebApi"));
            assertThat(process.toHandle().destroy()).isTrue(); // SIGTERM; Process.destroy() would close our pipes
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            assertThat(output).containsExactly("setup Database", "setup WebApi", "shutdown WebApi",
                    "shutdown Database");
            assertThat(process.exitValue()).isEqualTo(143);
        }
        finally {
            process.destroyForcibly();
        }
    }
}
