package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** In a servlet application, components are active before the server accepts connections, and go down after. */
class WebServerOrderingTests {

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

    @ConductorComponent
    static class Database implements Component {

        @Override
        public void setup() {
            OBSERVED.add("database setup, server accepting: " + accepting());
        }

        @Override
        public void shutdown() {
            OBSERVED.add("database shutdown, server accepting: " + accepting());
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
            OBSERVED.add("api shutdown, server accepting: " + accepting());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Database.class, WebApi.class })
    static class WebApplication {
    }

    @Test
    void componentsAreActiveBeforeTheServerAcceptsConnectionsAndShutDownAfterItRefusesThem() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        OBSERVED.clear();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
                .web(WebApplicationType.SERVLET).properties("server.port=" + port).run();
        assertThat(accepting()).isTrue();
        assertThat(OBSERVED).containsExactly("database setup, server accepting: false",
                "api setup, server accepting: false");
        context.close();
        assertThat(OBSERVED).containsExactly("database setup, server accepting: false",
                "api setup, server accepting: false", "api shutdown, server accepting: false",
                "database shutdown, server accepting: false");
    }
}
