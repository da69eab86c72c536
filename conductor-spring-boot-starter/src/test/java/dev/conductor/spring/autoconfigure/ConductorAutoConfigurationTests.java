package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

class ConductorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class));

    @Test
    void lifecycleIsConfiguredByDefault() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(ConductorLifecycle.class).hasSingleBean(ConductorProperties.class);
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            assertThat(lifecycle.getPhase()).isEqualTo(Integer.MAX_VALUE - 3072).isLessThan(Integer.MAX_VALUE - 2048);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.getEngine().graph().size()).isZero();
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
