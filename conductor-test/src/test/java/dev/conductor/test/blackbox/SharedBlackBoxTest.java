package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.SEEN_LIST;
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
import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.ConfigureConductor;
import dev.conductor.test.Patch;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.Extra;
import dev.conductor.test.blackbox.Parts.FailingSetup;
import dev.conductor.test.blackbox.Parts.FailingShutdown;
import dev.conductor.test.blackbox.Parts.MessageQueue;
import dev.conductor.test.blackbox.Parts.MessageQueueMock;
import dev.conductor.test.blackbox.Parts.Subject;
import dev.conductor.test.blackbox.Parts.WebApi;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** SHARED components across classes: the cache key, one shutdown per run, failed setups and shutdowns. */
class SharedBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    @Subject
    @ConductorTest(components = { Database.class, Cache.class }, lifecycle = Lifecycle.SHARED)
    static class SharedA {
        Database database;

        @Test
        void test() {
            assertTrue(database.running());
            SEEN_LIST.add(database);
        }
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)   // Database from the field
    static class SharedB {
        Database database;

        @Test
        void test() {
            assertTrue(database.running(), "not shut down between classes");
            SEEN_LIST.add(database);
        }

        @Nested
        class Inner {
            Database inner;

            @Test
            void test() {
                SEEN_LIST.add(inner);
            }
        }
    }

    @Subject
    @ConductorTest(components = { Cache.class, Database.class }, lifecycle = Lifecycle.SHARED)
    static class SharedC {
        Database database;

        @Test
        void test() {
            SEEN_LIST.add(database);
        }
    }

    @Test
    void classesWithTheSameComponentsInAnyOrderShareThemAndTheyShutDownOnceAtTheEndOfEachRun() {
        EngineExecutionResults results = run(SharedA.class, SharedB.class, SharedC.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(4).containsOnly(SEEN_LIST.get(0));

        run(SharedA.class, SharedB.class, SharedC.class);
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(8);
        assertThat(SEEN_LIST.get(4)).isNotSameAs(SEEN_LIST.get(0));
        assertThat(SEEN_LIST.subList(4, 8)).containsOnly(SEEN_LIST.get(4));
    }

    @Subject
    @ConductorTest(components = { Database.class, Cache.class })
    static class PerClassSameComponents {
        Database database;

        @Test
        void test() {
            SEEN.put("perClass", database);
        }
    }

    @Subject
    @ConductorTest(components = { Database.class, Cache.class }, lifecycle = Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    static class SharedOtherPatch {
        Database database;

        @Test
        void test() {
            SEEN.put("otherPatch", database);
        }
    }

    @Subject
    @ConductorTest(components = { Database.class, Cache.class }, lifecycle = Lifecycle.SHARED, setupTimeout = "30s")
    static class SharedOtherTimeout {
        Database database;

        @Test
        void test() {
            SEEN.put("otherTimeout", database);
        }
    }

    @Subject
    @ConductorTest(components = { Database.class, Cache.class, Extra.class }, lifecycle = Lifecycle.SHARED)
    static class SharedMoreComponents {
        Database database;

        @Test
        void test() {
            SEEN.put("more", database);
        }
    }

    @Test
    void otherPatchesTimeoutsComponentsOrLifecycleAreNotShared() {
        EngineExecutionResults results = run(SharedA.class, PerClassSameComponents.class, SharedOtherPatch.class,
                SharedOtherTimeout.class, SharedMoreComponents.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(5);
        assertThat(shutdowns(Database.class)).isEqualTo(5);
        assertThat(SEEN.values()).doesNotHaveDuplicates().doesNotContain(SEEN_LIST.get(0));
    }

    abstract static class CommonConfiguration {
        @ConfigureConductor
        static void common(Conductor.Builder builder) {
            event("configure:common");
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class InheritsConfig1 extends CommonConfiguration {
        Database database;

        @Test
        void test() {
            SEEN.put("inherits1", database);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class InheritsConfig2 extends CommonConfiguration {
        Database database;

        @Test
        void test() {
            SEEN.put("inherits2", database);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class OwnConfig1 {
        @ConfigureConductor
        static void common(Conductor.Builder builder) {
            event("configure:common");
        }

        Database database;

        @Test
        void test() {
            SEEN.put("own1", database);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class OwnConfig2 {
        @ConfigureConductor
        static void common(Conductor.Builder builder) {
            event("configure:common");
        }

        Database database;

        @Test
        void test() {
            SEEN.put("own2", database);
        }
    }

    @Test
    void aConfigureMethodInheritedFromACommonSuperclassIsSharedButEqualOwnMethodsAreNot() {
        EngineExecutionResults results = run(InheritsConfig1.class, InheritsConfig2.class, OwnConfig1.class,
                OwnConfig2.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("inherits1")).isSameAs(SEEN.get("inherits2"));
        assertThat(SEEN.get("own1")).isNotSameAs(SEEN.get("own2")).isNotSameAs(SEEN.get("inherits1"));
        assertThat(setups(Database.class)).isEqualTo(3);
        assertThat(shutdowns(Database.class)).isEqualTo(3);
        assertThat(Parts.EVENTS.stream().filter(e -> e.equals("configure:common")).count()).isEqualTo(3);
    }

    @Subject
    @ConductorTest(components = { Database.class, FailingSetup.class }, lifecycle = Lifecycle.SHARED)
    static class SharedFailing1 {
        @Test
        void test() {
            SEEN.put("failing1", true);
        }
    }

    @Subject
    @ConductorTest(components = { FailingSetup.class, Database.class }, lifecycle = Lifecycle.SHARED)
    static class SharedFailing2 {
        @Test
        void test() {
            SEEN.put("failing2", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedHealthy {
        @Test
        void test(Database database) {
            assertTrue(database.running());
            SEEN.put("healthy", true);
        }
    }

    @Test
    void aFailedSharedSetupIsTriedOnceAndFailsEveryClassWithThatKeyWhileOtherClassesRun() {
        EngineExecutionResults results = run(SharedFailing1.class, SharedHealthy.class, SharedFailing2.class);

        assertThat(SEEN).containsOnlyKeys("healthy");
        assertThat(setups(FailingSetup.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(setups(Database.class));
        assertThat(anyCause(results, ComponentSetupException.class)).as(describe(results)).isTrue();
        var failedClasses = results.containerEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName()).collect(Collectors.toList());
        assertThat(failedClasses).containsExactlyInAnyOrder("SharedBlackBoxTest$SharedFailing1",
                "SharedBlackBoxTest$SharedFailing2");
        var exceptions = results.containerEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        assertThat(exceptions).hasSize(2);
        // the same ComponentSetupException for both
        assertThat(rootSetupException(exceptions.get(0))).isSameAs(rootSetupException(exceptions.get(1)));

        // a second run tries again, once
        run(SharedFailing1.class, SharedFailing2.class);
        assertThat(setups(FailingSetup.class)).isEqualTo(2);
    }

    private static Throwable rootSetupException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ComponentSetupException) {
                return c;
            }
        }
        return t;
    }

    @Subject
    @ConductorTest(components = { Database.class, FailingShutdown.class }, lifecycle = Lifecycle.SHARED)
    static class SharedFailingShutdown1 {
        @Test
        void test() {
            SEEN.put("one", true);
        }
    }

    @Subject
    @ConductorTest(components = { Database.class, FailingShutdown.class }, lifecycle = Lifecycle.SHARED)
    static class SharedFailingShutdown2 {
        @Test
        void test() {
            SEEN.put("two", true);
        }
    }

    @Test
    void aFailedSharedShutdownFailsTheRunOnce() {
        EngineExecutionResults results = run(SharedFailingShutdown1.class, SharedFailingShutdown2.class);

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(shutdowns(FailingShutdown.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(anyCause(results, ComponentShutdownException.class)).as(describe(results)).isTrue();
        assertThat(results.allEvents().failed().count()).as(describe(results)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Parts.HangingShutdown.class, lifecycle = Lifecycle.SHARED, shutdownTimeout = "300ms")
    static class SharedHangingShutdown {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aHangingSharedShutdownFailsTheRunQuickly() {
        try {
            long start = System.nanoTime();
            EngineExecutionResults results = run(SharedHangingShutdown.class, SharedA.class);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(tookMillis).isLessThan(20_000);
            assertThat(SEEN).containsKey("ran");
            results.testEvents().assertStatistics(s -> s.succeeded(2));
            assertThat(anyCause(results, ComponentShutdownException.class)).as(describe(results)).isTrue();
            assertThat(describe(results)).contains("HangingShutdown");
            // the other shared set is still shut down
            assertThat(shutdowns(Database.class)).isEqualTo(1);
        } finally {
            Parts.Hanging.release.countDown();
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    static class SharedPerClassInstance1 {
        final Database database;

        SharedPerClassInstance1(Database database) {
            assertTrue(database.running());
            this.database = database;
        }

        @Test
        void test() {
            SEEN.put("one", database);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    static class SharedPerClassInstance2 {
        final Database database;

        SharedPerClassInstance2(Database database) {
            this.database = database;
        }

        @Test
        void test() {
            SEEN.put("two", database);
        }
    }

    @Test
    void sharedComponentsReachThePerClassInstancesConstructor() {
        EngineExecutionResults results = run(SharedPerClassInstance1.class, SharedPerClassInstance2.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("one")).isNotNull().isSameAs(SEEN.get("two"));
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedKeyFromNestedField {
        Database database;

        @Test
        void test() {
            SEEN.put("outer", database);
        }

        @Nested
        class Inner {
            Cache cache;

            @Test
            void test() {
                SEEN.put("innerCache", cache);
            }
        }
    }

    @Subject
    @ConductorTest(components = { Cache.class, Database.class }, lifecycle = Lifecycle.SHARED)
    static class SharedKeyNamed {
        Database database;
        Cache cache;

        @Test
        void test() {
            SEEN.put("named", database);
            SEEN.put("namedCache", cache);
        }
    }

    @Test
    void aSharingNestedClassesFieldCountsInTheCacheKey() {
        EngineExecutionResults results = run(SharedKeyFromNestedField.class, SharedKeyNamed.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("outer")).isSameAs(SEEN.get("named"));
        assertThat(SEEN.get("innerCache")).isSameAs(SEEN.get("namedCache"));
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(setups(Cache.class)).isEqualTo(1);
    }
}
