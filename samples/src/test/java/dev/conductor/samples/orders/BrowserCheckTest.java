package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's pictures in a real browser, as a person would open them: the order service runs on a random port
 * with its real database and broker, headless Chromium takes a screenshot of
 * {@code /actuator/conductor?format=svg} (and of the graph), and the screenshot must show the picture: the size
 * of the SVG, mostly white, with the colour of the active bars and enough ink for four rows of text and bars.
 * The screenshots stay in {@code samples/target/browser-check/} to look at.
 *
 * <p>Skipped, saying so, when Chromium is not installed ({@code .ci/run} installs it with apt where it can).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "orders.processing-time=10ms")
// Closes the broker and the database before the temporary directory is deleted
@DirtiesContext
class BrowserCheckTest {

    /** The fill of an active bar in the timeline, {@code #4a90d9}, and of an active box in the graph, {@code #cfe2f6}. */
    private static final int ACTIVE_BAR = 0x4a90d9;

    private static final int ACTIVE_BOX = 0xcfe2f6;

    /** In the whole-start picture: a top-level stage, Conductor's setup, and the marks (JVM start, ready). */
    private static final int STAGE = 0x6b7b8c;

    private static final int CONDUCTOR = 0x2f5f8f;

    private static final int MARK = 0xb3261e;

    private static final Pattern SIZE = Pattern.compile("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"");

    private static final Path OUTPUT = Path.of("target", "browser-check");

    private static String chromium;

    @TempDir
    static Path dataDir;

    @TempDir
    Path profile;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orders.data-dir", () -> dataDir.toString());
    }

    @BeforeAll
    static void findChromium() {
        chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .map(BrowserCheckTest::onPath).filter(path -> path != null).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null,
                "Chromium is not installed (apt-get install chromium): skipping the browser check of the SVG");
    }

    @Test
    void theSetupTimelineRendersInChromium() throws Exception {
        BufferedImage screenshot = screenshot("/actuator/conductor?format=svg", "setup-timeline.png");
        assertThat(share(screenshot, 0xffffff)).as("mostly white background").isGreaterThan(0.5);
        // Four bars of several pixels each: the components' setups (the legend adds one small swatch)
        assertThat(count(screenshot, ACTIVE_BAR)).as("pixels of active bars").isGreaterThan(4 * 12);
        assertThat(1 - share(screenshot, 0xffffff)).as("ink: text, bars, grid").isGreaterThan(0.02);
    }

    /**
     * The whole start, JVM to ready, at the picture's size and at twice the pixel density (a high-resolution
     * screen): the same picture, twice as many pixels each way, with the stages' grey, Conductor's setup and the
     * components' bars.
     */
    @Test
    void theWholeStartRendersInChromiumAtTwoSizes() throws Exception {
        String path = "/actuator/conductor?format=svg&view=boot";
        BufferedImage picture = screenshot(path, "boot-timeline.png", 1);
        BufferedImage doubled = screenshot(path, "boot-timeline@2x.png", 2);
        assertThat(doubled.getWidth()).isEqualTo(2 * picture.getWidth());
        assertThat(doubled.getHeight()).isEqualTo(2 * picture.getHeight());
        for (BufferedImage image : List.of(picture, doubled)) {
            int scale = image.getWidth() / picture.getWidth();
            assertThat(share(image, 0xffffff)).as("mostly white background").isGreaterThan(0.5);
            // The JVM's start, the context refresh and the runners: bars of the first depth's grey
            assertThat(count(image, STAGE)).as("pixels of top-level stages").isGreaterThan(3L * 12 * scale * scale);
            assertThat(count(image, CONDUCTOR)).as("pixels of Conductor's setup").isGreaterThan(12L * scale * scale);
            assertThat(count(image, ACTIVE_BAR)).as("pixels of the components' bars").isGreaterThan(4L * scale);
            assertThat(count(image, MARK)).as("pixels of the marks and their labels").isGreaterThan(20L * scale);
        }
    }

    @Test
    void theGraphRendersInChromium() throws Exception {
        BufferedImage screenshot = screenshot("/actuator/conductor?format=svg&view=graph", "graph.png");
        assertThat(count(screenshot, ACTIVE_BOX)).as("pixels of the four active boxes").isGreaterThan(4 * 1000);
    }

    /** Opens the address in headless Chromium at the size of the SVG and reads the screenshot. */
    private BufferedImage screenshot(String path, String name) throws Exception {
        return screenshot(path, name, 1);
    }

    /** The same at a device scale factor: the screenshot has {@code scale} times the pixels each way. */
    private BufferedImage screenshot(String path, String name, int scale) throws Exception {
        URI uri = URI.create("http://localhost:" + port + path);
        String svg = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher size = SIZE.matcher(svg);
        assertThat(size.find()).as("the SVG has a size: %s", svg).isTrue();
        int width = Integer.parseInt(size.group(1));
        int height = Integer.parseInt(size.group(2));

        Files.createDirectories(OUTPUT);
        Path png = OUTPUT.resolve(name).toAbsolutePath();
        Files.deleteIfExists(png);
        Path log = OUTPUT.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
                "--force-device-scale-factor=" + scale, "--window-size=" + width + "," + height, uri.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 90 s; see " + log.toAbsolutePath());
        }
        assertThat(png).as("screenshot written; Chromium's output is in %s", log.toAbsolutePath()).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width * scale);
        assertThat(image.getHeight()).isEqualTo(height * scale);
        return image;
    }

    private static double share(BufferedImage image, int rgb) {
        return (double) count(image, rgb) / ((long) image.getWidth() * image.getHeight());
    }

    /** Pixels within a small distance of the colour (antialiasing and colour management shift it a little). */
    private static long count(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                if (Math.abs(((pixel >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 6
                        && Math.abs(((pixel >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 6
                        && Math.abs((pixel & 0xff) - (rgb & 0xff)) <= 6) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String onPath(String executable) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, executable);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

}
