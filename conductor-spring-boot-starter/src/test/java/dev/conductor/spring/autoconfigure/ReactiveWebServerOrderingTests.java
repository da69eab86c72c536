package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * In a reactive application on Netty, as in a servlet one: components are active before the server accepts
 * connections and go down after it stopped; the application refuses traffic while they set up and accepts it
 * once it is ready.
 */
class ReactiveWebServerOrderingTests {

    static final List<String> OBSERVED = new CopyOnWriteArrayList<>();

    static volatile int port;

    static boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }

    /**
     * Whether the server still accepts connections once it has been stopped. Reactor Netty closes its listening
     * channel on its event loop, so a connection can still get through for a moment after the server's stop has
     * returned (seen once on JDK 25 under CI): allow it that moment, a second at most, before calling it accepting.
     */
    static boolean stillAcceptingAfterStop() {
        long giveUp = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (accepting()) {
            if (System.nanoTime() - giveUp > 0) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @ConductorComponent
    static class Database implements Component {

        private final ApplicationAvailability availability;

        Database(ApplicationAvailability availability) {
            this.availability = availability;
        }

        @Override
        public void setup() {
            OBSERVED.add("database setup, server accepting: " + accepting() + ", readiness: "
                    + availability.getReadinessState());
        }

        @Override
        public void shutdown() {
            OBSERVED.add("database shutdown, server accepting: " + stillAcceptingAfterStop());
        }
    }

    @ConductorComponent
    static class WebApi implements Component {

        WebApi(Database database) {
        }

        @Override
        public void setup() {
            OBSERVED.add("api setup, server accepting: " + accepting());
        }

        @Override
        public void shutdown() {
            OBSERVED.add("api shutdown, server accepting: " + stillAcceptingAfterStop());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Database.class, WebApi.class })
    static class ReactiveApplication {

        @Bean
        RouterFunction<ServerResponse> hello() {
            return RouterFunctions.route().GET("/hello", request -> ServerResponse.ok().bodyValue("hello")).build();
        }
    }

    @Test
    void componentsAreActiveBeforeNettyAcceptsConnectionsAndShutDownAfterItStopped() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        OBSERVED.clear();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ReactiveApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.port=" + port, "management.endpoint.health.probes.enabled=true")
                .run();
        try {
            assertThat(context).isInstanceOf(ReactiveWebServerApplicationContext.class);
            assertThat(((ReactiveWebServerApplicationContext) context).getWebServer().getClass().getSimpleName())
                    .isEqualTo("NettyWebServer");
            assertThat(OBSERVED).containsExactly(
                    "database setup, server accepting: false, readiness: " + ReadinessState.REFUSING_TRAFFIC,
                    "api setup, server accepting: false");
            assertThat(get("/hello").body()).isEqualTo("hello");
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"status\":\"UP\"");
            assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                    .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        }
        finally {
            context.close();
        }
        assertThat(OBSERVED).containsExactly(
                "database setup, server accepting: false, readiness: " + ReadinessState.REFUSING_TRAFFIC,
                "api setup, server accepting: false", "api shutdown, server accepting: false",
                "database shutdown, server accepting: false");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
