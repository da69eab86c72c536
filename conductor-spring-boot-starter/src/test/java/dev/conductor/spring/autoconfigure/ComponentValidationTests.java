package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraph;
import dev.conductor.spring.ConductorComponent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Components are checked before any singleton is created (fail fast, explained by the failure analyzer), and
 * their timeouts are resolved as {@code @Value} resolves a value.
 */
@ExtendWith(OutputCaptureExtension.class)
class ComponentValidationTests {

    static final AtomicInteger SINGLETONS_CREATED = new AtomicInteger();

    /** A plain singleton: created only when the bean factory gets as far as creating singletons. */
    static class Sentinel {

        Sentinel() {
            SINGLETONS_CREATED.incrementAndGet();
        }
    }

    static class Cache implements Component {
    }

    static class NotAComponent {
    }

    @BeforeEach
    void reset() {
        SINGLETONS_CREATED.set(0);
    }

    private static ConfigurableApplicationContext run(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).properties(properties).run();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class PrototypeApplication {

        @Bean
        Sentinel sentinel() {
            return new Sentinel();
        }

        @Bean
        @Scope("prototype")
        @ConductorComponent
        Cache prototypeCache() {
            return new Cache();
        }
    }

    @Test
    void aComponentOfAnotherScopeFailsTheStartupBeforeAnySingletonIsCreated(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(PrototypeApplication.class));
        assertThat(SINGLETONS_CREATED).hasValue(0);
        assertThat(output).contains("""
                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Component 'prototypeCache' is a prototype-scoped bean.

                Action:

                Make it a singleton: a component is set up once and shut down once.
                """);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class NotAComponentApplication {

        @Bean
        Sentinel sentinel() {
            return new Sentinel();
        }

        @Bean
        @ConductorComponent
        NotAComponent notAComponent() {
            return new NotAComponent();
        }
    }

    @Test
    void aBeanThatIsNotAComponentFailsTheStartupBeforeAnySingletonIsCreated(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(NotAComponentApplication.class));
        assertThat(SINGLETONS_CREATED).hasValue(0);
        assertThat(output).contains("""
                Description:

                Component 'notAComponent' is annotated with @ConductorComponent but its type\
                 dev.conductor.spring.autoconfigure.ComponentValidationTests$NotAComponent does not implement\
                 dev.conductor.core.Component.

                Action:

                Implement dev.conductor.core.Component (setup() and shutdown()), name the methods to call with\
                 @ConductorComponent(setupMethod = "...", shutdownMethod = "..."), or remove @ConductorComponent.
                """);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConductorAutoConfiguration.class })
    static class PlaceholderApplication {

        @Bean
        @ConductorComponent(setupTimeout = "${app.db.setup-timeout:45s}",
                shutdownTimeout = "#{T(java.time.Duration).ofSeconds(${app.db.shutdown-seconds:7})}")
        Cache database() {
            return new Cache();
        }
    }

    @Test
    void placeholdersAndExpressionsInTimeoutsAreResolvedAsValueResolvesThem() {
        try (ConfigurableApplicationContext context = run(PlaceholderApplication.class)) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.definition("database").setupTimeout()).isEqualTo(Duration.ofSeconds(45));
            assertThat(graph.definition("database").shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
        }
        try (ConfigurableApplicationContext context = run(PlaceholderApplication.class,
                "app.db.setup-timeout=2m", "app.db.shutdown-seconds=3")) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.definition("database").setupTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(graph.definition("database").shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConductorAutoConfiguration.class })
    static class UnresolvablePlaceholderApplication {

        @Bean
        Sentinel sentinel() {
            return new Sentinel();
        }

        @Bean
        @ConductorComponent(setupTimeout = "${app.db.setup-timeout}")
        Cache database() {
            return new Cache();
        }
    }

    @Test
    void anUnresolvablePlaceholderFailsTheStartupBeforeAnySingletonIsCreated(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(UnresolvablePlaceholderApplication.class));
        assertThat(SINGLETONS_CREATED).hasValue(0);
        assertThat(output).contains("Component 'database' has @ConductorComponent(setupTimeout ="
                + " \"${app.db.setup-timeout}\"), which could not be resolved: ")
                .contains("Define the property it refers to, or give the placeholder a default, for example"
                        + " \"${app.db.setup-timeout:45s}\".");
    }

    @Test
    void aPlaceholderThatResolvesToSomethingElseThanADurationSaysWhatItResolvedTo(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(UnresolvablePlaceholderApplication.class,
                "app.db.setup-timeout=soon"));
        assertThat(SINGLETONS_CREATED).hasValue(0);
        assertThat(output).contains("Component 'database' has @ConductorComponent(setupTimeout ="
                + " \"${app.db.setup-timeout}\"), resolved to \"soon\", which is not a positive duration.");
    }
}
