package dev.conductor.spring.blackbox;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 21 item 5: with the default policy none, a runtime failure shows in the conductor health contributor. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthAfterRuntimeFailureBlackBoxTests {

    static final AtomicInteger SETUPS = new AtomicInteger();

    @BeforeEach
    void reset() {
        SETUPS.set(0); // whichever test runs first
    }

    static final class Worker implements Component {
        @Override
        public void setup() {
            SETUPS.incrementAndGet();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @ConductorComponent
        Worker worker() {
            return new Worker();
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] args = new String[properties.length + 1];
        args[0] = "--spring.main.banner-mode=off";
        for (int i = 0; i < properties.length; i++) {
            args[i + 1] = "--" + properties[i];
        }
        return application.run(args);
    }

    @Test
    void defaultPolicyNoneRuntimeFailureMakesHealthDownAndNamesTheFailure() {
        try (ConfigurableApplicationContext context = start()) {
            HealthIndicator health = context.getBean("conductorHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            context.getBean(ComponentFailures.class).failed("worker",
                    new IllegalStateException("consumer thread died"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Status.DOWN.equals(health.health().getStatus()));
            Health down = health.health();
            assertThat(down.toString()).contains("consumer thread died");
            assertThat(SETUPS).hasValue(1);
        }
    }

    @Test
    void explicitPolicyNoneBehavesTheSame() {
        try (ConfigurableApplicationContext context = start("conductor.supervision.policy=none")) {
            HealthIndicator health = context.getBean("conductorHealthIndicator", HealthIndicator.class);
            context.getBean(ComponentFailures.class).reporter("worker").failed(new IllegalStateException("gone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Status.DOWN.equals(health.health().getStatus()));
            assertThat(health.health().toString()).contains("gone");
        }
    }

    @Test
    void restartClearsTheDownOfARuntimeFailureWithPolicyRestart() {
        try (ConfigurableApplicationContext context = start("conductor.supervision.policy=restart",
                "conductor.supervision.backoff.delay=10ms")) {
            HealthIndicator health = context.getBean("conductorHealthIndicator", HealthIndicator.class);
            int before = SETUPS.get();
            context.getBean(ComponentFailures.class).failed("worker", new IllegalStateException("restart me"));
            await().atMost(Duration.ofSeconds(10)).until(() -> SETUPS.get() == before + 1
                    && Status.UP.equals(health.health().getStatus()));
        }
    }
}
