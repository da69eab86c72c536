package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.conductor.core.Leadership;
import dev.conductor.spring.ConductorLeadership;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's operations endpoints over real HTTP, with the real database and broker in a temporary data
 * directory: the {@code conductor} health contributor with each component's own check, the readiness probe and
 * the {@code conductor} endpoint in its three formats. Only the sample's {@code application.properties} exposes
 * them; the test adds nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "orders.processing-time=10ms")
@AutoConfigureTestRestTemplate
// Closes the broker and the database before the temporary directory is deleted
@DirtiesContext
class OperationsEndpointsTest {

    private static final List<String> COMPONENTS = List.of("database", "messageQueue", "webApi", "backgroundWorkers",
            "outboxRelay");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orders.data-dir", () -> dataDir.toString());
    }

    @Autowired
    TestRestTemplate rest;

    @Autowired
    ApplicationContext context;

    @Autowired
    ConductorLeadership leaderships;

    /** The single instance leads 'outbox' at once, and sets outboxRelay up right after the other components. */
    @BeforeEach
    void awaitTheOutboxRelay() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> leaderships.of("outbox").status().state() == Leadership.State.LEADER);
    }

    @Test
    void healthShowsTheComponentsAndTheirOwnChecks() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/health", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext health = JsonPath.parse(response.getBody());
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.groups", List.class)).contains("liveness", "readiness");

        assertThat(health.read("$.components.conductor.status", String.class)).isEqualTo("UP");
        Map<String, Object> components = health.read("$.components.conductor.details.components");
        assertThat(components).containsOnlyKeys(COMPONENTS);
        for (String component : COMPONENTS) {
            String path = "$.components.conductor.details.components." + component;
            assertThat(health.read(path + ".state", String.class)).as(component).isEqualTo("ACTIVE");
            assertThat(health.read(path + ".status", String.class)).as(component).isEqualTo("UP");
            assertThat(health.read(path + ".setupDurationMs", Long.class)).as(component).isNotNegative();
        }

        String database = "$.components.conductor.details.components.database.health";
        assertThat(health.read(database + ".status", String.class)).isEqualTo("UP");
        assertThat(health.read(database + ".details.pool", String.class)).isEqualTo("orders-db");
        assertThat(health.read(database + ".details.database", String.class)).startsWith("H2 ");
        assertThat(health.read(database + ".details.maxConnections", Integer.class)).isEqualTo(10);
        assertThat(health.read(database + ".details.orphanMessages", Long.class)).isZero();

        String queue = "$.components.conductor.details.components.messageQueue.health";
        assertThat(health.read(queue + ".status", String.class)).isEqualTo("UP");
        assertThat(health.read(queue + ".details.broker", String.class)).isEqualTo("orders-broker");
        assertThat(health.read(queue + ".details.queue", String.class)).isEqualTo("orders");
        assertThat(health.read(queue + ".details.messageCount", Long.class)).isNotNegative();
        // Each of the two workers holds a receiver on the queue
        assertThat(health.read(queue + ".details.consumerCount", Integer.class)).isEqualTo(2);

        // The components that have no check of their own are simply UP
        assertThat(components.get("webApi")).asInstanceOf(
                MAP).doesNotContainKey("health");
    }

    @Test
    void theQueueHealthCountsTheOrdersSubmitted() {
        long before = messagesAdded();
        ResponseEntity<Order> submitted = rest.postForEntity("/orders", new OrderRequest("health check", 1),
                Order.class);
        assertThat(submitted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(messagesAdded()).isEqualTo(before + 1));
    }

    @Test
    void bootAddsNoHealthOfItsOwnForTheDatabaseOrTheBroker() {
        // No DataSource, Flyway, JMS or connection factory beans: the components own those resources
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ConnectionFactory.class)).isEmpty();
        DocumentContext health = JsonPath.parse(rest.getForObject("/actuator/health", String.class));
        Map<String, Object> contributors = health.read("$.components");
        assertThat(contributors).containsKey("conductor").doesNotContainKeys("db", "dataSource", "jms", "flyway");
    }

    @Test
    void readinessAndLivenessAreUpOnceStarted() {
        ResponseEntity<String> readiness = rest.getForEntity("/actuator/health/readiness", String.class);
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(readiness.getBody()).read("$.status", String.class)).isEqualTo("UP");
        ResponseEntity<String> liveness = rest.getForEntity("/actuator/health/liveness", String.class);
        assertThat(liveness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(liveness.getBody()).read("$.status", String.class)).isEqualTo("UP");
    }

    @Test
    void conductorEndpointDescribesComponentsTiersAndCriticalPath() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)
                || response.getHeaders().getContentType().getSubtype().endsWith("+json")).isTrue();
        DocumentContext conductor = JsonPath.parse(response.getBody());
        assertThat(conductor.read("$.active", Boolean.class)).isTrue();
        assertThat(conductor.read("$.setupTimeMs", Long.class)).isNotNegative();

        List<List<String>> tiers = conductor.read("$.tiers");
        assertThat(tiers).hasSize(2);
        assertThat(tiers.get(0)).containsExactlyInAnyOrder("database", "messageQueue");
        assertThat(tiers.get(1)).containsExactlyInAnyOrder("webApi", "backgroundWorkers", "outboxRelay");

        // The critical path runs from a tier-0 component to a tier-1 component that depends on it
        List<String> criticalPath = conductor.read("$.criticalPath");
        assertThat(criticalPath).hasSize(2);
        assertThat(criticalPath.get(0)).isIn("database", "messageQueue");
        // (or outboxRelay, set up once the role is granted, after the others: then it ends the path)
        assertThat(criticalPath.get(1)).isIn("webApi", "backgroundWorkers", "outboxRelay");

        assertThat(conductor.read("$.components[*].name", List.class))
                .containsExactlyInAnyOrderElementsOf(COMPONENTS);
        for (String component : COMPONENTS) {
            String path = "$.components[?(@.name == '" + component + "')]";
            assertThat(conductor.read(path + ".state", List.class)).as(component).containsExactly("ACTIVE");
            assertThat(conductor.read(path + ".setupDurationMs", List.class)).as(component).hasSize(1);
        }
        for (String dependent : List.of("webApi", "backgroundWorkers")) {
            List<List<String>> dependencies = conductor.read(
                    "$.components[?(@.name == '" + dependent + "')].dependencies");
            assertThat(dependencies).singleElement().asInstanceOf(
                    LIST)
                    .containsExactlyInAnyOrder("database", "messageQueue");
            assertThat(conductor.read("$.components[?(@.name == '" + dependent + "')].tier", List.class))
                    .containsExactly(1);
        }
    }

    @Test
    void conductorEndpointRendersTheGraphAsMermaid() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=mermaid", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        String mermaid = response.getBody();
        assertThat(mermaid).startsWith("flowchart TD\n");
        for (String component : COMPONENTS) {
            assertThat(mermaid).contains("[\"" + component + "\"]");
        }
        // Five edges: each of webApi and backgroundWorkers to each of the two tier-0 components, outboxRelay to
        // database
        assertThat(mermaid.lines().filter(line -> line.contains(" --> "))).hasSize(5);
        assertThat(edge(mermaid, "outboxRelay", "database")).isTrue();
        assertThat(edge(mermaid, "webApi", "database")).isTrue();
        assertThat(edge(mermaid, "webApi", "messageQueue")).isTrue();
        assertThat(edge(mermaid, "backgroundWorkers", "database")).isTrue();
        assertThat(edge(mermaid, "backgroundWorkers", "messageQueue")).isTrue();
        assertThat(edge(mermaid, "database", "messageQueue")).isFalse();
    }

    @Test
    void conductorEndpointRendersTheGraphAsDot() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=dot", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        assertThat(response.getBody()).startsWith("digraph conductor {")
                .contains("\"webApi\" -> \"database\";", "\"webApi\" -> \"messageQueue\";",
                        "\"backgroundWorkers\" -> \"database\";", "\"backgroundWorkers\" -> \"messageQueue\";")
                .endsWith("}\n");
    }

    @Test
    void conductorEndpointRejectsAnUnknownFormat() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=png", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void conductorEndpointDrawsTheSetupAsAnSvgTimeline() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/conductor?format=svg", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.valueOf("image/svg+xml")))
                .isTrue();
        String svg = response.getBody();
        assertThat(svg).startsWith("<?xml").contains("<svg xmlns=\"http://www.w3.org/2000/svg\"",
                "Setup of 5 components in").doesNotContain("<script");
        for (String component : COMPONENTS) {
            assertThat(svg).contains("<title>" + component + ": tier ");
        }
        ResponseEntity<String> graph = rest.getForEntity("/actuator/conductor?format=svg&view=graph", String.class);
        assertThat(graph.getBody()).contains("Dependency graph: 5 components in 2 tiers");
    }

    private long messagesAdded() {
        return JsonPath.parse(rest.getForObject("/actuator/health", String.class))
                .read("$.components.conductor.details.components.messageQueue.health.details.messagesAdded",
                        Long.class);
    }

    /** Whether the Mermaid text has an arrow from the node labelled {@code from} to the one labelled {@code to}. */
    private static boolean edge(String mermaid, String from, String to) {
        return mermaid.contains(" " + node(mermaid, from) + " --> " + node(mermaid, to) + "\n");
    }

    private static String node(String mermaid, String name) {
        return mermaid.lines().filter(line -> line.endsWith("[\"" + name + "\"]")).findFirst()
                .map(line -> line.strip().substring(0, line.strip().indexOf('[')))
                .orElseThrow(() -> new AssertionError("No node for " + name + " in\n" + mermaid));
    }
}
