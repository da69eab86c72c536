package dev.conductor.spring.actuate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A component set up early, while the refresh's thread still creates a slow bean, with Actuator's health on the
 * class path: the readiness Conductor reports at startup creates no bean on a thread other than the refresh's
 * (Spring logs each such bean at INFO, "while other thread holds singleton lock").
 */
@ExtendWith(OutputCaptureExtension.class)
class EarlyReadinessApplicationTests {

    /** The order of what happened, readiness and setup in one list. */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    private static final CountDownLatch setupStarted = new CountDownLatch(1);

    @ConductorComponent
    static class Database implements Component {

        @Override
        public void setup() {
            seen.add("database setup");
            setupStarted.countDown();
        }
    }

    /** Created after the database (it needs it), and only once the database's setup has begun. */
    static class SlowRepository {

        SlowRepository(Database database) throws InterruptedException {
            if (!setupStarted.await(30, SECONDS)) {
                throw new IllegalStateException("the database's setup never began while the context created beans");
            }
            seen.add("slow repository created");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Database.class, SlowRepository.class })
    static class Shop {
    }

    @Test
    void refusesTrafficAtStartupFromTheRefreshThreadAndNoBeanIsCreatedOnAnotherThread(CapturedOutput output) {
        Thread refresh = Thread.currentThread();
        ApplicationListener<AvailabilityChangeEvent<?>> recorder = event -> {
            if (event.getState() instanceof ReadinessState state) {
                seen.add("readiness " + state + (Thread.currentThread() == refresh ? "" : " on another thread"));
            }
        };
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Shop.class)
                .web(WebApplicationType.NONE).listeners(recorder)
                .properties("conductor.readiness.check-interval=1h", "spring.main.banner-mode=off").run()) {
            assertThat(output).doesNotContain("while other thread holds singleton lock");
            assertThat(seen).containsExactly("readiness REFUSING_TRAFFIC", "database setup",
                    "slow repository created", "readiness ACCEPTING_TRAFFIC");
        }
    }
}
