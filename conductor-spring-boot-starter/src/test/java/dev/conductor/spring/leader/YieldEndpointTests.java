package dev.conductor.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Component;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LeaderOnly;
import dev.conductor.core.Leadership;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorLeadership;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /actuator/conductor/roles/{role}} in real web applications, under the access rules of the restart
 * operation. The application's own {@link LeaderElection} bean (a standalone one, which grants the role again at
 * once after a yield) replaces Spring Integration's.
 */
class YieldEndpointTests {

    private static final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Standalone.class).web(WebApplicationType.SERVLET)
                .properties("server.port=0", "management.endpoints.web.exposure.include=conductor,health",
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

    private static Leadership outbox(ConfigurableApplicationContext context) {
        return context.getBean(ConductorLeadership.class).of("outbox");
    }

    @Test
    void theDefaultReadOnlyAccessRefusesToGiveARoleUp() throws Exception {
        try (ConfigurableApplicationContext context = run()) {
            await().until(() -> outbox(context).status().state() == Leadership.State.LEADER);
            HttpResponse<String> response = post(context, "local.server.port", "/actuator/conductor/roles/outbox");
            assertThat(response.statusCode()).isBetween(400, 499);
            assertThat(outbox(context).status().yields()).isZero();
            assertThat(outbox(context).fencingToken()).isEqualTo(1);
        }
    }

    @Test
    void unrestrictedAccessGivesTheRoleUpAndTheJsonShowsTheRoles() throws Exception {
        try (ConfigurableApplicationContext context = run("management.endpoint.conductor.access=unrestricted",
                "management.server.port=0")) {
            await().until(() -> outbox(context).status().state() == Leadership.State.LEADER);
            HttpResponse<String> response = post(context, "local.management.port",
                    "/actuator/conductor/roles/outbox");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JsonMapper.builder().build().readTree(response.body());
            assertThat(body.at("/roles/0/role").asString()).isEqualTo("outbox");
            assertThat(body.at("/components").valueStream()
                    .filter(component -> component.at("/name").asString().equals("relay")).findFirst()
                    .orElseThrow().at("/leaderOnly").asString()).isEqualTo("outbox");
            // standalone: the role is granted again at once, with the next token
            await().until(() -> outbox(context).status().state() == Leadership.State.LEADER
                    && outbox(context).fencingToken() == 2);
            assertThat(outbox(context).status().yields()).isEqualTo(1);

            HttpResponse<String> unknown = post(context, "local.management.port", "/actuator/conductor/roles/inbox");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("No component is leader-only for role 'inbox'. Known roles: [outbox]");
            HttpResponse<String> section = post(context, "local.management.port", "/actuator/conductor/rolez/outbox");
            assertThat(section.statusCode()).isEqualTo(404);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Standalone {

        @Bean
        LeaderElection leaderElection() {
            return LeaderElection.standalone();
        }

        @Bean
        @ConductorComponent
        Component database() {
            return new Component() { };
        }

        @Bean
        @ConductorComponent
        @LeaderOnly("outbox")
        Component relay(Component database) {
            return new Component() { };
        }
    }
}
