package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

class ConductorReadinessTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                    ConductorAutoConfiguration.class, ConductorHealthAutoConfiguration.class))
            .withUserConfiguration(OrderComponents.class)
            .withBean(Recorder.class)
            .withPropertyValues("conductor.readiness.check-interval=1h");

    @Test
    void refusesTrafficBeforeTheComponentsSetUp() {
        contextRunner.run(context -> assertThat(context.getBean(Recorder.class).events())
                .startsWith("readiness REFUSING_TRAFFIC").contains("SETUP_FINISHED webApi"));
    }

    @Test
    void refusesTrafficWhileAComponentIsDownAndAcceptsItAgainWhenItIsBackUp() {
        contextRunner.run(context -> {
            ready(context);
            ConductorReadiness readiness = context.getBean(ConductorReadiness.class);
            OrderComponents.Database database = context.getBean(OrderComponents.Database.class);

            database.reports(Health.down().build());
            readiness.check();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

            readiness.check();
            database.reports(Health.up().build());
            readiness.check();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(context.getBean(Recorder.class).events()).filteredOn(event -> event.startsWith("readiness"))
                    .containsExactly("readiness REFUSING_TRAFFIC", "readiness ACCEPTING_TRAFFIC",
                            "readiness REFUSING_TRAFFIC", "readiness ACCEPTING_TRAFFIC");
        });
    }

    @Test
    void aComponentThatIsOutOfServiceAlsoRefusesTraffic() {
        contextRunner.run(context -> {
            ready(context);
            context.getBean(OrderComponents.Database.class).reports(Health.outOfService().build());
            context.getBean(ConductorReadiness.class).check();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        });
    }

    @Test
    void keepsAcceptingTrafficWhenConfiguredTo() {
        contextRunner.withPropertyValues("conductor.readiness.refuse-traffic-when-down=false").run(context -> {
            ready(context);
            context.getBean(OrderComponents.Database.class).reports(Health.down().build());
            context.getBean(ConductorReadiness.class).check();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        });
    }

    @Test
    void doesNotAcceptTrafficThatSomeoneElseRefused() {
        contextRunner.run(context -> {
            ready(context);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            ConductorReadiness readiness = context.getBean(ConductorReadiness.class);
            OrderComponents.Database database = context.getBean(OrderComponents.Database.class);
            database.reports(Health.down().build());
            readiness.check();
            database.reports(Health.up().build());
            readiness.check();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        });
    }

    @Test
    void acceptsTrafficAgainOnceTheComponentsAreSetUpAgain() {
        contextRunner.run(context -> {
            ready(context);
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            lifecycle.stop();
            lifecycle.start();
            assertThat(readinessState(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            List<String> events = context.getBean(Recorder.class).events();
            List<String> restart = events.subList(events.indexOf("SHUTDOWN_FINISHED database"), events.size());
            assertThat(restart).containsSubsequence("readiness REFUSING_TRAFFIC", "SETUP_STARTED database",
                    "SETUP_FINISHED webApi", "readiness ACCEPTING_TRAFFIC");
        });
    }

    @Test
    void checksTheComponentsWhileTheApplicationRuns() {
        contextRunner.withPropertyValues("conductor.readiness.check-interval=10ms").run(context -> {
            ready(context);
            context.getBean(OrderComponents.Database.class).reports(Health.down().build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> readinessState(context) == ReadinessState.REFUSING_TRAFFIC);
            context.getBean(OrderComponents.Database.class).reports(Health.up().build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> readinessState(context) == ReadinessState.ACCEPTING_TRAFFIC);
        });
    }

    /** What Spring Boot does once the application has started. */
    private static void ready(AssertableApplicationContext context) {
        context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ZERO));
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    private static ReadinessState readinessState(AssertableApplicationContext context) {
        return context.getBean(ApplicationAvailability.class).getReadinessState();
    }

    /** Records readiness changes and component transitions in one sequence. */
    static class Recorder implements LifecycleListener, ApplicationListener<AvailabilityChangeEvent<?>> {

        private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

        @Override
        public void onEvent(LifecycleEvent event) {
            events.add(event.kind() + " " + event.component());
        }

        @Override
        public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
            if (event.getState() instanceof ReadinessState state) {
                events.add("readiness " + state);
            }
        }

        List<String> events() {
            return new ArrayList<>(events);
        }
    }
}
