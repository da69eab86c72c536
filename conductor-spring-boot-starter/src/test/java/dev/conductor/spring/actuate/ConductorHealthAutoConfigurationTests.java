package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ConductorHealthAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorHealthAutoConfiguration.class))
            .withUserConfiguration(OrderComponents.class);

    @Test
    void healthIndicatorAndReadinessAreConfiguredWithSpringBootHealth() {
        contextRunner.run(context -> assertThat(context).hasSingleBean(ConductorHealthIndicator.class)
                .hasBean("conductorHealthIndicator").hasSingleBean(ConductorReadiness.class));
    }

    @Test
    void healthIndicatorIsNotConfiguredWhenDisabledButReadinessStillIs() {
        contextRunner.withPropertyValues("management.health.conductor.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConductorHealthIndicator.class)
                        .hasSingleBean(ConductorReadiness.class));
    }

    @Test
    void nothingIsConfiguredWithoutSpringBootHealth() {
        contextRunner.withClassLoader(new FilteredClassLoader(Health.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class)
                        .doesNotHaveBean(ConductorHealthIndicator.class).doesNotHaveBean(ConductorReadiness.class));
    }

    @Test
    void nothingIsConfiguredWhenConductorIsDisabled() {
        contextRunner.withPropertyValues("conductor.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConductorHealthIndicator.class)
                        .doesNotHaveBean(ConductorReadiness.class));
    }

    @Test
    void healthIndicatorBacksOffWhenTheUserDefinesOneWithItsName() {
        contextRunner.withBean("conductorHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(ConductorHealthIndicator.class)
                        .hasBean("conductorHealthIndicator"));
    }

    @Test
    void healthIsUpWithEveryComponentsStateSetupDurationAndOwnHealth() {
        contextRunner.run(context -> {
            Health health = context.getBean(ConductorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            Map<String, Map<String, Object>> components = components(health);
            assertThat(components).containsOnlyKeys("database", "queue", "webApi");
            assertThat(components.get("queue")).containsEntry("state", "ACTIVE").containsEntry("status", "UP")
                    .containsKey("setupDurationMs").doesNotContainKey("health");
            assertThat(components.get("database")).containsEntry("health",
                    Map.of("status", "UP", "details", Map.of("pool", "open")));
        });
    }

    @Test
    void healthIsDownWhenAComponentReportsDown() {
        contextRunner.run(context -> {
            context.getBean(OrderComponents.Database.class).reports(Health.down().withDetail("ping", "timeout").build());
            Health health = context.getBean(ConductorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(components(health).get("database")).containsEntry("status", "DOWN")
                    .containsEntry("health", Map.of("status", "DOWN", "details", Map.of("ping", "timeout")));
            assertThat(components(health).get("webApi")).containsEntry("status", "UP");
        });
    }

    @Test
    void aHealthCheckThatThrowsCountsAsDown() {
        contextRunner.withUserConfiguration(ThrowingHealthCheck.class).run(context -> {
            Health health = context.getBean(ConductorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(components(health).get("broker").get("health").toString())
                    .contains("DOWN", "IllegalStateException: broker unreachable");
        });
    }

    @Test
    void healthIsOutOfServiceOnceTheComponentsAreShutDown() {
        contextRunner.run(context -> {
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            lifecycle.stop();
            Health health = context.getBean(ConductorHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(components(health).get("database")).containsEntry("state", "STOPPED")
                    .doesNotContainKey("health");
        });
    }

    @Test
    void withoutComponentsThereIsNoHealthContributorNorReadiness() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                        ConductorHealthAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConductorHealthIndicator.class)
                        .doesNotHaveBean(ConductorReadiness.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> components(Health health) {
        return (Map<String, Map<String, Object>>) health.getDetails().get("components");
    }

    @Configuration(proxyBeanMethods = false)
    static class ThrowingHealthCheck {

        @Bean
        @ConductorComponent
        Broker broker() {
            return new Broker();
        }

        static class Broker implements Component, ComponentHealth {

            @Override
            public Health health() {
                throw new IllegalStateException("broker unreachable");
            }
        }
    }
}
