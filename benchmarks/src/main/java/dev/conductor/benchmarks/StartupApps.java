package dev.conductor.benchmarks;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The applications {@link StartupHarness} starts: no component scanning, beans registered by count. */
final class StartupApps {

    static final int BEANS = 100;

    private StartupApps() {
    }

    /** The application class: auto-configuration only, so the starter is the one variable. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    /** 100 beans that are not components. */
    @Configuration(proxyBeanMethods = false)
    static class PlainBeans {

        @Bean
        static BeanDefinitionRegistryPostProcessor plainBeans() {
            return registry -> register(registry, PlainBean.class);
        }
    }

    /** 100 no-op Conductor components. */
    @Configuration(proxyBeanMethods = false)
    static class ComponentBeans {

        @Bean
        static BeanDefinitionRegistryPostProcessor componentBeans() {
            return registry -> register(registry, NoOpComponent.class);
        }
    }

    private static void register(BeanDefinitionRegistry registry, Class<?> type) {
        for (int i = 0; i < BEANS; i++) {
            registry.registerBeanDefinition("bean" + i, new RootBeanDefinition(type));
        }
    }

    /** How many {@link NoOpComponent}s were set up in this context (0 when the starter did not run them). */
    static int startedComponents(ConfigurableApplicationContext context) {
        return context.getBeansOfType(NoOpComponent.class).values().stream()
                .mapToInt(component -> component.setups.get()).sum();
    }

    /** A plain bean, for the baseline. */
    static class PlainBean {
    }

    /** A component that does nothing, so that only the starter's own work shows. */
    @ConductorComponent
    static class NoOpComponent implements Component {

        final AtomicInteger setups = new AtomicInteger();

        @Override
        public void setup() {
            setups.incrementAndGet();
        }
    }
}
