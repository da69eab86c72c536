package dev.conductor.spring.blackbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.core.BootTimeline;
import dev.conductor.core.Component;
import dev.conductor.core.Conductor;
import dev.conductor.spring.ConductorComponent;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Black-box: the whole-start picture's log line, BufferingApplicationStartup, and the plain BootTimeline API. */
@ExtendWith(OutputCaptureExtension.class)
class WholeBootExtrasBlackBoxTests {

    ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    static class XDb implements Component {
        public void setup() throws Exception { Thread.sleep(30); }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        @ConductorComponent
        XDb xDb() { return new XDb(); }
    }

    static void wellFormed(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        assertThat(factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement().getLocalName()).isEqualTo("svg");
    }

    @Test
    void readyIsLoggedInOneLine(CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        context = app.run("--spring.main.banner-mode=off");
        // the JVM's first SpringApplication run counts from the JVM's start, a later one (another test class's
        // before this one, in the same JVM) from its own run
        assertThat(output.getOut()).containsPattern("Conductor: ready [0-9.]+ s after (the JVM's start: JVM start to"
                + " SpringApplication.run|its SpringApplication.run: environment and context prepared) [0-9.]+ s");
    }

    @Test
    void withBufferingApplicationStartupThePictureAndTheStartupEndpointBothWork() throws Exception {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        BufferingApplicationStartup startup = new BufferingApplicationStartup(4096);
        app.setApplicationStartup(startup);
        context = app.run("--server.port=0", "--spring.main.banner-mode=off",
                "--management.endpoints.web.exposure.include=conductor,startup");
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> svg = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/conductor?format=svg&view=boot")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(svg.statusCode()).isEqualTo(200);
        wellFormed(svg.body());
        assertThat(svg.body()).contains("context refresh", "bean creation", "lifecycle start", "xDb", "ready");
        HttpResponse<String> steps = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/startup")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(steps.statusCode()).isEqualTo(200);
        assertThat(steps.body()).contains("spring.context.refresh", "spring.beans.instantiate");
    }

    @Test
    void plainBootTimelineApi() throws Exception {
        Conductor conductor = new Conductor();
        conductor.add(XDb.class);
        conductor.setup();
        try {
            BootTimeline boot = BootTimeline.builder()
                    .stage("context refresh", Duration.ofMillis(610), Duration.ofMillis(2480), 0)
                    .stage("bean creation", Duration.ofMillis(700), Duration.ofMillis(1900), 1)
                    .stage("JVM start to SpringApplication.run", Duration.ZERO, Duration.ofMillis(400), 0)
                    .setup(conductor.report(), Duration.ofMillis(1910))
                    .mark("ready", Duration.ofMillis(2530))
                    .mark("JVM start", Duration.ZERO)
                    .build();
            assertThat(boot.stages()).extracting(BootTimeline.Stage::name)
                    .containsExactly("JVM start to SpringApplication.run", "context refresh", "bean creation");
            assertThat(boot.marks()).extracting(BootTimeline.Mark::name).containsExactly("JVM start", "ready");
            assertThat(boot.setupStart()).isEqualTo(Duration.ofMillis(1910));
            assertThat(boot.span()).isGreaterThanOrEqualTo(Duration.ofMillis(2530));
            assertThat(boot.report()).isNotNull();
            String svg = boot.toSvg();
            wellFormed(svg);
            assertThat(svg).contains("context refresh", "bean creation", "XDb", "ready").doesNotContain("<script");
            String text = boot.toText();
            assertThat(text).contains("context refresh", "bean creation");
            assertThat(text.indexOf("JVM start to SpringApplication.run")).isLessThan(text.indexOf("context refresh"));
            assertThat(text.indexOf("context refresh")).isLessThan(text.indexOf("bean creation"));
        } finally {
            conductor.shutdown();
        }
        assertThatThrownBy(() -> new BootTimeline.Stage("x", Duration.ofMillis(5), Duration.ofMillis(4), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BootTimeline.Mark("x", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        BootTimeline empty = BootTimeline.builder().build();
        assertThat(empty.report()).isNull();
        assertThat(empty.setupStart()).isNull();
        wellFormed(empty.toSvg());
        // names are escaped
        String escaped = BootTimeline.builder().stage("<a & b>", Duration.ZERO, Duration.ofMillis(1), 0).build().toSvg();
        wellFormed(escaped);
        List.of(escaped).forEach(s -> assertThat(s).doesNotContain("<a & b>"));
    }
}
