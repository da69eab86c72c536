package dev.conductor.spring.actuate;

import dev.conductor.spring.autoconfigure.BootTimes;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The {@link ConductorEndpoint} and its web extension, when Actuator is present and the endpoint is available:
 * enabled, and exposed (over HTTP only with {@code management.endpoints.web.exposure.include=conductor}).
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE) // not before ConductorAutoConfiguration: see there
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ConductorLifecycle.class)
@ConditionalOnAvailableEndpoint(ConductorEndpoint.class)
public final class ConductorEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ConductorEndpoint conductorEndpoint(ConductorLifecycle lifecycle) {
        return new ConductorEndpoint(lifecycle);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ConductorEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = ConductorEndpoint.class, exposure = EndpointExposure.WEB)
    ConductorEndpointWebExtension conductorEndpointWebExtension(ConductorEndpoint endpoint,
            ObjectProvider<BootTimes> boot) {
        return new ConductorEndpointWebExtension(endpoint, () -> {
            BootTimes times = boot.getIfAvailable();
            return times == null ? null : times.timeline();
        });
    }
}
