package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.boot.SpringBootConfiguration;
import java.util.List;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real web application with Actuator: every operation check goes over HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,conductor,metrics",
        "management.endpoint.health.show-details=always",
        "conductor.readiness.check-interval=1h" })
@AutoConfigureTestRestTemplate
class ConductorActuatorIntegrationTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private OrderComponents.Database database;

    @Autowired
    private ConductorReadiness readiness;

    @Test
    void healthShowsEveryComponentWithItsStateSetupDurationAndOwnHealth() {
        JsonNode health = get("/actuator/health", HttpStatus.OK);
        assertThat(health.at("/status").asString()).isEqualTo("UP");
        JsonNode conductor = health.at("/components/conductor");
        assertThat(conductor.at("/status").asString()).isEqualTo("UP");
        JsonNode database = conductor.at("/details/components/database");
        assertThat(database.at("/state").asString()).isEqualTo("ACTIVE");
        assertThat(database.at("/setupDurationMs").isNumber()).isTrue();
        assertThat(database.at("/health/status").asString()).isEqualTo("UP");
        assertThat(database.at("/health/details/pool").asString()).isEqualTo("open");
        assertThat(conductor.at("/details/components/webApi/state").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void probesAreUpOnceTheComponentsAreActive() {
        assertThat(get("/actuator/health/readiness", HttpStatus.OK).at("/status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness", HttpStatus.OK).at("/status").asString()).isEqualTo("UP");
    }

    @Test
    void aComponentThatIsDownTakesTheApplicationOutOfTrafficButLeavesItLive() {
        try {
            database.reports(Health.down().withDetail("ping", "timed out").build());
            readiness.check();
            assertThat(get("/actuator/health/conductor", HttpStatus.SERVICE_UNAVAILABLE).at("/status").asString())
                    .isEqualTo("DOWN");
            assertThat(get("/actuator/health/readiness", HttpStatus.SERVICE_UNAVAILABLE).at("/status").asString())
                    .isEqualTo("OUT_OF_SERVICE");
            assertThat(get("/actuator/health/liveness", HttpStatus.OK).at("/status").asString()).isEqualTo("UP");
        }
        finally {
            database.reports(Health.up().withDetail("pool", "open").build());
            readiness.check();
        }
        assertThat(get("/actuator/health/readiness", HttpStatus.OK).at("/status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/conductor", HttpStatus.OK).at("/status").asString()).isEqualTo("UP");
    }

    @Test
    void conductorEndpointDescribesTheComponentsAsJson() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.at("/active").asBoolean()).isTrue();
        assertThat(body.at("/setupTimeMs").isNumber()).isTrue();
        assertThat(body.at("/tiers").toString()).isEqualTo("[[\"database\",\"queue\"],[\"webApi\"]]");
        assertThat(body.at("/criticalPath").size()).isEqualTo(2);
        assertThat(body.at("/criticalPath/1").asString()).isEqualTo("webApi");
        JsonNode webApi = body.at("/components/2");
        assertThat(webApi.at("/name").asString()).isEqualTo("webApi");
        assertThat(webApi.at("/state").asString()).isEqualTo("ACTIVE");
        assertThat(webApi.at("/tier").asInt()).isEqualTo(1);
        assertThat(webApi.at("/dependencies").toString()).contains("\"database\"", "\"queue\"");
        assertThat(webApi.at("/setupStartMs").isNumber()).isTrue();
        assertThat(webApi.at("/setupDurationMs").isNumber()).isTrue();
        assertThat(webApi.path("shutdownDurationMs").isNumber()).as("no shutdown yet").isFalse();
    }

    @Test
    void conductorEndpointRendersTheGraphAsMermaid() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=mermaid", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        assertThat(response.getBody()).startsWith("flowchart").contains("[\"webApi\"]", "-->");
    }

    @Test
    void conductorEndpointRendersTheGraphAsDot() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=dot", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        assertThat(response.getBody()).startsWith("digraph conductor").contains("\"webApi\" -> \"database\";",
                "\"webApi\" -> \"queue\";");
    }

    @Test
    void conductorEndpointRejectsAnUnknownFormat() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=png", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody()).isEqualTo("Unknown format 'png': use json, mermaid, dot or svg");
    }

    @Test
    void conductorEndpointDrawsTheSetupTimelineAsSvgForABrowser() {
        HttpHeaders headers = new HttpHeaders();
        // What Chromium sends when it opens the address
        headers.set(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                + "image/webp,image/apng,*/*;q=0.8");
        ResponseEntity<String> response = rest.exchange("/actuator/conductor?format=svg", HttpMethod.GET,
                new HttpEntity<>(headers), String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.valueOf("image/svg+xml")))
                .as("%s", response.getHeaders().getContentType()).isTrue();
        List<String> bars = Svg.tooltips(Svg.parse(response.getBody()), "rect", "bar");
        assertThat(bars).hasSize(3);
        assertThat(bars.get(2)).startsWith("webApi: tier 1");
    }

    @Test
    void conductorEndpointDrawsTheGraphAsSvg() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=svg&view=graph",
                String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.valueOf("image/svg+xml")))
                .isTrue();
        assertThat(Svg.tooltips(Svg.parse(response.getBody()), "rect", "node")).hasSize(3);
        ResponseEntity<String> unknown = rest.getForEntity("/actuator/conductor?format=svg&view=pie", String.class);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void conductorEndpointIsReadOnly() {
        ResponseEntity<String> response = rest.postForEntity("/actuator/conductor", null, String.class);
        assertThat(response.getStatusCode().is4xxClientError()).isTrue();
    }

    @Test
    void setupTimersAreTaggedWithComponentAndOutcome() {
        JsonNode setup = get("/actuator/metrics/conductor.component.setup", HttpStatus.OK);
        assertThat(setup.at("/availableTags").toString()).contains("\"component\"", "\"database\"", "\"webApi\"",
                "\"outcome\"", "\"success\"");
        JsonNode count = get("/actuator/metrics/conductor.component.setup?tag=component:webApi&tag=outcome:success",
                HttpStatus.OK).at("/measurements/0");
        assertThat(count.at("/statistic").asString()).isEqualTo("COUNT");
        assertThat(count.at("/value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void activeComponentsAreAGauge() {
        assertThat(get("/actuator/metrics/conductor.components.active", HttpStatus.OK).at("/measurements/0/value")
                .asDouble()).isEqualTo(3.0);
    }

    @Test
    void theObservationOfTheSetupIsTimed() {
        assertThat(get("/actuator/metrics/conductor.setup", HttpStatus.OK).at("/measurements/0/value").asDouble())
                .isEqualTo(1.0);
    }

    private JsonNode get(String path, HttpStatus expected) {
        ResponseEntity<String> response = rest.getForEntity(path, String.class);
        assertThat(response.getStatusCode()).as("GET %s: %s", path, response.getBody()).isEqualTo(expected);
        return json.readTree(response.getBody());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderComponents.class)
    static class OrderService {
    }
}
