package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.actuate.SupervisionApplicationTests.Broker;
import dev.conductor.spring.actuate.SupervisionApplicationTests.Consumer;
import dev.conductor.spring.actuate.SupervisionApplicationTests.Restarting;
import dev.conductor.spring.actuate.SupervisionApplicationTests.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The endpoint's restart operation over HTTP in real web applications, under Boot's endpoint access rules. */
class RestartEndpointTests {

    private static final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Restarting.class).web(WebApplicationType.SERVLET)
                .properties("server.port=0", "management.endpoints.web.exposure.include=conductor",
                        "conductor.readiness.check-interval=1h")
                .properties(properties).run();
    }

    private static HttpResponse<String> post(ConfigurableApplicationContext context, String portProperty,
            String path) throws Exception {
        String port = context.getEnvironment().getProperty(portProperty);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDefaultReadOnlyAccessRefusesARestart() throws Exception {
        try (ConfigurableApplicationContext context = run()) {
            HttpResponse<String> response = post(context, "local.server.port", "/actuator/conductor/broker");
            assertThat(response.statusCode()).isBetween(400, 499);
            assertThat(context.getBean(Broker.class).setups).hasValue(1);
            assertThat(context.getBean(Consumer.class).setups).hasValue(1);
        }
    }

    @Test
    void unrestrictedAccessOnAManagementPortRestartsTheComponentWithItsDependents() throws Exception {
        try (ConfigurableApplicationContext context = run("management.endpoint.conductor.access=unrestricted",
                "management.server.port=0")) {
            HttpResponse<String> response = post(context, "local.management.port", "/actuator/conductor/broker");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JsonMapper.builder().build().readTree(response.body());
            assertThat(body.at("/active").asBoolean()).isTrue();
            assertThat(body.at("/components").valueStream()
                    .filter(component -> component.at("/name").asString().equals("broker")).findFirst()
                    .orElseThrow().at("/restarts").asInt()).isEqualTo(1);
            assertThat(context.getBean(Broker.class).setups).hasValue(2);
            assertThat(context.getBean(Broker.class).shutdowns).hasValue(1);
            assertThat(context.getBean(Consumer.class).setups).hasValue(2);
            assertThat(context.getBean(Store.class).setups).hasValue(1);
            assertThat(context.getBean(Store.class).shutdowns).hasValue(0);

            HttpResponse<String> unknown = post(context, "local.management.port", "/actuator/conductor/brokr");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).startsWith("No component named 'brokr'. Known components: [");
        }
    }
}
