package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample's {@code conductor.setup-retry.*} in {@code application.properties}: a database whose data directory
 * is not usable at the first attempt (a volume attached late; here a plain file where the directory should be,
 * removed when Conductor announces the retry) is set up at the second attempt, and the application starts.
 */
class DatabaseSetupRetryTest {

    @TempDir
    Path dataDir;

    /** Records the retries, and clears the way for the next attempt. */
    static final class ClearOnRetry implements LifecycleListener {

        final List<LifecycleEvent> retries = new CopyOnWriteArrayList<>();

        private final Path blocker;

        ClearOnRetry(Path blocker) {
            this.blocker = blocker;
        }

        @Override
        public void onEvent(LifecycleEvent event) {
            if (event.kind() == LifecycleEvent.Kind.SETUP_RETRYING) {
                retries.add(event);
                try {
                    Files.deleteIfExists(blocker);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
    }

    static Path blocker;

    @Configuration(proxyBeanMethods = false)
    static class Probe {

        @Bean
        ClearOnRetry clearOnRetry() {
            return new ClearOnRetry(blocker);
        }
    }

    @Test
    void aDatabaseSetupThatFailsAtFirstIsRetriedAsTheSamplesPropertiesSay() throws IOException {
        blocker = Files.createFile(dataDir.resolve("db"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OrderServiceApplication.class,
                Probe.class).run("--server.port=0", "--orders.data-dir=" + dataDir)) {
            List<LifecycleEvent> retries = context.getBean(ClearOnRetry.class).retries;
            assertThat(retries).singleElement().satisfies(retry -> {
                assertThat(retry.component()).isEqualTo("database");
                assertThat(retry.attempt()).isEqualTo(1);
                assertThat(retry.failure()).isInstanceOf(FileAlreadyExistsException.class);
                assertThat(retry.retryDelay()).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
            });
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            assertThat(lifecycle.getEngine().state("database")).isEqualTo(ComponentState.ACTIVE);
            assertThat(lifecycle.getEngine().report().component("database").attempts()).hasSize(2);
            assertThat(Files.isDirectory(dataDir.resolve("db"))).isTrue();
        }
    }
}
