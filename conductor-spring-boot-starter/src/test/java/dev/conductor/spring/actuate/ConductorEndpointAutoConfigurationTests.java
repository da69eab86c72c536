package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.actuate.ConductorEndpoint.ComponentDescriptor;
import dev.conductor.spring.actuate.ConductorEndpoint.ConductorDescriptor;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.util.List;
import org.w3c.dom.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.MimeTypeUtils;

class ConductorEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorEndpointAutoConfiguration.class))
            .withUserConfiguration(OrderComponents.class);

    @Test
    void endpointIsNotAvailableUnlessExposed() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(ConductorEndpoint.class)
                .doesNotHaveBean(ConductorEndpointWebExtension.class));
    }

    @Test
    void endpointAndWebExtensionAreAvailableWhenExposedOverHttp() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor")
                .run(context -> assertThat(context).hasSingleBean(ConductorEndpoint.class)
                        .hasSingleBean(ConductorEndpointWebExtension.class));
    }

    @Test
    void endpointIsAvailableWithoutTheWebExtensionWhenExposedOverJmx() {
        contextRunner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=conductor")
                .run(context -> assertThat(context).hasSingleBean(ConductorEndpoint.class)
                        .doesNotHaveBean(ConductorEndpointWebExtension.class));
    }

    @Test
    void endpointIsNotAvailableWhenAccessIsNone() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor",
                "management.endpoint.conductor.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(ConductorEndpoint.class));
    }

    @Test
    void endpointIsNotConfiguredWithoutActuator() {
        contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=conductor")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConductorEndpoint.class));
    }

    @Test
    void endpointBacksOffWhenTheUserDefinesOne() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor")
                .withUserConfiguration(UserEndpoint.class)
                .run(context -> assertThat(context).hasSingleBean(ConductorEndpoint.class).hasBean("myEndpoint"));
    }

    @Test
    void endpointDescribesComponentsDependenciesTiersDurationsAndTheCriticalPath() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            ConductorDescriptor descriptor = context.getBean(ConductorEndpoint.class).conductor();
            assertThat(descriptor.active()).isTrue();
            assertThat(descriptor.setupTimeMs()).isNotNull();
            assertThat(descriptor.tiers()).containsExactly(List.of("database", "queue"), List.of("webApi"));
            assertThat(descriptor.criticalPath()).hasSize(2).endsWith("webApi");
            assertThat(descriptor.components()).extracting(ComponentDescriptor::name)
                    .containsExactly("database", "queue", "webApi");
            ComponentDescriptor webApi = descriptor.components().get(2);
            assertThat(webApi.state()).isEqualTo("ACTIVE");
            assertThat(webApi.tier()).isEqualTo(1);
            assertThat(webApi.dependencies()).containsExactlyInAnyOrder("database", "queue");
            assertThat(webApi.setupStartMs()).isNotNull();
            assertThat(webApi.setupDurationMs()).isNotNull();
            assertThat(webApi.shutdownDurationMs()).isNull();
            assertThat(webApi.failure()).isNull();
            assertThat(webApi.setupAttempts()).isEqualTo(1);
        });
    }

    @Test
    void endpointReportsShutdownDurationsOnceTheComponentsAreDown() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            context.getBean(ConductorLifecycle.class).stop();
            ConductorDescriptor descriptor = context.getBean(ConductorEndpoint.class).conductor();
            assertThat(descriptor.active()).isFalse();
            assertThat(descriptor.components()).allSatisfy(component -> {
                assertThat(component.state()).isEqualTo("STOPPED");
                assertThat(component.shutdownDurationMs()).isNotNull();
            });
        });
    }

    @Test
    void webExtensionRendersTheGraphAsMermaidOrDot() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            ConductorEndpointWebExtension extension = context.getBean(ConductorEndpointWebExtension.class);
            WebEndpointResponse<Object> mermaid = extension.conductor("mermaid", null);
            assertThat(mermaid.getContentType()).isEqualTo(MimeTypeUtils.TEXT_PLAIN);
            assertThat((String) mermaid.getBody()).startsWith("flowchart").contains("\"webApi\"", "-->");
            WebEndpointResponse<Object> dot = extension.conductor("DOT", null);
            assertThat((String) dot.getBody()).startsWith("digraph").contains("\"webApi\" -> \"database\"");
            assertThat(extension.conductor(null, null).getBody()).isInstanceOf(ConductorDescriptor.class);
            assertThat(extension.conductor("json", null).getBody()).isInstanceOf(ConductorDescriptor.class);
        });
    }

    @Test
    void webExtensionAnswersBadRequestToAnUnknownFormat() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            WebEndpointResponse<Object> response = context.getBean(ConductorEndpointWebExtension.class)
                    .conductor("png", null);
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getBody()).isEqualTo("Unknown format 'png': use json, mermaid, dot or svg");
        });
    }

    @Test
    void webExtensionDrawsTheSetupTimelineAsSvgByDefault() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            WebEndpointResponse<Object> response = context.getBean(ConductorEndpointWebExtension.class)
                    .conductor("svg", null);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentType()).hasToString("image/svg+xml");
            Document svg = Svg.parse((String) response.getBody());
            assertThat(Svg.tooltips(svg, "rect", "bar")).hasSize(3)
                    .allSatisfy(tooltip -> assertThat(tooltip).contains("setup", "active"));
            assertThat(Svg.tooltips(svg, "rect", "bar").get(2)).startsWith("webApi: tier 1");
        });
    }

    @Test
    void webExtensionDrawsTheShutdownTimelineAndTheGraph() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            ConductorEndpointWebExtension extension = context.getBean(ConductorEndpointWebExtension.class);
            assertThat(Svg.tooltips(Svg.parse((String) extension.conductor("svg", "shutdown").getBody()), "rect",
                    "bar")).as("nothing shut down yet").isEmpty();
            context.getBean(ConductorLifecycle.class).stop();
            WebEndpointResponse<Object> shutdown = extension.conductor("SVG", " Shutdown ");
            assertThat(shutdown.getContentType()).hasToString("image/svg+xml");
            List<String> bars = Svg.tooltips(Svg.parse((String) shutdown.getBody()), "rect", "bar");
            assertThat(bars).hasSize(3).first().asString().startsWith("webApi: tier 1");
            WebEndpointResponse<Object> graph = extension.conductor("svg", "graph");
            assertThat(graph.getContentType()).hasToString("image/svg+xml");
            assertThat(Svg.tooltips(Svg.parse((String) graph.getBody()), "rect", "node")).hasSize(3);
        });
    }

    @Test
    void webExtensionAnswersBadRequestToAnUnknownView() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            WebEndpointResponse<Object> response = context.getBean(ConductorEndpointWebExtension.class)
                    .conductor("svg", "pie");
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getBody()).isEqualTo("Unknown view 'pie': use timeline, shutdown, graph or boot");
        });
    }

    @Test
    void webExtensionAnswersNotFoundForTheWholeStartOfAContextNotStartedBySpringApplication() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=conductor").run(context -> {
            WebEndpointResponse<Object> response = context.getBean(ConductorEndpointWebExtension.class)
                    .conductor("svg", "boot");
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getBody()).isEqualTo("The application's start was not recorded: the picture of the"
                    + " whole start needs an application started with SpringApplication.");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpoint {

        @Bean
        ConductorEndpoint myEndpoint(ConductorLifecycle lifecycle) {
            return new ConductorEndpoint(lifecycle);
        }
    }
}
