package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM with this test's classpath, its output collected line by line. Closing it kills
 * what is left and writes the output to {@code target/child-jvm/<name>.log}: look there when an assertion about
 * the log fails.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;

    private final Process process;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private final Thread reader;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::read, "child-jvm-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildJvm start(String name, Class<?> mainClass, String... args) throws IOException {
        return start(name, List.of(), mainClass, args);
    }

    /** As {@link #start(String, Class, String...)}, with more options for the JVM. */
    static ChildJvm start(String name, List<String> jvmOptions, Class<?> mainClass, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                // Quicker startup on a small, shared machine
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--logging.level.dev.conductor.spring=DEBUG", "--spring.output.ansi.enabled=never",
                "--spring.main.banner-mode=off"));
        return new ChildJvm(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits until a line contains {@code text}, failing fast when the process exits first. */
    void awaitLine(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .failFast("the " + name + " JVM exited before it logged '" + text + "'",
                        () -> assertThat(process.isAlive() || contains(text)).as(this::tail).isTrue())
                .until(() -> contains(text));
    }

    boolean contains(String text) {
        return log().stream().anyMatch(line -> line.contains(text));
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would send the same signal but also close the
     * pipes, and the rest of the child's log would be lost.
     */
    void sigterm() {
        assertThat(process.isAlive()).as("the " + name + " JVM is running").isTrue();
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
    }

    /** Waits for the process to exit; {@code false} if it did not within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            reader.join(10_000); // the output ends with the process; let the reader take the last lines
        }
        return exited;
    }

    int exitValue() {
        return process.exitValue();
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The index of the first line that contains {@code text}, or -1. */
    int indexOf(String text) {
        List<String> lines = log();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    String tail() {
        List<String> lines = log();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.add(line);
            }
        }
        catch (IOException ex) {
            log.add("[child-jvm] reading the output failed: " + ex);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        }
        finally {
            Path file = Path.of("target", "child-jvm", name + ".log");
            Files.createDirectories(file.getParent());
            Files.write(file, log());
        }
    }
}
