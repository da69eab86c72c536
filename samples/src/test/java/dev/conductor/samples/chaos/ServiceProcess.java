package dev.conductor.samples.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One life of the order service: the sample's jar in its own JVM on the drill's ports and data directory, its
 * output kept line by line (and written to {@code <name>.log}). Ended by SIGTERM, SIGKILL or the service itself.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;

    private final Process process;

    private final Path logFile;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private final Thread reader;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.reader = new Thread(this::read, "chaos-log-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ServiceProcess start(String name, Path jar, Path logDirectory, List<String> settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            // As samples/README.md says for Java 24+: Artemis's journal needs Netty's Unsafe
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(settings);
        Files.createDirectories(logDirectory);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ServiceProcess(name, process, logDirectory.resolve(name + ".log"));
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void sigterm() {
        process.toHandle().destroy();
    }

    void sigkill() {
        process.toHandle().destroyForcibly();
    }

    /** @return the exit status, or {@code null} when the process did not end within the timeout */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        reader.join(10_000);
        return process.exitValue();
    }

    /** Waits until readiness answers 200; {@code false} when the process ended first or the timeout passed. */
    boolean awaitReady(HttpClient http, URI readiness, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                if (http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        return false;
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The lines logged at or after {@code from} (by the timestamp Spring Boot's log format starts with). */
    List<String> logSince(Instant from) {
        List<String> since = new ArrayList<>();
        boolean after = false;
        for (String line : log()) {
            Instant at = timestamp(line);
            if (at != null) {
                after = !at.isBefore(from);
            }
            if (after) {
                since.add(line);
            }
        }
        return since;
    }

    /** The timestamp at the start of a log line, or {@code null} for a line that has none (a stack trace's). */
    static Instant timestamp(String line) {
        int space = line.indexOf(' ');
        if (space < 20 || !Character.isDigit(line.charAt(0))) {
            return null;
        }
        try {
            return OffsetDateTime.parse(line.substring(0, space)).toInstant();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    String tail(int lines) {
        List<String> all = log();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
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
            log.add("[chaos-drill] reading the output failed: " + ex);
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
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile))) {
                log().forEach(out::println);
            }
        }
    }
}
