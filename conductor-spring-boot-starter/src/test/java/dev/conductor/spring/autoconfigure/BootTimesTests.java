package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.BootTimeline;
import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** The times of a real application's start, from the JVM's start to ready, and the picture of them. */
class BootTimesTests {

    @ConductorComponent
    static class Database implements Component {
    }

    @ConductorComponent
    static class WebApi implements Component {

        WebApi(Database database) {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Database.class, WebApi.class })
    static class Shop {
    }

    private static SpringApplicationBuilder shop(WebApplicationType type) {
        return new SpringApplicationBuilder(Shop.class).web(type).properties("server.port=0",
                "server.address=127.0.0.1", "management.endpoints.web.exposure.include=conductor",
                "spring.main.banner-mode=off");
    }

    private static Map<String, BootTimeline.Stage> byName(BootTimeline timeline) {
        return timeline.stages().stream().collect(Collectors.toMap(BootTimeline.Stage::name, Function.identity()));
    }

    @Test
    void aWebApplicationsStartIsEveryStageFromTheJvmToReadyWithTheSetupInsideTheLifecycleStart() throws Exception {
        try (ConfigurableApplicationContext context = shop(WebApplicationType.SERVLET).run()) {
            BootTimeline timeline = context.getBean(BootTimes.class).timeline();
            assertThat(timeline.stages()).extracting(BootTimeline.Stage::name).containsExactly(
                    "JVM start to SpringApplication.run", "environment and context prepared", "environment",
                    "context refresh", "bean definitions", "bean creation",
                    "web server created", "lifecycle start", "web server start", "runners");
            Map<String, BootTimeline.Stage> stages = byName(timeline);
            BootTimeline.Stage lifecycle = stages.get("lifecycle start");
            BootTimeline.Stage server = stages.get("web server start");
            Duration setupEnd = timeline.setupStart().plus(timeline.report().setupTime());
            // the setup begins early, while beans are created (issue 26), or at the latest in the lifecycle start
            assertThat(timeline.setupStart()).isBetween(stages.get("context refresh").start(), lifecycle.end());
            assertThat(setupEnd).isLessThanOrEqualTo(server.start());
            assertThat(server.end()).isLessThanOrEqualTo(stages.get("context refresh").end());
            assertThat(stages.get("bean creation").end()).isEqualTo(lifecycle.start());
            assertThat(stages.get("context refresh").start())
                    .isGreaterThanOrEqualTo(stages.get("JVM start to SpringApplication.run").end());
            assertThat(timeline.marks()).extracting(BootTimeline.Mark::name).containsExactly("JVM start", "ready");
            assertThat(timeline.marks().get(1).at()).isGreaterThanOrEqualTo(stages.get("runners").end())
                    .isEqualTo(timeline.span());
            assertThat(timeline.report().components()).hasSize(2);
            assertThat(BootLog.summary(timeline, true)).startsWith("ready ").contains(" after the JVM's start: ")
                    .contains("JVM start to SpringApplication.run ", "context refresh ", "bean creation ",
                            "Conductor's setup ");
            assertThat(BootLog.summary(timeline, false)).startsWith("ready ")
                    .contains(" after its SpringApplication.run: environment and context prepared ")
                    .contains("context refresh ", "bean creation ", "Conductor's setup ").doesNotContain("JVM");

            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/conductor?format=svg&view=boot")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("image/svg+xml"));
            assertThat(response.body()).contains("<svg ", "context refresh", "Conductor setup",
                    "BootTimesTests$Database", "BootTimesTests$WebApi", "web server start", ">ready ");
        }
    }

    @Test
    void anApplicationThatBuffersItsStartupStepsKeepsItsBufferAndTheStepsComeFromIt() {
        BufferingApplicationStartup buffering = new BufferingApplicationStartup(10_000);
        try (ConfigurableApplicationContext context = shop(WebApplicationType.NONE).applicationStartup(buffering)
                .run()) {
            assertThat(context.getApplicationStartup()).isSameAs(buffering);
            assertThat(context.getBeanFactory().getApplicationStartup()).isSameAs(buffering);
            BootTimeline timeline = context.getBean(BootTimes.class).timeline();
            assertThat(timeline.stages()).extracting(BootTimeline.Stage::name).containsExactly(
                    "JVM start to SpringApplication.run", "environment and context prepared", "environment",
                    "context refresh", "bean definitions", "bean creation",
                    "lifecycle start", "runners");
            Map<String, BootTimeline.Stage> stages = byName(timeline);
            // read back from the buffer's wall-clock instants: the same order, to the clocks' agreement
            assertThat(stages.get("bean definitions").start())
                    .isGreaterThanOrEqualTo(stages.get("context refresh").start().minusMillis(2));
            assertThat(timeline.setupStart()).isBetween(stages.get("context refresh").start().minusMillis(2),
                    stages.get("lifecycle start").end().plusMillis(2));
        }
    }

    @Test
    void aWrappedStartupStillRecordsEveryStepForTheApplication() {
        List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.springframework.core.metrics.ApplicationStartup own = name -> {
            recorded.add(name);
            return org.springframework.core.metrics.ApplicationStartup.DEFAULT.start(name);
        };
        try (ConfigurableApplicationContext context = shop(WebApplicationType.NONE).applicationStartup(own).run()) {
            assertThat(context.getApplicationStartup()).isInstanceOf(BootEvents.ObservedStartup.class);
            assertThat(recorded).contains(BootTimes.REFRESH_STEP, BootTimes.POST_PROCESS_STEP,
                    "spring.beans.instantiate", "conductor.setup", "conductor.component.setup");
            assertThat(context.getBean(BootTimes.class).timeline().stages()).extracting(BootTimeline.Stage::name)
                    .contains("context refresh", "bean definitions", "bean creation");
        }
    }
}
