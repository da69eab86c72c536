package dev.conductor.spring.actuate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real application started the way an operator starts one, with {@link BufferingApplicationStartup}: readiness
 * while the components set up, the startup steps, and what stays hidden by default.
 */
class ConductorStartupIntegrationTests {

    private static final CountDownLatch setupStarted = new CountDownLatch(1);

    private static final CountDownLatch releaseSetup = new CountDownLatch(1);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusesTrafficWhileSettingUpRecordsStartupStepsAndKeepsDetailsPrivate() throws Exception {
        List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
        ApplicationListener<AvailabilityChangeEvent<?>> recorder = event -> {
            if (event.getState() instanceof ReadinessState state) {
                readiness.add(state);
            }
        };
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture
                .supplyAsync(() -> new SpringApplicationBuilder(HeldApplication.class)
                        .applicationStartup(new BufferingApplicationStartup(10_000))
                        .listeners(recorder)
                        .properties("server.port=0", "management.endpoints.web.exposure.include=health,startup",
                                "management.endpoint.health.show-components=always")
                        .run());
        try {
            assertThat(setupStarted.await(30, SECONDS)).as("the slow component's setup started").isTrue();
            assertThat(readiness).as("readiness while a component sets up")
                    .containsExactly(ReadinessState.REFUSING_TRAFFIC);
        }
        finally {
            releaseSetup.countDown();
        }
        try (ConfigurableApplicationContext context = starting.get(30, SECONDS)) {
            assertThat(readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
            String port = context.getEnvironment().getProperty("local.server.port");

            HttpResponse<String> ready = get(port, "/actuator/health/readiness");
            assertThat(ready.statusCode()).isEqualTo(200);

            HttpResponse<String> health = get(port, "/actuator/health/conductor");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).as("details are hidden unless show-details allows").isEqualTo("{\"status\":\"UP\"}");

            assertThat(get(port, "/actuator/conductor").statusCode()).as("not exposed by default").isEqualTo(404);

            HttpResponse<String> startup = get(port, "/actuator/startup");
            assertThat(startup.statusCode()).isEqualTo(200);
            List<JsonNode> steps = new ArrayList<>();
            JsonMapper.builder().build().readTree(startup.body()).at("/timeline/events")
                    .forEach(event -> steps.add(event.at("/startupStep")));
            assertThat(steps).filteredOn(step -> step.at("/name").asString().equals("conductor.setup"))
                    .singleElement()
                    .satisfies(step -> assertThat(step.at("/tags").toString()).contains("components", "\"4\""));
            assertThat(steps).filteredOn(step -> step.at("/name").asString().equals("conductor.component.setup"))
                    .extracting(step -> step.at("/tags/0/value").asString())
                    .containsExactlyInAnyOrder("database", "queue", "webApi", "slowCache");
        }
    }

    private HttpResponse<String> get(String port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderComponents.class)
    static class HeldApplication {

        @Bean
        @ConductorComponent
        Component slowCache() {
            return new Component() {
                @Override
                public void setup() throws InterruptedException {
                    setupStarted.countDown();
                    if (!releaseSetup.await(30, SECONDS)) {
                        throw new IllegalStateException("the test never released the setup");
                    }
                }
            };
        }
    }
}
