package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.metrics.StartupStep;

/** The observation around the setup, and the startup steps the lifecycle records. */
class ConductorObservationAutoConfigurationTests {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorObservationAutoConfiguration.class))
            .withUserConfiguration(OrderComponents.class)
            .withBean(LifecycleListener.class, () -> event -> events.add(event.kind() + " " + event.component()));

    @Test
    void observationIsNotConfiguredWithoutAnObservationRegistry() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean("conductorObservations"));
    }

    @Test
    void observationIsNotConfiguredWithoutMicrometer() {
        contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("conductorObservations"));
    }

    @Test
    void anObservationSpansTheWholeSetupAndOneEachComponentsSetup() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {

            @Override
            public void onStart(Observation.Context context) {
                events.add("observation started " + context.getName());
            }

            @Override
            public void onStop(Observation.Context context) {
                events.add("observation stopped " + context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        contextRunner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasSingleBean(ConductorLifecycle.SetupObserver.class);
            assertThat(events).hasSize(14).startsWith("observation started conductor.setup")
                    .endsWith("observation stopped conductor.setup");
            assertThat(events).filteredOn("observation started conductor.setup.component"::equals).hasSize(3);
            assertThat(events).filteredOn("observation stopped conductor.setup.component"::equals).hasSize(3);
        });
    }

    @Test
    void setupAndEachComponentsSetupAreStartupSteps() {
        BufferingApplicationStartup startup = new BufferingApplicationStartup(1000);
        contextRunner.withInitializer(context -> ((GenericApplicationContext) context).setApplicationStartup(startup))
                .run(context -> {
                    List<StartupStep> steps = startup.getBufferedTimeline().getEvents().stream()
                            .map(TimelineEvent::getStartupStep)
                            .filter(step -> step.getName().startsWith("conductor."))
                            .toList();
                    assertThat(steps).extracting(StartupStep::getName).containsOnly("conductor.setup",
                            "conductor.component.setup");
                    assertThat(steps).filteredOn(step -> step.getName().equals("conductor.component.setup"))
                            .extracting(step -> step.getTags().iterator().next().getValue())
                            .containsExactlyInAnyOrder("database", "queue", "webApi");
                    StartupStep setup = steps.get(steps.size() - 1);
                    assertThat(setup.getName()).isEqualTo("conductor.setup");
                    assertThat(setup.getTags().iterator().next().getValue()).isEqualTo("3");
                });
    }
}
