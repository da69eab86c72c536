package dev.conductor.spring.actuate;

import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Conductor's lifecycle as {@link Observation}s, so that with Micrometer Tracing each setup, shutdown and restart
 * is a trace with a span per component, and with metrics each is timed: see
 * {@link DefaultConductorObservationConvention} for the names and keys. Configured when the application has an
 * {@link ObservationRegistry}; a {@link ConductorObservationConvention} bean replaces the default convention.
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE) // not before ConductorAutoConfiguration: see there
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ConductorLifecycle.class, ObservationRegistry.class })
public final class ConductorObservationAutoConfiguration {

    static final String SETUP_OBSERVATION = "conductor.setup";

    @Bean
    @ConditionalOnMissingBean
    ConductorObservations conductorObservations(ObservationRegistry registry,
            ObjectProvider<ConductorObservationConvention> convention, ObjectProvider<ConductorLifecycle> lifecycle) {
        return new ConductorObservations(registry, convention.getIfUnique(), () -> {
            ConductorLifecycle current = lifecycle.getIfAvailable();
            LifecycleEngine engine = current == null ? null : current.getEngine();
            return engine == null ? null : engine.graph();
        });
    }

    @Bean
    @ConditionalOnMissingBean(name = "conductorShutdownObservation")
    ConductorLifecycle.ShutdownObserver conductorShutdownObservation(ConductorObservations observations) {
        return observations.shutdownObserver();
    }
}
