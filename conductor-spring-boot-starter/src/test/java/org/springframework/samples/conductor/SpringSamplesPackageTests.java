package org.springframework.samples.conductor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application in Spring's own package namespace, as Spring PetClinic ({@code org.springframework.samples}) is: its
 * {@code @Bean} methods are an application's, not Spring's, so a component they make is found like any other.
 */
class SpringSamplesPackageTests {

    static final List<String> calls = new CopyOnWriteArrayList<>();

    @ConductorComponent
    static class Owners implements Component {

        @Override
        public void setup() {
            calls.add("owners.setup");
        }

        @Override
        public void shutdown() {
            calls.add("owners.shutdown");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PetClinicConfiguration {

        @Bean
        Owners owners() {
            return new Owners();
        }
    }

    @Test
    void aComponentOfAnApplicationUnderOrgSpringframeworkSamplesIsRun() {
        calls.clear();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class))
                .withUserConfiguration(PetClinicConfiguration.class).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class);
                    assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names())
                            .containsExactly("owners");
                });
        assertThat(calls).containsExactly("owners.setup", "owners.shutdown");
    }
}
