package dev.conductor.spring.actuate;

import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Micrometer metrics of the components: timers {@code conductor.component.setup} and
 * {@code conductor.component.shutdown} (tags {@code component}, {@code outcome}), the counter
 * {@code conductor.component.setup.retries} (tags {@code component}, {@code exception}) and the gauge
 * {@code conductor.components.active}. Configured when the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE) // not before ConductorAutoConfiguration: see there
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ ConductorLifecycle.class, MeterRegistry.class })
public final class ConductorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ConductorMetrics conductorMetrics(MeterRegistry registry) {
        return new ConductorMetrics(registry);
    }
}
