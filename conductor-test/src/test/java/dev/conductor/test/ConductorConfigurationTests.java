package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import dev.conductor.test.Shop.Configured;
import dev.conductor.test.Shop.Database;
import dev.conductor.test.Shop.HangingSetup;
import dev.conductor.test.Shop.HangingShutdown;
import dev.conductor.test.Shop.Settings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A test configures its conductor: timeouts by attribute, everything else through a {@link ConfigureConductor}
 * method that receives the builder (provided values, retries, supervision, a listener, faults).
 */
class ConductorConfigurationTests {

    @BeforeEach
    void clearLog() {
        Shop.reset();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
    }

    @Test
    void theSetupTimeoutAttributeTimesAHangingSetupOut() {
        HangingSetup.RELEASE = new CountDownLatch(1);
        try {
            Events events = run(ShortSetupTimeout.class);

            events.assertThatEvents().haveExactly(1, event(container(ShortSetupTimeout.class), finishedWithFailure(
                    instanceOf(ComponentSetupException.class),
                    message(text -> text.startsWith("Setup of component 'HangingSetup' timed out")))));
            assertThat(Shop.LOG).doesNotContain("test");
        }
        finally {
            HangingSetup.RELEASE.countDown();
        }
    }

    @ConductorTest(components = HangingSetup.class, setupTimeout = "200ms", shutdownTimeout = "PT5S")
    static class ShortSetupTimeout {

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void theShutdownTimeoutAttributeTimesAHangingShutdownOut() {
        HangingShutdown.RELEASE = new CountDownLatch(1);
        try {
            Events events = run(ShortShutdownTimeout.class);

            events.assertThatEvents().haveExactly(1, event(container(ShortShutdownTimeout.class), finishedWithFailure(
                    instanceOf(ComponentShutdownException.class),
                    message(text -> text.contains("HangingShutdown ('HangingShutdown' did not finish its shutdown"
                            + " within 1000 ms)")))));
            assertThat(Shop.LOG).contains("test", "shutdown Database");
        }
        finally {
            HangingShutdown.RELEASE.countDown();
        }
    }

    @ConductorTest(components = { HangingShutdown.class, Database.class }, shutdownTimeout = "1s")
    static class ShortShutdownTimeout {

        @Test
        void runs() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void anInvalidTimeoutFailsTheClassSayingWhatIsExpected() {
        Events events = run(InvalidTimeout.class);

        events.assertThatEvents().haveExactly(1, event(container(InvalidTimeout.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("Invalid @ConductorTest(setupTimeout = \"ten seconds\") on " + InvalidTimeout.class.getName()
                        + ": expected a positive duration such as \"500ms\", \"10s\", \"2m\" or \"PT10S\"."))));
    }

    @ConductorTest(components = Database.class, setupTimeout = "ten seconds")
    static class InvalidTimeout {

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aConfigureMethodProvidesValuesAndTheTimeoutsItSetsWinOverTheAttributes() {
        Events events = run(ProvidedValues.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
    }

    @ConductorTest(setupTimeout = "1ms")
    static class ProvidedValues {

        Configured configured;

        @ConfigureConductor
        static void conductor(Conductor.Builder builder) {
            builder.provide(Settings.class, new Settings("jdbc:h2:mem:orders")).setupTimeout(Duration.ofMinutes(1));
        }

        @Test
        void theComponentReceivedTheValue() {
            assertThat(configured.settings.url()).isEqualTo("jdbc:h2:mem:orders");
            assertThat(configured.active).isTrue();
        }
    }

    @Test
    void faultsRetriesAndAListenerComeFromTheConfigureMethod() {
        Events events = run(RetriedFaults.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
        assertThat(RetriedFaults.EVENTS).containsSubsequence(LifecycleEvent.Kind.SETUP_RETRYING,
                LifecycleEvent.Kind.SETUP_RETRYING, LifecycleEvent.Kind.SETUP_FINISHED);
    }

    @ConductorTest(components = Database.class)
    static class RetriedFaults {

        static final List<LifecycleEvent.Kind> EVENTS = new CopyOnWriteArrayList<>();

        @ConfigureConductor
        static void conductor(Conductor.Builder builder) {
            builder.faults(new Faults().failNextSetups(Database.class, 2))
                    .setupRetry(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(1)).build())
                    .listener(event -> EVENTS.add(event.kind()));
        }

        @Test
        void theDatabaseIsActiveAfterTwoRetries(Database database) {
            assertThat(database.active).isTrue();
        }
    }

    @Test
    void aSupervisionPolicyFromTheConfigureMethodRestartsAComponentThatFailsWhileRunning() {
        Events events = run(Supervised.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
        assertThat(Shop.LOG).containsExactly("setup Database", "shutdown Database", "setup Database",
                "shutdown Database");
    }

    @ConductorTest(components = Database.class)
    static class Supervised {

        static final Faults FAULTS = new Faults();

        static final CountDownLatch RESTARTED = new CountDownLatch(1);

        @ConfigureConductor
        static void conductor(Conductor.Builder builder) {
            builder.faults(FAULTS)
                    .supervision(SupervisionPolicy.restart(1, Duration.ofMinutes(1), RetryPolicy.none()))
                    .listener(event -> {
                        if (event.kind() == LifecycleEvent.Kind.RESTART_FINISHED) {
                            RESTARTED.countDown();
                        }
                    });
        }

        @Test
        void theDatabaseIsSetUpAgain(Database database) throws InterruptedException {
            FAULTS.failWhileRunning(Database.class, new IllegalStateException("connection lost"));

            assertThat(RESTARTED.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(database.active).isTrue();
        }
    }

    @Test
    void aConfigureMethodWithTheWrongShapeFailsTheClassShowingTheRightOne() {
        Events events = run(WrongConfigureMethod.class);

        events.assertThatEvents().haveExactly(1, event(container(WrongConfigureMethod.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@ConfigureConductor method WrongConfigureMethod.conductor() must be static, return void and"
                        + " take one Conductor.Builder, for example 'static void conductor(Conductor.Builder"
                        + " builder)'."))));
    }

    @ConductorTest(components = Database.class)
    static class WrongConfigureMethod {

        @ConfigureConductor
        void conductor(Conductor.Builder builder) {
        }

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aConfigureMethodThatThrowsFailsTheClassNamingIt() {
        Events events = run(ThrowingConfigureMethod.class);

        events.assertThatEvents().haveExactly(1, event(container(ThrowingConfigureMethod.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(text -> text.startsWith("@ConfigureConductor method ThrowingConfigureMethod.conductor() of "
                        + ThrowingConfigureMethod.class.getName() + " failed: java.lang.IllegalStateException: A value"
                        + " for Settings was provided twice")))));
    }

    @ConductorTest(components = Configured.class)
    static class ThrowingConfigureMethod {

        @ConfigureConductor
        static void conductor(Conductor.Builder builder) {
            builder.provide(Settings.class, new Settings("a")).provide(Settings.class, new Settings("b"));
        }

        @Test
        void neverRuns() {
        }
    }
}
