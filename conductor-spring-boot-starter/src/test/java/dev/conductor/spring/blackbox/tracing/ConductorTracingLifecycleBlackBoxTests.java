package dev.conductor.spring.blackbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Black-box: traces of a context stop/start, a failing shutdown, a failed restart. */
class ConductorTracingLifecycleBlackBoxTests {

    static SimpleTracer tracer;
    static volatile boolean closeFails;
    static volatile boolean setupFails;
    ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        closeFails = false;
        setupFails = false;
        if (context != null && context.isActive()) {
            context.close();
        }
    }

    static class LBase implements Component {
        public void setup() throws Exception {
            if (setupFails) {
                throw new IOException("base cannot start");
            }
        }
    }

    static class LTop implements Component {
        public void shutdown() throws Exception {
            if (closeFails) {
                throw new IOException("top cannot close");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        @ConductorComponent
        LBase base() { return new LBase(); }

        @Bean
        @ConductorComponent
        LTop top(LBase base) { return new LTop(); }

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
            return registry;
        }
    }

    void run(String... args) {
        tracer = new SimpleTracer();
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        List<String> all = new ArrayList<>(List.of("--conductor.early-start=never", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        context = app.run(all.toArray(String[]::new));
    }

    static List<SimpleSpan> spans() {
        return new ArrayList<>(tracer.getSpans());
    }

    static List<SimpleSpan> named(String name) {
        return spans().stream().filter(s -> name.equals(s.getName())).collect(Collectors.toList());
    }

    static List<String> childNames(SimpleSpan parent) {
        return spans().stream().filter(s -> parent.getSpanId().equals(s.getParentId())).map(SimpleSpan::getName)
                .collect(Collectors.toList());
    }

    @Test
    void contextStopAndStartAreATraceEach() {
        run();
        context.stop();
        context.start();
        List<SimpleSpan> setups = named("conductor setup");
        List<SimpleSpan> shutdowns = named("conductor shutdown");
        assertThat(setups).hasSize(2);
        assertThat(shutdowns).hasSize(1);
        assertThat(setups.stream().map(SimpleSpan::getTraceId).distinct()).hasSize(2);
        for (SimpleSpan s : setups) {
            assertThat(childNames(s)).containsExactlyInAnyOrder("setup base", "setup top");
        }
        assertThat(childNames(shutdowns.get(0))).containsExactlyInAnyOrder("shutdown base", "shutdown top");
    }

    @Test
    void failingShutdownIsTheSpansError() {
        run();
        closeFails = true;
        context.close();
        SimpleSpan shutdown = named("conductor shutdown").get(0);
        assertThat(shutdown.getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(shutdown.getError()).isNotNull();
        SimpleSpan top = named("shutdown top").get(0);
        assertThat(top.getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(top.getError()).isNotNull();
        assertThat(named("shutdown base").get(0).getTags()).containsEntry("conductor.outcome", "succeeded");
    }

    @Test
    void failedRestartIsTheRestartSpansError() throws Exception {
        run("--conductor.supervision.policy=restart", "--conductor.supervision.backoff.delay=10ms");
        setupFails = true;
        context.getBean(ComponentFailures.class).failed("base", new IOException("base gone"));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (named("conductor restart").isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(until);
            Thread.sleep(20);
        }
        SimpleSpan restart = named("conductor restart").get(0);
        assertThat(restart.getTags()).containsEntry("conductor.outcome", "failed")
                .containsEntry("conductor.component", "base");
        assertThat(restart.getError()).isNotNull();
        List<SimpleSpan> baseSetups = named("setup base").stream()
                .filter(s -> restart.getSpanId().equals(s.getParentId())).collect(Collectors.toList());
        assertThat(baseSetups).hasSize(1);
        assertThat(baseSetups.get(0).getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(baseSetups.get(0).getError()).isNotNull();
    }
}
