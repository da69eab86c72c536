package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.EVENTS;
import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.anyCause;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.event;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.RetryPolicy;
import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.ConfigureConductor;
import dev.conductor.test.Patch;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.FailingSetup;
import dev.conductor.test.blackbox.Parts.FailingShutdown;
import dev.conductor.test.blackbox.Parts.Hanging;
import dev.conductor.test.blackbox.Parts.HangingShutdown;
import dev.conductor.test.blackbox.Parts.MessageQueue;
import dev.conductor.test.blackbox.Parts.MessageQueueMock;
import dev.conductor.test.blackbox.Parts.NeedsSettings;
import dev.conductor.test.blackbox.Parts.Settings;
import dev.conductor.test.blackbox.Parts.Subject;
import dev.conductor.test.blackbox.Parts.WebApi;
import dev.conductor.core.LifecycleEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Timeouts, failures and @ConfigureConductor. */
class ConfigureBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    @AfterEach
    void release() {
        Hanging.release.countDown();
    }

    // ------------------------------------------------------------------ timeouts

    @Subject
    @ConductorTest(components = { Database.class, Hanging.class }, setupTimeout = "1s")
    static class HangingSetupShortTimeout {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aHangingSetupWithAShortSetupTimeoutFailsTheClassQuicklyNamingTheComponent() {
        long start = System.nanoTime();
        EngineExecutionResults results = run(HangingSetupShortTimeout.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(anyCause(results, ComponentSetupException.class)).as(describe(results)).isTrue();
        assertThat(describe(results)).contains("Hanging");
        assertThat(setups(Hanging.class)).isZero();
        // what became active is shut down again
        assertThat(shutdowns(Database.class)).isEqualTo(setups(Database.class));
    }

    @Subject
    @ConductorTest(components = Hanging.class, setupTimeout = "10m")
    static class ConfigureOverridesTimeout {
        @ConfigureConductor
        static void configure(Conductor.Builder builder) {
            builder.setupTimeout(Duration.ofMillis(300));
        }

        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aConfigureConductorMethodOverridesTheAnnotationsTimeout() {
        long start = System.nanoTime();
        EngineExecutionResults results = run(ConfigureOverridesTimeout.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(anyCause(results, ComponentSetupException.class)).as(describe(results)).isTrue();
    }

    @Subject
    @ConductorTest(components = Hanging.class, setupTimeout = "300ms", lifecycle = Lifecycle.PER_METHOD)
    static class HangingSetupPerMethod {
        @Test
        void one() {
            SEEN.put("one", true);
        }

        @Test
        void two() {
            SEEN.put("two", true);
        }
    }

    @Test
    void aHangingSetupPerMethodFailsEachTestQuickly() {
        long start = System.nanoTime();
        EngineExecutionResults results = run(HangingSetupPerMethod.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(SEEN).isEmpty();
        results.testEvents().assertStatistics(s -> s.failed(2));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Subject
    @ConductorTest(components = { Database.class, HangingShutdown.class }, shutdownTimeout = "1s")
    static class HangingShutdownShortTimeout {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aHangingShutdownWithAShortShutdownTimeoutFailsTheClassQuicklyAndTheOthersStillShutDown() {
        long start = System.nanoTime();
        EngineExecutionResults results = run(HangingShutdownShortTimeout.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(SEEN).containsKey("ran");
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(results.containerEvents().failed().count()).isPositive();
        assertThat(anyCause(results, ComponentShutdownException.class)).as(describe(results)).isTrue();
        assertThat(describe(results)).contains("HangingShutdown");
        assertThat(shutdowns(Database.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class, setupTimeout = "soon")
    static class InvalidTimeout {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void anInvalidTimeoutFailsTheClass() {
        EngineExecutionResults results = run(InvalidTimeout.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.allEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("soon");
    }

    @Subject
    @ConductorTest(components = Database.class, setupTimeout = "PT10S", shutdownTimeout = "2m")
    static class IsoAndShortTimeouts {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void theDocumentedTimeoutFormsAreAccepted() {
        EngineExecutionResults results = run(IsoAndShortTimeouts.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    // ------------------------------------------------------------------ failures

    @Subject
    @ConductorTest(components = { WebApi.class, FailingSetup.class })
    static class FailingSetupClass {
        @Test
        void one() {
            SEEN.put("ran", true);
        }

        @Test
        void two() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aFailedSetupFailsTheClassWithTheSetupExceptionAndNoTestRuns() {
        EngineExecutionResults results = run(FailingSetupClass.class);

        assertThat(SEEN).doesNotContainKey("ran");
        results.testEvents().assertStatistics(s -> s.started(0));
        assertThat(anyCause(results, ComponentSetupException.class)).as(describe(results)).isTrue();
        assertThat(describe(results)).contains("FailingSetup").contains("journal directory is locked");
        assertThat(shutdowns(FailingSetup.class)).isZero();
        assertThat(shutdowns(Database.class)).isEqualTo(setups(Database.class));
        assertThat(shutdowns(WebApi.class)).isEqualTo(setups(WebApi.class));
    }

    @Subject
    @ConductorTest(components = { Database.class, FailingShutdown.class })
    static class FailingShutdownClass {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aFailedShutdownFailsTheClassWithTheShutdownException() {
        EngineExecutionResults results = run(FailingShutdownClass.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(results.containerEvents().failed().count()).isPositive();
        assertThat(anyCause(results, ComponentShutdownException.class)).as(describe(results)).isTrue();
        assertThat(describe(results)).contains("FailingShutdown");
        assertThat(shutdowns(Database.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = { Database.class, FailingShutdown.class }, lifecycle = Lifecycle.PER_METHOD)
    static class FailingShutdownPerMethod {
        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    @Test
    void aFailedShutdownPerMethodFailsTheTest() {
        EngineExecutionResults results = run(FailingShutdownPerMethod.class);

        results.testEvents().assertStatistics(s -> s.failed(2));
        assertThat(anyCause(results, ComponentShutdownException.class)).as(describe(results)).isTrue();
        assertThat(shutdowns(Database.class)).isEqualTo(2);
    }

    // ------------------------------------------------------------------ @ConfigureConductor

    abstract static class ConfiguredBase {
        @ConfigureConductor
        static void base(Conductor.Builder builder) {
            event("configure:base");
            builder.provide(Settings.class, new Settings("jdbc:h2:mem:orders"));
        }
    }

    @Subject
    @ConductorTest(components = NeedsSettings.class, lifecycle = Lifecycle.PER_METHOD)
    static class ConfiguredSub extends ConfiguredBase {
        @ConfigureConductor
        private static void sub(Conductor.Builder builder) {
            event("configure:sub");
        }

        @Test
        void one(NeedsSettings needs) {
            SEEN.put("url", needs.settings.url());
        }

        @Test
        void two(NeedsSettings needs) {
            assertTrue(needs.running());
        }
    }

    @Test
    void configureMethodsRunSuperclassFirstEachTimeTheComponentsAreCreated() {
        EngineExecutionResults results = run(ConfiguredSub.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsEntry("url", "jdbc:h2:mem:orders");
        assertThat(EVENTS.stream().filter(e -> e.startsWith("configure:")))
                .containsExactly("configure:base", "configure:sub", "configure:base", "configure:sub");
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class ConfigureThrows {
        @ConfigureConductor
        static void brokenConfiguration(Conductor.Builder builder) {
            throw new IllegalStateException("no settings for you");
        }

        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aConfigureMethodThatThrowsFailsTheClassNamingTheMethod() {
        EngineExecutionResults results = run(ConfigureThrows.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.containerEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("brokenConfiguration");
        assertThat(setups(Database.class)).isZero();
    }

    static final Faults FAULTS = new Faults();
    static final List<LifecycleEvent> LISTENED = new CopyOnWriteArrayList<>();

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    static class ConfigureAndPatch {
        @ConfigureConductor
        static void configure(Conductor.Builder builder) {
            builder.setupRetry(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(1)).build())
                    .listener(LISTENED::add)
                    .faults(FAULTS);
        }

        @Test
        void test(WebApi api, Cache cacheNotInGraph) {
            SEEN.put("ran", true);
        }

        @Test
        void patched(WebApi api) {
            assertThat(api.queue).isInstanceOf(MessageQueueMock.class);
            SEEN.put("patched", true);
        }
    }

    @Test
    void configureMeetsPatchFaultsRetriesAndListenerSeeThePatchedComponent() {
        LISTENED.clear();
        FAULTS.clear();
        FAULTS.failNextSetups(MessageQueue.class, 1);
        EngineExecutionResults results = run(ConfigureAndPatch.class);
        FAULTS.clear();

        // the test asking for a component that is not in the graph fails; the other passes
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(SEEN).containsKey("patched");
        assertThat(LISTENED).isNotEmpty();
        assertThat(LISTENED.toString()).contains("MessageQueue");
        assertThat(setups(MessageQueueMock.class)).isEqualTo(1);
        assertThat(shutdowns(MessageQueueMock.class)).isEqualTo(1);
    }

    static final Faults PER_METHOD_FAULTS = new Faults();

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class PerMethodFaults {
        @ConfigureConductor
        static void configure(Conductor.Builder builder) {
            builder.faults(PER_METHOD_FAULTS);
        }

        @Test
        void a(Database database) {
            SEEN.put("a", true);
        }

        @Test
        void b(Database database) {
            SEEN.put("b", true);
        }
    }

    @Test
    void perMethodAFailedSetupFailsOnlyThatTest() {
        PER_METHOD_FAULTS.clear();
        PER_METHOD_FAULTS.failNextSetups(Database.class, 1);
        EngineExecutionResults results = run(PerMethodFaults.class);
        PER_METHOD_FAULTS.clear();

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(SEEN).containsOnlyKeys("b");
        assertThat(anyCause(results, ComponentSetupException.class)).as(describe(results)).isTrue();
    }
}
