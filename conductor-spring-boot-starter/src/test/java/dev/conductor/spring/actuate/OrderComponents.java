package dev.conductor.spring.actuate;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Three components for the actuator tests: {@code webApi} depends on {@code database} and {@code queue}; the
 * database checks its own health, which a test can switch.
 */
@Configuration(proxyBeanMethods = false)
class OrderComponents {

    @Bean
    @ConductorComponent
    Database database() {
        return new Database();
    }

    @Bean
    @ConductorComponent
    MessageQueue queue() {
        return new MessageQueue();
    }

    @Bean
    @ConductorComponent
    WebApi webApi(Database database, MessageQueue queue) {
        return new WebApi();
    }

    static class Database implements Component, ComponentHealth {

        private volatile Health health = Health.up().withDetail("pool", "open").build();

        @Override
        public Health health() {
            return health;
        }

        void reports(Health health) {
            this.health = health;
        }
    }

    static class MessageQueue implements Component {
    }

    static class WebApi implements Component {
    }
}
