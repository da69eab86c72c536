package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainConductorExampleTest {

    @AfterEach
    void clearPort() {
        System.clearProperty("plain.port");
    }

    @Test
    void runSetsUpSubmitsOverHttpAndShutsDown() {
        System.setProperty("plain.port", "0");

        Map<String, String> statuses = PlainConductorExample.run();

        assertThat(statuses).hasSize(3).allSatisfy((id, status) -> assertThat(status).isEqualTo("PROCESSED"));
    }
}
