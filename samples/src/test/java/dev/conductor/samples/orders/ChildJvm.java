package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The order service in a child JVM, its output collected line by line. Closing it kills what is left and writes
 * the output to {@code target/sigterm-drill/<name>.log}.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;

    private final int port;

    private final Process process;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private final Thread reader;

    private ChildJvm(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.reader = new Thread(this::read, "sigterm-drill-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts the order service. */
    static ChildJvm start(String name, Path dataDir, String... settings) throws IOException {
        return start(name, OrderServiceApplication.class, dataDir, settings);
    }

    /** Starts {@code mainClass} (the order service, or a variant of it) on a free port and {@code dataDir}. */
    static ChildJvm start(String name, Class<?> mainClass, Path dataDir, String... settings) throws IOException {
        return start(name, mainClass, List.of(), dataDir, settings);
    }

    /** The same, with options for the JVM ({@code -D...}). */
    static ChildJvm start(String name, Class<?> mainClass, List<String> jvmOptions, Path dataDir, String... settings)
            throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                // Quicker startup on a small, shared machine
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            // Netty frees the journal's direct buffers with Unsafe; without it a restarted broker fails to load
            // its journal (see the java24 profile in samples/pom.xml)
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName(),
                "--server.port=" + port, "--orders.data-dir=" + dataDir,
                "--logging.level.dev.conductor.spring=DEBUG", "--spring.output.ansi.enabled=never",
                "--spring.main.banner-mode=off"));
        command.addAll(List.of(settings));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(name, port, process);
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Waits until the port answers and the application reports itself ready. */
    void awaitReady(HttpClient http) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast("the " + name + " JVM exited before it was ready",
                        () -> assertThat(process.isAlive()).as(this::tail).isTrue())
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200);
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would send the same signal but also close
     * the pipes, and the rest of the child's log would be lost.
     */
    void sigterm() {
        assertThat(process.isAlive()).as("the " + name + " JVM is running").isTrue();
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
    }

    /** SIGKILL: the JVM ends at once, without its shutdown hooks, as the kernel's OOM killer or kubelet ends it. */
    void sigkill() throws InterruptedException {
        assertThat(process.isAlive()).as("the " + name + " JVM is running").isTrue();
        assertThat(process.toHandle().destroyForcibly()).as("SIGKILL sent").isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the " + name + " JVM ended after SIGKILL").isTrue();
        reader.join(10_000);
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            // The output ends with the process; let the reader take the last lines
            reader.join(10_000);
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

    String tail() {
        List<String> lines = log();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
            log.add("[sigterm-drill] reading the output failed: " + ex);
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
            Path file = Path.of("target", "sigterm-drill", name + ".log");
            Files.createDirectories(file.getParent());
            Files.write(file, log());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
