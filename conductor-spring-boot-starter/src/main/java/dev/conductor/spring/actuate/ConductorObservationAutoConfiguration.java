package dev.conductor.spring.actuate;

import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * An {@link Observation} named {@value #SETUP_OBSERVATION} around each setup of the components, so that a trace
 * shows the setup and, with metrics, a timer of that name records it. Configured when the application has an
 * {@link ObservationRegistry}.
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ConductorLifecycle.class, ObservationRegistry.class })
public final class ConductorObservationAutoConfiguration {

    static final String SETUP_OBSERVATION = "conductor.setup";

    @Bean
    @ConditionalOnMissingBean(name = "conductorSetupObservation")
    ConductorLifecycle.SetupObserver conductorSetupObservation(ObservationRegistry registry) {
        return setup -> Observation.createNotStarted(SETUP_OBSERVATION, registry)
                .contextualName("conductor setup")
                .observe(setup);
    }
}
