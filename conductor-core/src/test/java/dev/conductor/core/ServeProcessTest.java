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
        try (Served served = Served.start("normal")) {
            served.awaitLine("setup WebApi");
            served.sigterm();
            assertThat(served.exitValue()).isEqualTo(143);
            assertThat(served.output).containsExactly("setup Database", "setup WebApi", "shutdown WebApi",
                    "shutdown Database");
        }
    }

    @Test
    void sigtermDuringASetupInterruptsItAndShutsDownWhatWasActive() throws Exception {
        try (Served served = Served.start("block-in-setup")) {
            served.awaitLine("setup WebApi");
            served.sigterm();
            assertThat(served.exitValue()).isEqualTo(143);
            assertThat(served.output).containsExactly("setup Database", "setup WebApi", "setup WebApi interrupted",
                    "shutdown Database");
        }
    }

    @Test
    void systemExitFromASetupShutsDownWhatWasActiveAndExits() throws Exception {
        try (Served served = Served.start("exit-in-setup")) {
            assertThat(served.exitValue()).isEqualTo(3);
            assertThat(served.output).containsExactly("setup Database", "setup WebApi", "shutdown Database");
        }
    }

    @Test
    void systemExitFromAShutdownDuringSigtermStillShutsDownTheRest() throws Exception {
        try (Served served = Served.start("exit-in-shutdown")) {
            served.awaitLine("setup WebApi");
            served.sigterm();
            assertThat(served.exitValue()).isEqualTo(143);
            assertThat(served.output).startsWith("setup Database", "setup WebApi", "shutdown WebApi",
                    "shutdown Database");
            assertThat(served.output).anySatisfy(line -> assertThat(line).contains("ComponentShutdownException")
                    .contains("'WebApi' called System.exit() from its shutdown"));
        }
    }

    /** A child JVM running {@link ServeMain}, with its output collected line by line. */
    private static final class Served implements AutoCloseable {

        final Process process;

        final List<String> output = new CopyOnWriteArrayList<>();

        private final Thread reader;

        private Served(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    lines.lines().filter(line -> !line.startsWith("WARNING")).forEach(output::add);
                }
                catch (Exception ex) {
                    output.add("reader failed: " + ex);
                }
            });
            reader.start();
        }

        static Served start(String mode) throws Exception {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            return new Served(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ServeMain.class.getName(), mode).redirectErrorStream(true).start());
        }

        void awaitLine(String line) {
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> output.contains(line));
        }

        void sigterm() {
            assertThat(process.toHandle().destroy()).isTrue(); // SIGTERM; Process.destroy() would close our pipes
        }

        /** The exit status, once the process exited by itself well before any of its hour-long timeouts. */
        int exitValue() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited; output: %s", output).isTrue();
            reader.join(10_000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
