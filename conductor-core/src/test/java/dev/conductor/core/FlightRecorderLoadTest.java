package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conductor touches the flight recorder only once the JVM's recorder is initialized: an application that never
 * records loads none of Conductor's event classes, nor the recorder's own, on its way to its first setup; one that
 * records gets its events (each case in a JVM of its own, whose loaded classes it lists).
 */
class FlightRecorderLoadTest {

    @Test
    void withoutARecordingNoFlightRecorderClassIsLoaded() throws Exception {
        List<String> loaded = run("none");
        assertThat(loaded).contains("done");
        assertThat(loaded).noneMatch(line -> line.contains("dev.conductor.core.FlightEvents"));
        assertThat(loaded).noneMatch(line -> line.contains(" jdk.jfr.internal.") || line.contains(" jdk.jfr.Event "));
    }

    @Test
    void withARecordingTheEventsAreThere() throws Exception {
        List<String> loaded = run("recording");
        assertThat(loaded).contains("done", "recorded dev.conductor.ComponentSetup database");
        assertThat(loaded).anyMatch(line -> line.contains("dev.conductor.core.FlightEvents"));
    }

    private static List<String> run(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xlog:class+load=info:stdout", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), mode).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", lines.subList(Math.max(0, lines.size() - 20),
                lines.size()))).isZero();
        return lines;
    }

    /** Sets up and shuts down a small graph, with a recording running or not. */
    public static final class Main {

        public static void main(String[] args) throws Exception {
            boolean record = args[0].equals("recording");
            jdk.jfr.Recording recording = null;
            Path file = null;
            if (record) {
                recording = new jdk.jfr.Recording();
                recording.enable("dev.conductor.ComponentSetup").withoutThreshold();
                recording.start();
                file = java.nio.file.Files.createTempFile("conductor", ".jfr");
            }
            LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe())
                    .add("api", new Probe(), "database").build()).build();
            engine.setup();
            engine.shutdown();
            if (recording != null) {
                recording.stop();
                recording.dump(file);
                for (var event : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                    if (!event.getEventType().getName().startsWith("dev.conductor.") || !event.hasField("component")) {
                        continue;
                    }
                    System.out.println("recorded " + event.getEventType().getName() + " "
                            + event.getString("component"));
                }
                java.nio.file.Files.deleteIfExists(file);
            }
            System.out.println("done");
        }
    }
}
