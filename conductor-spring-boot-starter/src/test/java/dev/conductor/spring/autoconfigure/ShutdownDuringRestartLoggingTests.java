package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Component;
import dev.conductor.core.FailureReporter;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.SetupRetry;
import dev.conductor.spring.Supervision;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * An orderly shutdown that meets a supervised restart cancels it: that is no failure, so it logs no WARN and no stack
 * trace (RELIABILITY.md: an orderly shutdown logs no WARN or ERROR), while a restart that really fails still does.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownDuringRestartLoggingTests {

    /** What the broker's setups after the first do. */
    enum Restart { BLOCK, FAIL }

    static volatile Restart restart;

    static final AtomicInteger SETUPS = new AtomicInteger();

    static volatile CountDownLatch restartSetupEntered;

    static volatile CountDownLatch retryScheduled;

    @ConductorComponent(value = "broker", supervision = @Supervision(policy = "restart", maxRestarts = "3",
            window = "1m", delay = "0s"), setupRetry = @SetupRetry(maxRetries = "${broker.retries:0}", delay = "1m"))
    static class Broker implements Component {

        final FailureReporter failures;

        Broker(ComponentFailures failures) {
            this.failures = failures.reporter("broker");
        }

        @Override
        public void setup() throws InterruptedException {
            if (SETUPS.incrementAndGet() == 1) {
                return;
            }
            if (restart == Restart.FAIL) {
                throw new IllegalStateException("broker unreachable");
            }
            restartSetupEntered.countDown();
            new CountDownLatch(1).await(); // until the shutdown interrupts it
        }
    }

    @ConductorComponent("consumer")
    static class Consumer implements Component {

        Consumer(Broker broker) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Broker.class, Consumer.class })
    static class Application {

        @Bean
        LifecycleListener retryWatcher() {
            return event -> {
                if (event.kind() == LifecycleEvent.Kind.SETUP_RETRYING) {
                    retryScheduled.countDown();
                }
            };
        }
    }

    @BeforeEach
    void reset() {
        SETUPS.set(0);
        restartSetupEntered = new CountDownLatch(1);
        retryScheduled = new CountDownLatch(1);
    }

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties("conductor.readiness.check-interval=1h", "conductor.shutdown-timeout=10s")
                .properties(properties).run();
    }

    private static List<String> conductorWarnings(CapturedOutput output, int from) {
        return output.getOut().substring(from).lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    }

    @Test
    void aShutdownDuringARestartsSetupCancelsTheRestartQuietly(CapturedOutput output) throws Exception {
        restart = Restart.BLOCK;
        ConfigurableApplicationContext context = run();
        context.getBean(Broker.class).failures.failed(new IllegalStateException("connection lost"));
        assertThat(restartSetupEntered.await(30, TimeUnit.SECONDS)).isTrue();
        int from = output.getOut().length();

        context.close();

        assertThat(conductorWarnings(output, from)).isEmpty();
        assertThat(output.getOut().substring(from))
                .contains("Conductor: restart of 'broker' cancelled by the shutdown")
                .contains("Conductor: component 'broker' did not finish its setup for the restart: cancelled by the"
                        + " shutdown after ")
                .doesNotContain("SetupCancelledException").doesNotContain("\tat ");
    }

    @Test
    void aShutdownWhileARestartWaitsToRetryItsSetupCancelsTheRestartQuietly(CapturedOutput output) throws Exception {
        restart = Restart.FAIL;
        ConfigurableApplicationContext context = run("broker.retries=2");
        context.getBean(Broker.class).failures.failed(new IllegalStateException("connection lost"));
        assertThat(retryScheduled.await(30, TimeUnit.SECONDS)).isTrue(); // the next attempt is a minute away
        int from = output.getOut().length();

        context.close();

        assertThat(conductorWarnings(output, from)).isEmpty();
        assertThat(output.getOut().substring(from))
                .contains("Conductor: restart of 'broker' cancelled by the shutdown")
                .contains("Conductor: component 'broker' did not finish its setup for the restart: cancelled by the"
                        + " shutdown after ")
                .contains("(java.lang.IllegalStateException: broker unreachable)")
                .doesNotContain("SetupCancelledException").doesNotContain("\tat ");
    }

    @Test
    void aRestartThatFailsBeforeTheShutdownIsStillAWarningWithItsCause(CapturedOutput output) {
        restart = Restart.FAIL;
        try (ConfigurableApplicationContext context = run()) {
            context.getBean(Broker.class).failures.failed(new IllegalStateException("connection lost"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> output.getOut().contains("Conductor: component 'broker' failed to restart"));
        }
        assertThat(output.getOut()).containsPattern(" WARN .*Conductor: component 'broker' failed to set up after")
                .containsPattern(" WARN .*Conductor: component 'broker' failed to restart after")
                .contains("java.lang.IllegalStateException: broker unreachable");
    }
}
