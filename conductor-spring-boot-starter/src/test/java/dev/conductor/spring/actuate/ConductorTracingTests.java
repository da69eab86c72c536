package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.SetupRetry;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The spans a tracing bridge makes of Conductor's observations, with Micrometer Tracing's in-memory tracer: a
 * trace per setup, shutdown and restart, a child span per component, names, tags and failures.
 */
class ConductorTracingTests {

    private final SimpleTracer tracer = new SimpleTracer();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
                return registry;
            });

    @Test
    void aSetupIsOneTraceWithASpanPerComponentAndTheRetryAsAnEvent() {
        contextRunner.withUserConfiguration(Shop.class).run(context -> {
            assertThat(context).hasNotFailed();
            List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
            SimpleSpan setup = named(spans).get("conductor setup");
            assertThat(setup.getParentId()).isEmpty();
            assertThat(setup.getTags()).containsEntry("conductor.outcome", "succeeded")
                    .containsEntry("conductor.components", "3");
            assertThat(setup.getError()).isNull();
            assertThat(spans).hasSize(4).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(
                    setup.getTraceId()));

            Map<String, SimpleSpan> byName = named(spans);
            assertThat(byName).containsOnlyKeys("conductor setup", "setup database", "setup queue", "setup api");
            for (String component : List.of("database", "queue", "api")) {
                SimpleSpan span = byName.get("setup " + component);
                assertThat(span.getParentId()).as(component).isEqualTo(setup.getSpanId());
                assertThat(span.getTags()).as(component).containsEntry("conductor.component", component)
                        .containsEntry("conductor.outcome", "succeeded")
                        .containsKeys("conductor.implementation", "conductor.waited.ms");
                assertThat(Double.parseDouble(span.getTags().get("conductor.waited.ms"))).isNotNegative();
                assertThat(span.getStartTimestamp()).isAfterOrEqualTo(setup.getStartTimestamp());
                assertThat(span.getEndTimestamp()).isBeforeOrEqualTo(setup.getEndTimestamp());
            }
            // no tier: the components start early (issue 26), before the graph the tier comes from is known
            assertThat(byName.get("setup database").getTags()).containsEntry("conductor.attempts", "1")
                    .containsEntry("conductor.implementation", Shop.Database.class.getName());
            SimpleSpan queue = byName.get("setup queue");
            assertThat(queue.getTags()).containsEntry("conductor.attempts", "2");
            assertThat(queue.getEvents()).extracting(Map.Entry::getValue).singleElement().asString()
                    .startsWith("attempt 1 failed: java.lang.IllegalStateException: broker not up yet");
            // the api waits for the queue, which waits for the database
            assertThat(byName.get("setup api").getStartTimestamp()).isAfterOrEqualTo(queue.getEndTimestamp());
        });
    }

    @Test
    void aShutdownIsATraceOfItsOwn() {
        contextRunner.withUserConfiguration(Shop.class).run(context -> tracer.getSpans().clear());
        List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
        Map<String, SimpleSpan> byName = named(spans);
        assertThat(byName).containsOnlyKeys("conductor shutdown", "shutdown database", "shutdown queue",
                "shutdown api");
        SimpleSpan shutdown = byName.get("conductor shutdown");
        assertThat(shutdown.getParentId()).isEmpty();
        assertThat(shutdown.getTags()).containsEntry("conductor.outcome", "succeeded");
        assertThat(spans).filteredOn(span -> span != shutdown).allSatisfy(span -> {
            assertThat(span.getParentId()).isEqualTo(shutdown.getSpanId());
            assertThat(span.getTraceId()).isEqualTo(shutdown.getTraceId());
            assertThat(span.getTags()).containsEntry("conductor.outcome", "succeeded")
                    .doesNotContainKey("conductor.attempts");
        });
        // the reverse order: the api goes down first
        assertThat(byName.get("shutdown database").getStartTimestamp())
                .isAfterOrEqualTo(byName.get("shutdown queue").getEndTimestamp());
    }

    @Test
    void aFailedSetupIsAFailedTraceWithTheFailedComponentAndTheRollbackInside() {
        contextRunner.withUserConfiguration(FailingShop.class).run(context -> {
            assertThat(context).hasFailed();
            List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
            Map<String, SimpleSpan> byName = named(spans);
            assertThat(byName).containsOnlyKeys("conductor setup", "setup database", "setup ledger",
                    "shutdown database");
            SimpleSpan setup = byName.get("conductor setup");
            assertThat(setup.getTags()).containsEntry("conductor.outcome", "failed");
            assertThat(setup.getError()).hasMessageContaining("ledger").hasRootCauseMessage("disk full");
            SimpleSpan ledger = byName.get("setup ledger");
            assertThat(ledger.getParentId()).isEqualTo(setup.getSpanId());
            assertThat(ledger.getTags()).containsEntry("conductor.outcome", "failed")
                    .containsEntry("conductor.component", "ledger");
            assertThat(ledger.getError()).isInstanceOf(IOException.class).hasMessage("disk full");
            SimpleSpan rollback = byName.get("shutdown database");
            assertThat(rollback.getParentId()).isEqualTo(setup.getSpanId());
            assertThat(rollback.getTags()).containsEntry("conductor.outcome", "succeeded");
            assertThat(rollback.getError()).isNull();
            assertThat(spans).extracting(SimpleSpan::getTraceId).containsOnly(setup.getTraceId());
        });
    }

    @Test
    void aRestartIsATraceOfItsOwnWithTheShutdownAndSetupOfThePart() {
        contextRunner.withUserConfiguration(Shop.class).run(context -> {
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            String setupTrace = named(tracer.getSpans()).get("conductor setup").getTraceId();
            tracer.getSpans().clear();
            lifecycle.getEngine().restart("queue");

            List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
            Map<String, SimpleSpan> byName = named(spans);
            assertThat(byName).containsOnlyKeys("conductor restart", "shutdown api", "shutdown queue",
                    "setup queue", "setup api");
            SimpleSpan restart = byName.get("conductor restart");
            assertThat(restart.getParentId()).isEmpty();
            assertThat(restart.getTraceId()).isNotEqualTo(setupTrace);
            assertThat(restart.getTags()).containsEntry("conductor.component", "queue")
                    .containsEntry("conductor.outcome", "succeeded").containsEntry("conductor.components", "2");
            assertThat(spans).filteredOn(span -> span != restart).allSatisfy(span -> {
                assertThat(span.getParentId()).isEqualTo(restart.getSpanId());
                assertThat(span.getTraceId()).isEqualTo(restart.getTraceId());
            });
            assertThat(byName.get("setup queue").getStartTimestamp())
                    .isAfterOrEqualTo(byName.get("shutdown queue").getEndTimestamp());
            assertThat(byName.get("setup queue").getTags()).containsEntry("conductor.tier", "1");
            assertThat(byName.get("shutdown api").getTags()).containsEntry("conductor.tier", "2");
        });
    }

    @Test
    void aConventionBeanRenamesTheSpansAndAddsKeys() {
        contextRunner.withUserConfiguration(Shop.class)
                .withBean(ConductorObservationConvention.class, () -> new DefaultConductorObservationConvention() {

                    @Override
                    public String getContextualName(ConductorObservationContext context) {
                        return "orders " + super.getContextualName(context);
                    }

                    @Override
                    public io.micrometer.common.KeyValues getLowCardinalityKeyValues(
                            ConductorObservationContext context) {
                        return super.getLowCardinalityKeyValues(context).and("service", "orders");
                    }
                })
                .run(context -> assertThat(tracer.getSpans()).extracting(SimpleSpan::getName)
                        .contains("orders conductor setup", "orders setup queue")
                        .allSatisfy(name -> assertThat(name).startsWith("orders ")));
        assertThat(tracer.getSpans()).allSatisfy(span -> assertThat(span.getTags()).containsEntry("service",
                "orders"));
    }

    private static Map<String, SimpleSpan> named(java.util.Collection<SimpleSpan> spans) {
        return spans.stream().collect(Collectors.toMap(SimpleSpan::getName, Function.identity()));
    }

    /** database <- queue <- api; the queue's first setup fails and is retried. */
    @Configuration(proxyBeanMethods = false)
    static class Shop {

        @Bean
        @ConductorComponent
        Database database() {
            return new Database();
        }

        @Bean
        @ConductorComponent(setupRetry = @SetupRetry(maxRetries = "2", delay = "1ms"))
        Queue queue(Database database) {
            return new Queue();
        }

        @Bean
        @ConductorComponent
        Api api(Queue queue) {
            return new Api();
        }

        static class Database implements Component {
        }

        static class Queue implements Component {

            private final AtomicInteger setups = new AtomicInteger();

            @Override
            public void setup() {
                if (setups.incrementAndGet() == 1) {
                    throw new IllegalStateException("broker not up yet");
                }
            }
        }

        static class Api implements Component {
        }
    }

    /** database <- ledger, whose setup fails. */
    @Configuration(proxyBeanMethods = false)
    static class FailingShop {

        @Bean
        @ConductorComponent
        Shop.Database database() {
            return new Shop.Database();
        }

        @Bean
        @ConductorComponent
        Ledger ledger(Shop.Database database) {
            return new Ledger();
        }

        static class Ledger implements Component {

            @Override
            public void setup() throws IOException {
                throw new IOException("disk full");
            }
        }
    }
}
