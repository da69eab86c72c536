package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** A failing, hanging or cyclic component fails the startup, rolls back, and is explained by the analyzer. */
@ExtendWith(OutputCaptureExtension.class)
class ConductorStartupFailureTests {

    static final AtomicInteger DATABASE_SHUTDOWNS = new AtomicInteger();

    private static void run(Class<?> configuration, String... properties) {
        new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).properties(properties).run()
                .close();
    }

    @ConductorComponent("database")
    static class Database implements Component {

        @Override
        public void shutdown() {
            DATABASE_SHUTDOWNS.incrementAndGet();
        }
    }

    @ConductorComponent("messageQueue")
    static class BrokenQueue implements Component {

        BrokenQueue(Database database) {
        }

        @Override
        public void setup() {
            throw new IllegalStateException("journal directory is locked");
        }
    }

    @ConductorComponent("webApi")
    static class WebApi implements Component {

        WebApi(BrokenQueue queue) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Database.class, BrokenQueue.class, WebApi.class })
    static class FailingApplication {
    }

    @Test
    void aFailedSetupFailsTheStartupAfterRollingBackAndIsExplained(CapturedOutput output) {
        DATABASE_SHUTDOWNS.set(0);
        // in the lifecycle's start, so that webApi exists when messageQueue fails: with early start, a setup that
        // fails before its dependents' beans exist names only the path known then (EarlyStartTests)
        assertThatException().isThrownBy(() -> run(FailingApplication.class, "conductor.early-start=never"));
        assertThat(DATABASE_SHUTDOWNS).hasValue(1);
        assertThat(output).contains("""
                APPLICATION FAILED TO START
                ***************************

                Description:

                Component 'messageQueue' failed to set up.

                    Dependency path: webApi -> messageQueue
                    Cause: java.lang.IllegalStateException: journal directory is locked

                The components that were already active were shut down again.

                Action:

                Fix the cause of the failed setup of 'messageQueue' shown above.""");
    }

    @ConductorComponent(value = "hanging", setupTimeout = "100ms")
    static class Hanging implements Component {

        @Override
        public void setup() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import(Hanging.class)
    static class HangingApplication {
    }

    @Test
    void aSetupPastItsTimeoutFailsTheStartupWithAnActionAboutTheTimeout(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(HangingApplication.class));
        assertThat(output).contains("Component 'hanging' did not finish its setup in time.")
                .contains("Cause: 'hanging' did not finish its setup within"
                        + " 100 ms")
                .contains("Make the setup of 'hanging' finish sooner, or give it more time with"
                        + " @ConductorComponent(setupTimeout = \"...\") or the conductor.setup-timeout property.");
    }

    @Test
    void theDefaultSetupTimeoutComesFromTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(DefaultTimeoutApplication.class, "conductor.setup-timeout=50ms"));
        assertThat(output).contains("did not finish its setup within 50 ms");
    }

    @ConductorComponent("unbounded")
    static class HangingWithoutOwnTimeout implements Component {

        @Override
        public void setup() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import(HangingWithoutOwnTimeout.class)
    static class DefaultTimeoutApplication {
    }

    @ConductorComponent("cycleX")
    static class CycleX implements Component {

        @Autowired
        CycleY next;
    }

    @ConductorComponent("cycleY")
    static class CycleY implements Component {

        @Autowired
        CycleZ next;
    }

    @ConductorComponent("cycleZ")
    static class CycleZ implements Component {

        @Autowired
        CycleX next;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ CycleX.class, CycleY.class, CycleZ.class })
    static class CyclicApplication {
    }

    @Test
    void aCycleThroughFieldInjectionFailsTheStartupBeforeAnySetup(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(CyclicApplication.class,
                "spring.main.allow-circular-references=true"));
        assertThat(output).contains("The dependencies of the application's components form a cycle:")
                .contains("cycleX -> cycleY -> cycleZ -> cycleX")
                .contains("Break the cycle");
    }

    @ConductorComponent(value = "badTimeout", setupTimeout = "soon")
    static class BadTimeout implements Component {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import(BadTimeout.class)
    static class BadTimeoutApplication {
    }

    @Test
    void anInvalidTimeoutNamesTheComponent(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(BadTimeoutApplication.class));
        assertThat(output).contains("Component 'badTimeout' has @ConductorComponent(setupTimeout = \"soon\"),"
                + " which is not a positive duration").contains("Use Spring Boot's duration format");
    }
}
