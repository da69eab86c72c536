package dev.conductor.samples.plain;

import dev.conductor.core.Conductor;
import dev.conductor.core.StartupReport;
import dev.conductor.core.StartupReport.SvgView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's example with conductor-core alone, no Spring: {@link Database} and {@link MessageQueue} are set up
 * together, then {@link WebApi} (an HTTP server on the JDK's {@code com.sun.net.httpserver}) and
 * {@link BackgroundWorkers} together.
 *
 * <ul>
 * <li>{@code run} (the default): sets everything up, submits three orders over HTTP, waits until the workers
 * processed them, prints the startup report, and shuts down. With {@code -Dplain.pictures=<directory>} it then
 * draws the lifecycle there as SVG: {@code conductor-setup.svg} (the setup timeline),
 * {@code conductor-shutdown.svg} and {@code conductor-graph.svg}.</li>
 * <li>{@code serve}: sets everything up and serves until Ctrl-C or SIGTERM, then shuts down in reverse.
 * {@code curl -d widget localhost:8081/orders}, then {@code curl localhost:8081/orders/1}.</li>
 * </ul>
 *
 * <p>The port is {@code -Dplain.port} (8081 unless set; 0 picks a free one).
 */
public final class PlainConductorExample {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PlainConductorExample() {
    }

    /** {@code run} (default) or {@code serve}. */
    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "run" : args[0];
        switch (mode) {
            case "run" -> run().forEach((id, status) -> System.out.println("order " + id + ": " + status));
            case "serve" -> serve();
            default -> {
                System.err.println("Usage: PlainConductorExample [run|serve]");
                System.exit(2);
            }
        }
    }

    /** The seed's {@code run}: setup, the task, shutdown (also when the task throws). */
    static Map<String, String> run() {
        Conductor conductor = Conductor.builder()
                .listener(event -> System.out.println("  " + event))
                .build();
        WebApi webApi = conductor.add(WebApi.class);
        conductor.add(BackgroundWorkers.class);
        Map<String, String> statuses = new LinkedHashMap<>();
        String pictures = System.getProperty("plain.pictures");
        conductor.run(() -> {
            System.out.println(conductor.report().toText());
            URI base = URI.create("http://localhost:" + webApi.port());
            List<String> ids = new ArrayList<>();
            for (String item : List.of("widget", "gadget", "gizmo")) {
                ids.add(call(HttpRequest.newBuilder(base.resolve("/orders"))
                        .POST(HttpRequest.BodyPublishers.ofString(item)).build()));
            }
            for (String id : ids) {
                statuses.put(id, awaitProcessed(base.resolve("/orders/" + id)));
            }
        });
        if (pictures != null) {
            writePictures(conductor.report(), Path.of(pictures));
        }
        return statuses;
    }

    /** The report of the lifecycle that just ended as three SVG files, for a browser. */
    static void writePictures(StartupReport report, Path directory) {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create " + directory, ex);
        }
        System.out.println("Pictures of the lifecycle: "
                + report.writeSvg(SvgView.TIMELINE, directory.resolve("conductor-setup.svg")) + ", "
                + report.writeSvg(SvgView.SHUTDOWN_TIMELINE, directory.resolve("conductor-shutdown.svg")) + ", "
                + report.writeSvg(SvgView.GRAPH, directory.resolve("conductor-graph.svg")));
    }

    /** The seed's {@code serve}: setup, then block until the JVM is asked to stop, then shutdown. */
    static void serve() {
        Conductor conductor = Conductor.builder()
                .listener(event -> System.out.println("  " + event))
                .build();
        conductor.add(WebApi.class);
        conductor.add(BackgroundWorkers.class);
        System.out.println("Serving on port " + WebApi.configuredPort() + "; Ctrl-C to stop");
        conductor.serve();
    }

    private static String awaitProcessed(URI order) {
        // A sample's main, not a test: a short poll is the simplest way to wait for the asynchronous worker
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String status = call(HttpRequest.newBuilder(order).build());
            if (status.equals("PROCESSED")) {
                return status;
            }
            pause();
        }
        throw new IllegalStateException("Not processed within 10 s: " + order);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String call(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
            }
            return response.body().trim();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
