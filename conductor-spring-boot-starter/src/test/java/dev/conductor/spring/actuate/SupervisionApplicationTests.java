package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentState;
import dev.conductor.core.FailureReporter;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.Supervision;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/** Supervision in real Spring applications: reports, restarts with dependents, readiness, metrics, escalation. */
@ExtendWith(OutputCaptureExtension.class)
class SupervisionApplicationTests {

    private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
                .properties("conductor.readiness.check-interval=1h").properties(properties).run();
    }

    abstract static class Counting implements Component {

        final AtomicInteger setups = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        @Override
        public void setup() {
            setups.incrementAndGet();
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    @ConductorComponent("store")
    static class Store extends Counting {
    }

    @ConductorComponent(value = "broker", supervision = @Supervision(policy = "restart", maxRestarts = "2", window = "1m",
            delay = "0s"))
    static class Broker extends Counting implements ComponentHealth {

        final FailureReporter failures;

        volatile Health health = Health.up().build();

        @Override
        public Health health() {
            return health;
        }

        Broker(ComponentFailures failures) {
            this.failures = failures.reporter("broker");
        }
    }

    @ConductorComponent("consumer")
    static class Consumer extends Counting {

        Consumer(Broker broker, Store store) {
        }
    }

    /** Records the restart events and the readiness changes. */
    static class Recorder {

        final List<String> events = new CopyOnWriteArrayList<>();

        final List<ReadinessState> readiness = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ComponentLifecycleEvent event) {
            if (event.getKind().isSupervision()) {
                events.add(event.getKind() + " " + event.getComponent());
            }
        }

        @EventListener
        void on(AvailabilityChangeEvent<?> event) {
            if (event.getState() instanceof ReadinessState state) {
                readiness.add(state);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Store.class, Broker.class, Consumer.class })
    static class Restarting {

        @Bean
        Recorder recorder() {
            return new Recorder();
        }
    }

    @Test
    void aReportedFailureRestartsTheComponentWithItsDependentsAndLeavesTheOthersRunning(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run(Restarting.class)) {
            Broker broker = context.getBean(Broker.class);
            Consumer consumer = context.getBean(Consumer.class);
            Store store = context.getBean(Store.class);
            Recorder recorder = context.getBean(Recorder.class);
            recorder.readiness.clear();

            broker.failures.failed(new IOException("connection lost for good"));

            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.contains("RESTART_FINISHED broker"));
            assertThat(recorder.events).containsExactly("RUNTIME_FAILURE broker", "RESTART_REQUESTED broker",
                    "RESTART_SHUT_DOWN broker", "RESTART_FINISHED broker");
            assertThat(broker.setups).hasValue(2);
            assertThat(broker.shutdowns).hasValue(1);
            assertThat(consumer.setups).hasValue(2);
            assertThat(consumer.shutdowns).hasValue(1);
            assertThat(store.setups).hasValue(1);
            assertThat(store.shutdowns).hasValue(0);
            assertThat(recorder.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC,
                    ReadinessState.ACCEPTING_TRAFFIC);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(ConductorMetrics.RESTARTS_COUNTER).tag("component", "broker")
                    .tag("outcome", "success").counter().count()).isEqualTo(1);
            LifecycleEventsReport report = new LifecycleEventsReport(context);
            assertThat(report.restarts("broker")).isEqualTo(1);
            assertThat(report.restarts("consumer")).isEqualTo(0);
            assertThat(output).contains("Conductor: component 'broker' failed while running")
                    .contains("Conductor: component 'broker' restarting with its dependents")
                    .contains("Conductor: component 'broker' shut down with its dependents for the restart")
                    .contains("Conductor: component 'broker' restarted with its dependents");
        }
    }

    @Test
    void aComponentWhoseHealthIsDownForTheThresholdOfChecksInARowFailsAndIsRestarted() {
        try (ConfigurableApplicationContext context = run(Restarting.class,
                "conductor.supervision.health-failure-threshold=2")) {
            Recorder recorder = context.getBean(Recorder.class);
            Broker broker = context.getBean(Broker.class);
            ConductorReadiness readiness = context.getBean(ConductorReadiness.class);
            broker.health = Health.down().withDetail("broker", "unreachable").build();
            readiness.check();
            assertThat(recorder.events).isEmpty();
            broker.health = Health.up().build();
            readiness.check();
            broker.health = Health.down().withDetail("broker", "unreachable").build();
            readiness.check();
            assertThat(recorder.events).isEmpty();
            readiness.check();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.contains("RESTART_FINISHED broker"));
            assertThat(recorder.events.get(0)).isEqualTo("RUNTIME_FAILURE broker");
            assertThat(context.getBean(ConductorLifecycle.class).getEngine().report().components().stream()
                    .filter(each -> each.name().equals("broker")).findFirst().orElseThrow().runtimeFailure())
                    .hasMessage("The health of component 'broker' was DOWN in 2 checks in a row: {broker=unreachable}");
            broker.health = Health.up().build();
        }
    }

    @Test
    void aFailureThatNothingRestartsIsDownInHealthAndRefusesTrafficUntilARestartRecoversIt() {
        try (ConfigurableApplicationContext context = run(Restarting.class)) {
            Recorder recorder = context.getBean(Recorder.class);
            ConductorHealthIndicator health = context.getBean(ConductorHealthIndicator.class);
            ConductorReadiness readiness = context.getBean(ConductorReadiness.class);
            recorder.readiness.clear();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            context.getBean(ComponentFailures.class).failed("store", new IOException("disk gone"));

            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .extractingByKey("store").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("state", "ACTIVE").containsEntry("status", "DOWN")
                    .containsEntry("failure", "java.io.IOException: disk gone");
            readiness.check();
            assertThat(recorder.readiness).containsExactly(ReadinessState.REFUSING_TRAFFIC);

            context.getBean(ConductorLifecycle.class).getEngine().restart("store");

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            readiness.check();
            assertThat(recorder.readiness).last().isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Test
    void readinessCanStayAcceptingTrafficWhileAComponentRestarts() {
        try (ConfigurableApplicationContext context = run(Restarting.class,
                "conductor.readiness.refuse-traffic-while-restarting=false")) {
            Recorder recorder = context.getBean(Recorder.class);
            recorder.readiness.clear();
            context.getBean(Broker.class).failures.failed(new IOException("connection lost"));
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.contains("RESTART_FINISHED broker"));
            assertThat(recorder.readiness).isEmpty();
        }
    }

    @Test
    void thePropertiesSupervisEveryComponentWithoutAPolicyOfItsOwn() {
        try (ConfigurableApplicationContext context = run(Restarting.class, "conductor.supervision.policy=escalate")) {
            Recorder recorder = context.getBean(Recorder.class);
            context.getBean(ComponentFailures.class).failed("store", new IllegalStateException("disk gone"));
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getLivenessState() == LivenessState.BROKEN);
            assertThat(recorder.events).contains("ESCALATED store");
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            assertThat(lifecycle.getEngine().report().components())
                    .allSatisfy(component -> assertThat(component.state()).isNotEqualTo(ComponentState.ACTIVE));
        }
    }

    @Test
    void aSpentRestartBudgetEscalatesAndFailsLiveness() {
        try (ConfigurableApplicationContext context = run(Restarting.class)) {
            Recorder recorder = context.getBean(Recorder.class);
            Broker broker = context.getBean(Broker.class);
            for (int restart = 1; restart <= 2; restart++) {
                broker.failures.failed(new IOException("lost " + restart));
                int restarts = restart;
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.stream()
                        .filter("RESTART_FINISHED broker"::equals).count() == restarts);
            }
            broker.failures.failed(new IOException("lost again"));
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getLivenessState() == LivenessState.BROKEN);
            assertThat(recorder.events).last().isEqualTo("ESCALATED broker");
            assertThat(context.getBean(Store.class).shutdowns).hasValue(1);
        }
    }

    @Test
    void aReporterForAnUnknownComponentIsRefusedNamingIt() {
        try (ConfigurableApplicationContext context = run(Restarting.class)) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> context.getBean(ComponentFailures.class).reporter("brokr"))
                    .withMessageContaining("No @ConductorComponent bean is named 'brokr'");
        }
    }

    @ConductorComponent(value = "misconfigured", supervision = @Supervision(policy = "reboot"))
    static class Misconfigured implements Component {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Misconfigured.class)
    static class MisconfiguredApplication {
    }

    @Test
    void anUnknownPolicyFailsTheStartupNamingTheComponent() {
        assertThatException().isThrownBy(() -> run(MisconfiguredApplication.class))
                .withStackTraceContaining("Component 'misconfigured' has"
                        + " @ConductorComponent(supervision = @Supervision(policy = \"reboot\")), which is not a"
                        + " supervision policy. Use \"none\", \"restart\" or \"escalate\".");
    }

    /** The restart counts of the report. */
    record LifecycleEventsReport(ConfigurableApplicationContext context) {

        int restarts(String component) {
            return context.getBean(ConductorLifecycle.class).getEngine().report().components().stream()
                    .filter(each -> each.name().equals(component)).findFirst().orElseThrow().restarts();
        }
    }
}
