package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorLeadership;
import dev.conductor.spring.ConductorComponent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

class ConductorAutoConfigurationTests {

    private final ApplicationContextRunner withoutComponents = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class));

    private final ApplicationContextRunner contextRunner = withoutComponents
            .withBean("database", Database.class, Database::new);

    @Test
    void lifecycleIsConfiguredByDefaultWithAComponent() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(ConductorLifecycle.class).hasSingleBean(ConductorProperties.class);
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            assertThat(lifecycle.getPhase()).isEqualTo(Integer.MAX_VALUE - 3072).isLessThan(Integer.MAX_VALUE - 2048);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.getEngine().graph().names()).containsExactly("database");
        });
    }

    @Test
    void lifecycleIsNotConfiguredWhenDisabled() {
        contextRunner.withPropertyValues("conductor.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConductorLifecycle.class));
    }

    @Test
    void lifecycleBacksOffWhenTheUserDefinesOne() {
        contextRunner.withUserConfiguration(UserLifecycleConfiguration.class)
                .run(context -> assertThat(context).hasSingleBean(ConductorLifecycle.class).hasBean("myLifecycle"));
    }

    @Test
    void propertiesBindDurationsAndPhase() {
        contextRunner.withPropertyValues("conductor.setup-timeout=500ms", "conductor.shutdown-timeout=2m",
                "conductor.phase=42").run(context -> {
                    ConductorProperties properties = context.getBean(ConductorProperties.class);
                    assertThat(properties.getSetupTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(context.getBean(ConductorLifecycle.class).getPhase()).isEqualTo(42);
                });
    }

    @Test
    void autoConfigurationIsRegisteredInTheImportsFile() throws IOException {
        assertThat(read("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .contains(ConductorAutoConfiguration.class.getName());
        assertThat(read("META-INF/spring.factories")).contains(ConductorFailureAnalyzer.class.getName());
    }

    @Test
    void configurationMetadataDescribesEveryProperty() throws IOException {
        assertThat(read("META-INF/spring-configuration-metadata.json")).contains("\"conductor.enabled\"",
                "\"conductor.setup-timeout\"", "\"conductor.shutdown-timeout\"", "\"conductor.phase\"",
                "How long a component's setup may take");
    }

    @Test
    void withoutComponentsThereIsNoLifecycle() {
        withoutComponents.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConductorLifecycle.class)
                .doesNotHaveBean(ConductorProperties.class));
    }

    @Test
    void theBeansComponentsInjectAreMadeOnlyWhenInjected() {
        contextRunner.run(context -> {
            assertThat(context.getBeanFactory().containsSingleton("conductorLeadership")).isFalse();
            assertThat(context.getBeanFactory().containsSingleton("conductorComponentFailures")).isFalse();
            assertThat(context).hasSingleBean(ConductorLeadership.class).hasSingleBean(ComponentFailures.class);
        });
    }

    @Test
    void withoutComponentsNothingIsSetUpSoNoSetupObserverRuns() {
        List<String> observed = new CopyOnWriteArrayList<>();
        ConductorLifecycle.SetupObserver observer = setup -> {
            observed.add("setup");
            setup.run();
        };
        withoutComponents.withBean(ConductorLifecycle.SetupObserver.class, () -> observer)
                .run(context -> assertThat(observed).isEmpty());
        contextRunner.withBean(ConductorLifecycle.SetupObserver.class, () -> observer)
                .run(context -> assertThat(observed).containsExactly("setup"));
    }

    @Test
    void autoConfigurationMetadataGivesBootEveryAutoConfigurationsClassConditions() throws IOException {
        Properties metadata = new Properties();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-autoconfigure-metadata.properties"))) {
            try (InputStream in = url.openStream()) {
                Properties own = new Properties();
                own.load(in);
                if (own.containsKey(ConductorAutoConfiguration.class.getName())) {
                    metadata = own;
                }
            }
        }
        for (String autoConfiguration : read(
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").split("\\s+")) {
            assertThat(metadata).as("the metadata of " + autoConfiguration).containsKey(autoConfiguration);
        }
        assertThat(metadata).containsEntry(
                "dev.conductor.spring.actuate.ConductorHealthAutoConfiguration.ConditionalOnClass",
                "org.springframework.boot.health.contributor.Health")
                .containsEntry("dev.conductor.spring.autoconfigure.ConductorLeadershipAutoConfiguration"
                        + ".ConditionalOnClass", "org.springframework.integration.support.leader."
                                + "LockRegistryLeaderInitiator");
    }

    @ConductorComponent
    static class Database implements Component {
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class UserLifecycleConfiguration {

        @org.springframework.context.annotation.Bean
        ConductorLifecycle myLifecycle(org.springframework.beans.factory.config.ConfigurableListableBeanFactory beans) {
            return new ConductorLifecycle(beans, new ConductorProperties(), null, java.util.List.of());
        }
    }

    private static String read(String path) throws IOException {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
