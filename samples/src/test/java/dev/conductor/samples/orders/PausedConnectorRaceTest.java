package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A valid order that Tomcat's connector reads just as the graceful shutdown pauses it is answered {@code 503} with a
 * problem detail and {@code Retry-After}, never Tomcat's {@code 400}: the race a CI run met under load (issue 22's
 * SIGTERM drill), forced here by a connector whose pause lands between Tomcat's two looks at it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "orders.processing-time=1ms" })
@DirtiesContext
class PausedConnectorRaceTest {

    private static final String ORDER = "{\"item\":\"espresso machine\",\"quantity\":1}";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orders.data-dir", () -> dataDir.toString());
    }

    @TestConfiguration
    static class PauseInBetween {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> pauseBetweenChecks() {
            return (factory) -> factory.setProtocol(PauseBetweenChecks.class.getName());
        }
    }

    /**
     * Tomcat's NIO protocol whose pause, once armed, lands right after the request processor's first look at it:
     * that look sees it running, every later one (the processor's second, after the request line) sees it paused.
     */
    public static class PauseBetweenChecks extends Http11NioProtocol {

        enum Pause { OFF, ARMED, PAUSED }

        static final AtomicReference<Pause> pause = new AtomicReference<>(Pause.OFF);

        @Override
        public boolean isPaused() {
            if (pause.get() == Pause.ARMED && calledByTheRequestProcessor()
                    && pause.compareAndSet(Pause.ARMED, Pause.PAUSED)) {
                return false;
            }
            return pause.get() == Pause.PAUSED || super.isPaused();
        }

        private static boolean calledByTheRequestProcessor() {
            return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                    .walk((frames) -> frames.skip(2).findFirst())
                    .map((frame) -> frame.getDeclaringClass() == Http11Processor.class)
                    .orElse(false);
        }
    }

    @LocalServerPort
    int port;

    @AfterEach
    void resume() {
        PauseBetweenChecks.pause.set(PauseBetweenChecks.Pause.OFF);
    }

    @Test
    void aValidOrderReadAsTheConnectorPausesIsRefusedWith503NotTomcats400() throws IOException {
        assertThat(statusLine(exchange(post(true)))).as("before the pause").isEqualTo("HTTP/1.1 202");

        PauseBetweenChecks.pause.set(PauseBetweenChecks.Pause.ARMED);
        String answer = exchange(post(true));

        assertThat(PauseBetweenChecks.pause.get()).as("the pause landed between the two looks")
                .isEqualTo(PauseBetweenChecks.Pause.PAUSED);
        assertThat(statusLine(answer)).as(answer).isEqualTo("HTTP/1.1 503");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json")
                .containsIgnoringCase("Retry-After: " + OrderApiErrors.RETRY_AFTER)
                .containsIgnoringCase("Connection: close")
                .contains("\"status\":503", "\"instance\":\"/orders\"", WebApi.CLOSED_FOR_READS)
                .doesNotContain("HTTP Status 400");
    }

    @Test
    void aRequestWithoutHostWhileTheConnectorRunsIsStillTomcats400() throws IOException {
        String answer = exchange(post(false));

        assertThat(statusLine(answer)).as(answer).isEqualTo("HTTP/1.1 400");
        assertThat(answer).doesNotContain("application/problem+json");
    }

    private static String post(boolean withHost) {
        return "POST /orders HTTP/1.1\r\n" + (withHost ? "Host: 127.0.0.1\r\n" : "")
                + "Content-Type: application/json\r\nContent-Length: " + ORDER.length()
                + "\r\nConnection: close\r\n\r\n" + ORDER;
    }

    /** Sends one request on a connection of its own and reads the answer until the server closes it. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String answer) {
        int end = answer.indexOf("\r\n");
        return (end < 0 ? answer : answer.substring(0, end)).strip();
    }
}
