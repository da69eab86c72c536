package dev.conductor.spring.actuate;

import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import dev.conductor.spring.autoconfigure.ConductorProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The {@code conductor} health contributor ({@code management.health.conductor.enabled}) and the readiness that
 * follows the components ({@code conductor.readiness.*}), when Spring Boot's health support is present.
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE) // not before ConductorAutoConfiguration: see there
@ConditionalOnClass(Health.class)
@ConditionalOnBean(ConductorLifecycle.class)
public final class ConductorHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "conductorHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("conductor")
    ConductorHealthIndicator conductorHealthIndicator(ConductorLifecycle lifecycle) {
        return new ConductorHealthIndicator(lifecycle);
    }

    /** Lazy lookups: the lifecycle runs this observer, so it must not need the lifecycle to be created. */
    @Bean
    @ConditionalOnMissingBean
    ConductorReadiness conductorReadiness(ApplicationEventPublisher publisher,
            ObjectProvider<ApplicationAvailability> availability, ObjectProvider<ConductorLifecycle> lifecycle,
            ConductorProperties properties, ObjectProvider<ComponentFailures> failures) {
        int threshold = properties.getSupervision().getHealthFailureThreshold();
        ComponentFailures reporter = failures.getIfAvailable();
        HealthFailures healthFailures = threshold > 0 && reporter != null ? new HealthFailures(threshold, reporter)
                : HealthFailures.NONE;
        return new ConductorReadiness(publisher, availability::getIfAvailable,
                () -> new ConductorHealthIndicator(lifecycle.getObject()).health(), properties.getReadiness(),
                healthFailures);
    }
}
