package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ConductorMetricsAutoConfigurationTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorMetricsAutoConfiguration.class))
            .withUserConfiguration(OrderComponents.class);

    @Test
    void metricsAreNotConfiguredWithoutAMeterRegistry() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(ConductorMetrics.class));
    }

    @Test
    void metricsAreNotConfiguredWithoutMicrometer() {
        contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConductorMetrics.class));
    }

    @Test
    void setupOfEveryComponentIsTimedAndTheActiveOnesAreCounted() {
        contextRunner.withBean(MeterRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasSingleBean(ConductorMetrics.class);
            assertThat(context.getBean(LifecycleListener.class)).isInstanceOf(ConductorMetrics.class);
            for (String component : new String[] { "database", "queue", "webApi" }) {
                Timer timer = registry.get("conductor.component.setup").tag("component", component)
                        .tag("outcome", "success").timer();
                assertThat(timer.count()).isOne();
            }
            assertThat(registry.get("conductor.components.active").gauge().value()).isEqualTo(3);
        });
        assertThat(registry.get("conductor.component.shutdown").tag("component", "webApi").tag("outcome", "success")
                .timer().count()).isOne();
        assertThat(registry.get("conductor.components.active").gauge().value()).isZero();
    }

    @Test
    void failedSetupsAndShutdownsAreTimedAsFailures() {
        contextRunner.withBean(MeterRegistry.class, () -> registry).withUserConfiguration(Failing.class)
                .run(context -> assertThat(context).hasFailed());
        assertThat(registry.get("conductor.component.setup").tag("component", "failingSetup")
                .tag("outcome", "failure").timer().count()).isOne();
        assertThat(registry.find("conductor.component.shutdown").tag("component", "failingSetup").timer()).isNull();
        assertThat(registry.get("conductor.components.active").gauge().value()).isZero();
    }

    @Test
    void failedShutdownIsTimedAsFailure() {
        contextRunner.withBean(MeterRegistry.class, () -> registry).withUserConfiguration(FailingShutdown.class)
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(registry.get("conductor.component.shutdown").tag("component", "failingShutdown")
                .tag("outcome", "failure").timer().count()).isOne();
    }

    @Configuration(proxyBeanMethods = false)
    static class Failing {

        @Bean
        @ConductorComponent
        Component failingSetup(OrderComponents.WebApi webApi) {
            return new Component() {
                @Override
                public void setup() {
                    throw new IllegalStateException("no connection");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingShutdown {

        @Bean
        @ConductorComponent
        Component failingShutdown() {
            return new Component() {
                @Override
                public void shutdown() {
                    throw new IllegalStateException("stuck");
                }
            };
        }
    }
}
