package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

class ActuateRegistrationTests {

    @Test
    void everyActuatorAutoConfigurationIsRegisteredInTheImportsFile() throws IOException {
        assertThat(read("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .contains(ConductorHealthAutoConfiguration.class.getName(),
                        ConductorEndpointAutoConfiguration.class.getName(),
                        ConductorMetricsAutoConfiguration.class.getName(),
                        ConductorObservationAutoConfiguration.class.getName());
    }

    @Test
    void configurationMetadataDescribesTheReadinessProperties() throws IOException {
        assertThat(read("META-INF/spring-configuration-metadata.json")).contains(
                "\"conductor.readiness.refuse-traffic-when-down\"", "\"conductor.readiness.check-interval\"",
                "Whether the application reports REFUSING_TRAFFIC while a component is down");
    }

    private static String read(String path) throws IOException {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
