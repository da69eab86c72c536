package dev.conductor.spring.blackbox;

import dev.conductor.core.Component;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.test.ConductorFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ConductorFaults.failNextSetups with a chosen exception is retried when conductor.setup-retry.includes names it. */
@SpringBootTest(classes = ConductorFaultsRetryIncludesBlackBoxTests.App.class, properties = {
        "spring.main.banner-mode=off",
        "conductor.setup-retry.max-retries=2",
        "conductor.setup-retry.delay=10ms",
        "conductor.setup-retry.includes=java.net.ConnectException",
        "conductor.supervision.policy=restart",
        "conductor.supervision.max-restarts=5",
        "conductor.supervision.backoff.delay=10ms" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConductorFaultsRetryIncludesBlackBoxTests {

    static final AtomicInteger SETUPS = new AtomicInteger();
    static final List<LifecycleEvent> EVENTS = new CopyOnWriteArrayList<>();

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

        @Bean
        ApplicationListener<ComponentLifecycleEvent> recorder() {
            return event -> EVENTS.add(event.getEvent());
        }
    }

    @Autowired
    ConductorFaults faults;

    @Autowired
    ComponentFailures failures;

    @Test
    void anInjectedIncludedFailureIsRetriedDuringTheRestart() {
        int before = SETUPS.get();
        EVENTS.clear();
        faults.failNextSetups(Worker.class, 2, () -> new ConnectException("refused"));
        failures.failed("worker", new IllegalStateException("broker gone"));
        await().atMost(Duration.ofSeconds(20)).until(() -> EVENTS.stream()
                .anyMatch(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED
                        || e.kind() == LifecycleEvent.Kind.RESTART_FAILED));
        assertThat(EVENTS).anyMatch(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED);
        assertThat(EVENTS.stream().filter(e -> e.kind() == LifecycleEvent.Kind.SETUP_RETRYING))
                .hasSize(2).allMatch(e -> e.failure() instanceof ConnectException);
        assertThat(SETUPS.get()).isEqualTo(before + 1);
    }
}
