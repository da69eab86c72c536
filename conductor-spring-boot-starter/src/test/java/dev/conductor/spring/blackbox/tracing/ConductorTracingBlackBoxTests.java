package dev.conductor.spring.blackbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Black-box: the README's "Traces" section, with Micrometer Tracing's SimpleTracer. */
class ConductorTracingBlackBoxTests {

    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final AtomicInteger DB_FAILURES_LEFT = new AtomicInteger();
    static volatile boolean queueFails;
    static SimpleTracer tracer;

    ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null && context.isActive()) {
            context.close();
        }
        LOG.clear();
        DB_FAILURES_LEFT.set(0);
        queueFails = false;
    }

    static class Db implements Component {
        public void setup() throws Exception {
            LOG.add("setup db");
            Thread.sleep(150);
            if (DB_FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("db not yet reachable");
            }
        }
        public void shutdown() { LOG.add("shutdown db"); }
    }

    static class Queue implements Component {
        public void setup() throws Exception {
            LOG.add("setup queue");
            Thread.sleep(50);
            if (queueFails) {
                throw new IOException("journal directory is locked");
            }
        }
        public void shutdown() { LOG.add("shutdown queue"); }
    }

    static class Api implements Component {
        Api(Db db, Queue queue) {
        }
        public void setup() { LOG.add("setup api"); }
        public void shutdown() { LOG.add("shutdown api"); }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Components {
        @Bean
        @ConductorComponent
        Db db() { return new Db(); }

        @Bean
        @ConductorComponent
        Queue queue() { return new Queue(); }

        @Bean
        @ConductorComponent
        Api api(Db db, Queue queue) { return new Api(db, queue); }
    }

    @Configuration(proxyBeanMethods = false)
    static class Tracing {
        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
            return registry;
        }
    }

    ConfigurableApplicationContext run(boolean tracing, String... args) {
        tracer = new SimpleTracer();
        SpringApplication app = tracing ? new SpringApplication(Components.class, Tracing.class)
                : new SpringApplication(Components.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        List<String> all = new ArrayList<>(List.of("--conductor.early-start=never",
                "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        context = app.run(all.toArray(String[]::new));
        return context;
    }

    static List<SimpleSpan> spans() {
        return new ArrayList<>(tracer.getSpans());
    }

    static SimpleSpan named(List<SimpleSpan> spans, String name) {
        List<SimpleSpan> found = spans.stream().filter(s -> name.equals(s.getName())).collect(Collectors.toList());
        assertThat(found).as("spans named '%s' among %s", name, names(spans)).hasSize(1);
        return found.get(0);
    }

    static List<String> names(List<SimpleSpan> spans) {
        return spans.stream().map(SimpleSpan::getName).collect(Collectors.toList());
    }

    static List<SimpleSpan> childrenOf(List<SimpleSpan> spans, SimpleSpan parent) {
        return spans.stream().filter(s -> parent.getSpanId().equals(s.getParentId())).collect(Collectors.toList());
    }

    static double waited(SimpleSpan span) {
        return Double.parseDouble(span.getTags().get("conductor.waited.ms"));
    }

    @Test
    void oneTracePerSetupWithAChildSpanPerComponent() {
        run(true);
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getTags()).containsEntry("conductor.outcome", "succeeded")
                .containsEntry("conductor.components", "3");
        assertThat(setup.getError()).isNull();
        assertThat(setup.getParentId()).as("a trace of its own: root span").isNullOrEmpty();
        List<SimpleSpan> children = childrenOf(spans, setup);
        assertThat(names(children)).containsExactlyInAnyOrder("setup db", "setup queue", "setup api");
        for (SimpleSpan child : children) {
            String component = child.getName().substring("setup ".length());
            assertThat(child.getTraceId()).isEqualTo(setup.getTraceId());
            assertThat(child.getTags()).containsEntry("conductor.component", component)
                    .containsEntry("conductor.outcome", "succeeded")
                    .containsEntry("conductor.tier", component.equals("api") ? "1" : "0")
                    .containsEntry("conductor.attempts", "1")
                    .containsKey("conductor.waited.ms");
            assertThat(child.getTags().get("conductor.implementation")).contains(
                    Character.toUpperCase(component.charAt(0)) + component.substring(1));
            assertThat(child.getError()).isNull();
            assertThat(child.getStartTimestamp()).isAfterOrEqualTo(setup.getStartTimestamp());
            assertThat(child.getEndTimestamp()).isBeforeOrEqualTo(setup.getEndTimestamp());
        }
        SimpleSpan db = named(children, "setup db");
        SimpleSpan api = named(children, "setup api");
        // api waited for db (150 ms): its span starts after db's ended, and its waited attribute says so
        assertThat(api.getStartTimestamp()).isAfterOrEqualTo(db.getEndTimestamp());
        assertThat(waited(api)).isGreaterThanOrEqualTo(140.0);
        assertThat(waited(db)).isLessThan(waited(api));
        // waited = from the start of the whole operation until the component's start
        double gapMs = Duration.between(setup.getStartTimestamp(), api.getStartTimestamp()).toNanos() / 1e6;
        assertThat(waited(api)).isCloseTo(gapMs, org.assertj.core.data.Offset.offset(50.0));
        // no shutdown yet
        assertThat(names(spans)).doesNotContain("conductor shutdown");
    }

    @Test
    void oneTracePerShutdownWithAChildSpanPerComponent() {
        run(true);
        int before = tracer.getSpans().size();
        context.close();
        List<SimpleSpan> spans = spans().subList(0, spans().size());
        List<SimpleSpan> after = spans.stream().filter(s -> s.getName().contains("shutdown")).collect(Collectors.toList());
        assertThat(spans.size()).isGreaterThan(before);
        SimpleSpan shutdown = named(after, "conductor shutdown");
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(shutdown.getTraceId()).isNotEqualTo(setup.getTraceId());
        assertThat(shutdown.getParentId()).isNullOrEmpty();
        assertThat(shutdown.getTags()).containsEntry("conductor.outcome", "succeeded")
                .containsEntry("conductor.components", "3");
        List<SimpleSpan> children = childrenOf(spans, shutdown);
        assertThat(names(children)).containsExactlyInAnyOrder("shutdown db", "shutdown queue", "shutdown api");
        for (SimpleSpan child : children) {
            String component = child.getName().substring("shutdown ".length());
            assertThat(child.getTraceId()).isEqualTo(shutdown.getTraceId());
            assertThat(child.getTags()).containsEntry("conductor.component", component)
                    .containsEntry("conductor.outcome", "succeeded")
                    .containsEntry("conductor.tier", component.equals("api") ? "1" : "0")
                    .containsKey("conductor.implementation").containsKey("conductor.waited.ms");
        }
        // reverse order: api's shutdown ends before db's begins
        assertThat(named(children, "shutdown api").getEndTimestamp())
                .isBeforeOrEqualTo(named(children, "shutdown db").getStartTimestamp());
    }

    @Test
    void failingSetupIsAnErrorAndCarriesTheRollbackShutdowns() {
        queueFails = true;
        assertThatThrownBy(() -> run(true)).isNotNull();
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(setup.getError()).as("failure recorded on the whole setup's span").isNotNull();
        SimpleSpan queue = named(childrenOf(spans, setup), "setup queue");
        assertThat(queue.getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(queue.getError()).isNotNull();
        assertThat(rootCauseMessages(queue.getError())).contains("journal directory is locked");
        assertThat(names(childrenOf(spans, setup))).doesNotContain("setup api");
        // db (150 ms) was still setting up or became active: if it became active, the rollback shut it down,
        // and the rolled-back setup carries the rollback's shutdowns
        if (LOG.contains("shutdown db")) {
            List<SimpleSpan> inTrace = spans.stream().filter(s -> s.getTraceId().equals(setup.getTraceId()))
                    .collect(Collectors.toList());
            assertThat(names(inTrace)).contains("shutdown db");
        }
    }

    @Test
    void failingSetupWithAnActiveDependencyCarriesTheRollbackShutdown() {
        // db fast now? no: make queue fail after db is surely active by slowing queue via retry-less failure
        queueFails = true;
        assertThatThrownBy(() -> run(true, "--conductor.setup-retry.max-retries=1",
                "--conductor.setup-retry.delay=300ms",
                "--conductor.setup-retry.excludes=java.lang.IllegalStateException")).isNotNull();
        // queue failed twice (300 ms apart): db (150 ms) was active, so the rollback shut it down
        assertThat(LOG).contains("shutdown db");
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getError()).isNotNull();
        List<SimpleSpan> inTrace = spans.stream().filter(s -> s.getTraceId().equals(setup.getTraceId()))
                .collect(Collectors.toList());
        assertThat(names(inTrace)).contains("shutdown db");
        SimpleSpan queue = named(inTrace, "setup queue");
        assertThat(queue.getTags()).containsEntry("conductor.attempts", "2");
    }

    @Test
    void retryIsAnEventOnTheComponentSpanAndCountedInAttempts() {
        DB_FAILURES_LEFT.set(1);
        run(true, "--conductor.setup-retry.max-retries=2", "--conductor.setup-retry.delay=50ms");
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getTags()).containsEntry("conductor.outcome", "succeeded");
        SimpleSpan db = named(childrenOf(spans, setup), "setup db");
        assertThat(db.getTags()).containsEntry("conductor.attempts", "2")
                .containsEntry("conductor.outcome", "succeeded");
        assertThat(db.getEvents()).as("a retry is an event on the component's span").hasSize(1);
        assertThat(db.getError()).isNull();
        assertThat(Duration.between(db.getStartTimestamp(), db.getEndTimestamp()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(340));
        // one span per component even with retries
        assertThat(names(spans).stream().filter("setup db"::equals)).hasSize(1);
    }

    @Test
    void restartBySupervisionIsATraceOfItsOwn() throws Exception {
        run(true, "--conductor.supervision.policy=restart", "--conductor.supervision.backoff.delay=10ms");
        ComponentFailures failures = context.getBean(ComponentFailures.class);
        failures.failed("db", new IOException("pool gone"));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (spans().stream().noneMatch(s -> "conductor restart".equals(s.getName()))) {
            assertThat(System.nanoTime()).as("restart span").isLessThan(until);
            Thread.sleep(20);
        }
        List<SimpleSpan> spans = spans();
        SimpleSpan restart = named(spans, "conductor restart");
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(restart.getTraceId()).isNotEqualTo(setup.getTraceId());
        assertThat(restart.getParentId()).isNullOrEmpty();
        assertThat(restart.getTags()).containsEntry("conductor.component", "db")
                .containsEntry("conductor.outcome", "succeeded").containsEntry("conductor.components", "2");
        List<SimpleSpan> children = childrenOf(spans, restart);
        assertThat(names(children)).containsExactlyInAnyOrder("shutdown api", "shutdown db", "setup db", "setup api");
        assertThat(named(children, "shutdown api").getEndTimestamp())
                .isBeforeOrEqualTo(named(children, "shutdown db").getStartTimestamp());
        assertThat(named(children, "shutdown db").getEndTimestamp())
                .isBeforeOrEqualTo(named(children, "setup db").getStartTimestamp());
        assertThat(named(children, "setup db").getEndTimestamp())
                .isBeforeOrEqualTo(named(children, "setup api").getStartTimestamp());
        for (SimpleSpan child : children) {
            assertThat(child.getTraceId()).isEqualTo(restart.getTraceId());
            assertThat(child.getTags()).containsKey("conductor.component").containsKey("conductor.tier")
                    .containsEntry("conductor.outcome", "succeeded");
        }
    }

    @Test
    void lowCardinalityKeysBecomeMetricTagsWithADefaultRegistry() {
        // without a tracing bridge: Spring Boot's own ObservationRegistry (metrics only); everything still works
        run(false);
        assertThat(LOG).containsSubsequence("setup db", "setup api");
        assertThat(context.getBeansOfType(ObservationRegistry.class)).isNotEmpty();
        context.close();
        assertThat(LOG).containsSubsequence("shutdown api", "shutdown db");
    }

    @Test
    void withoutAnObservationRegistryTheApplicationWorksAsBefore() {
        run(false, "--spring.autoconfigure.exclude="
                + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration");
        assertThat(context.getBeansOfType(ObservationRegistry.class)).isEmpty();
        assertThat(LOG).containsSubsequence("setup db", "setup api");
        assertThat(LOG).contains("setup queue");
        assertThat(tracer.getSpans()).isEmpty();
        context.close();
        assertThat(LOG).containsSubsequence("shutdown api", "shutdown db");
        assertThat(LOG).contains("shutdown queue");
    }

    @Test
    void failingSetupWithoutARegistryStillFailsAsBefore() {
        queueFails = true;
        assertThatThrownBy(() -> run(false, "--spring.autoconfigure.exclude="
                + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"))
                .satisfies(t -> assertThat(rootCauseMessages(t)).contains("journal directory is locked"));
        assertThat(LOG).doesNotContain("setup api");
    }

    static class Renaming extends dev.conductor.spring.actuate.DefaultConductorObservationConvention {
        @Override
        public String getContextualName(dev.conductor.spring.actuate.ConductorObservationContext context) {
            return "app " + super.getContextualName(context);
        }

        @Override
        public io.micrometer.common.KeyValues getLowCardinalityKeyValues(
                dev.conductor.spring.actuate.ConductorObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("app.name", "demo");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Convention {
        @Bean
        Renaming renaming() { return new Renaming(); }
    }

    @Test
    void aConventionBeanRenamesSpansAndAddsKeys() {
        tracer = new SimpleTracer();
        SpringApplication app = new SpringApplication(Components.class, Tracing.class, Convention.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        context = app.run("--conductor.early-start=never", "--spring.main.banner-mode=off");
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "app conductor setup");
        assertThat(setup.getTags()).containsEntry("app.name", "demo");
        assertThat(names(childrenOf(spans, setup))).containsExactlyInAnyOrder("app setup db", "app setup queue",
                "app setup api");
    }

    @Test
    void timedOutSetupSaysTimedOutWithTheError() {
        assertThatThrownBy(() -> run(true, "--conductor.setup-timeout=60ms")).isNotNull();
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getTags()).containsEntry("conductor.outcome", "failed");
        assertThat(setup.getError()).isNotNull();
        SimpleSpan db = named(childrenOf(spans, setup), "setup db");
        assertThat(db.getTags()).containsEntry("conductor.outcome", "timed out");
        assertThat(db.getError()).isNotNull();
    }

    @Test
    void earlyStartStillOneTraceWithAChildPerComponent() {
        tracer = new SimpleTracer();
        SpringApplication app = new SpringApplication(Components.class, Tracing.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        context = app.run("--conductor.early-start=always", "--spring.main.banner-mode=off");
        List<SimpleSpan> spans = spans();
        SimpleSpan setup = named(spans, "conductor setup");
        assertThat(setup.getTags()).containsEntry("conductor.outcome", "succeeded");
        List<SimpleSpan> children = childrenOf(spans, setup);
        assertThat(names(children)).containsExactlyInAnyOrder("setup db", "setup queue", "setup api");
        for (SimpleSpan child : children) {
            assertThat(child.getTraceId()).isEqualTo(setup.getTraceId());
            assertThat(child.getTags()).containsKey("conductor.component").containsKey("conductor.waited.ms")
                    .containsEntry("conductor.outcome", "succeeded");
        }
        assertThat(named(children, "setup api").getStartTimestamp())
                .isAfterOrEqualTo(named(children, "setup db").getEndTimestamp());
    }

    @Test
    void restartThroughTheEndpointJoinsTheCallersTrace() throws Exception {
        run(true, "--management.endpoints.web.exposure.include=conductor",
                "--management.endpoint.conductor.access=unrestricted");
        dev.conductor.spring.actuate.ConductorEndpoint endpoint =
                context.getBean(dev.conductor.spring.actuate.ConductorEndpoint.class);
        ObservationRegistry registry = context.getBean(ObservationRegistry.class);
        io.micrometer.observation.Observation.createNotStarted("request", registry)
                .observe(() -> endpoint.restart("db"));
        List<SimpleSpan> spans = spans();
        SimpleSpan request = named(spans, "request");
        SimpleSpan restart = named(spans, "conductor restart");
        assertThat(restart.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(restart.getParentId()).isEqualTo(request.getSpanId());
        assertThat(restart.getTags()).containsEntry("conductor.component", "db")
                .containsEntry("conductor.outcome", "succeeded");
        assertThat(names(childrenOf(spans, restart))).containsExactlyInAnyOrder("shutdown api", "shutdown db",
                "setup db", "setup api");
    }

    @Test
    void lowCardinalityKeysAreTheMetricTags() {
        run(false);
        io.micrometer.core.instrument.MeterRegistry meters =
                context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        var timers = meters.find("conductor.setup.component").timers();
        assertThat(timers).hasSize(3);
        for (var timer : timers) {
            var keys = timer.getId().getTags().stream().map(io.micrometer.core.instrument.Tag::getKey).toList();
            assertThat(keys).contains("conductor.component", "conductor.tier", "conductor.outcome")
                    .doesNotContain("conductor.implementation", "conductor.waited.ms", "conductor.attempts");
        }
        var setup = meters.find("conductor.setup").timer();
        assertThat(setup).isNotNull();
        assertThat(setup.getId().getTag("conductor.outcome")).isEqualTo("succeeded");
        assertThat(setup.getId().getTag("conductor.components")).isNull();
    }

    static String rootCauseMessages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
