package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A startup whose thread is interrupted while the components set up (what a shutdown hook does to cancel it)
 * rolls back and is explained as a cancellation, not as a fault of a component.
 */
@ExtendWith(OutputCaptureExtension.class)
class SetupCancelledFailureTests {

    static final AtomicInteger DATABASE_SHUTDOWNS = new AtomicInteger();

    static volatile Thread startingThread;

    @ConductorComponent("database")
    static class Database implements Component {

        @Override
        public void shutdown() {
            DATABASE_SHUTDOWNS.incrementAndGet();
        }
    }

    /** Interrupts the thread that starts the application, then waits to be interrupted in turn. */
    @ConductorComponent("gate")
    static class InterruptingGate implements Component {

        InterruptingGate(Database database) {
        }

        @Override
        public void setup() throws InterruptedException {
            startingThread.interrupt();
            new CountDownLatch(1).await();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Database.class, InterruptingGate.class })
    static class InterruptedApplication {

        @Bean
        ConductorLifecycle.SetupObserver startingThreadRecorder() {
            return setup -> {
                startingThread = Thread.currentThread();
                setup.run();
            };
        }
    }

    @Test
    void anInterruptedStartupRollsBackAndIsExplainedAsACancellation(CapturedOutput output) {
        DATABASE_SHUTDOWNS.set(0);
        try {
            assertThatException().isThrownBy(() -> new SpringApplicationBuilder(InterruptedApplication.class)
                    .web(WebApplicationType.NONE).properties("conductor.setup-timeout=30s").run().close());
        }
        finally {
            Thread.interrupted();
        }
        assertThat(DATABASE_SHUTDOWNS).hasValue(1);
        assertThat(output).contains("""
                Description:

                The setup of the components was cancelled before it completed: the thread starting the application\
                 was interrupted.

                The components already active were shut down again: database.

                Action:

                Nothing to correct if the application was being stopped while it started (SIGTERM, System.exit(), a\
                 close of the context). Otherwise find out what interrupted the thread that starts the application.""");
    }
}
