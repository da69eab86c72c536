package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.EVENTS;
import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.SEEN_LIST;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.event;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.core.Conductor;
import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.ConfigureConductor;
import dev.conductor.test.Patch;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.EmbeddedDatabase;
import dev.conductor.test.blackbox.Parts.Extra;
import dev.conductor.test.blackbox.Parts.MessageQueue;
import dev.conductor.test.blackbox.Parts.MessageQueueMock;
import dev.conductor.test.blackbox.Parts.NeedsSettings;
import dev.conductor.test.blackbox.Parts.OtherQueueMock;
import dev.conductor.test.blackbox.Parts.Settings;
import dev.conductor.test.blackbox.Parts.Subject;
import dev.conductor.test.blackbox.Parts.WebApi;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** @Nested groups sharing the enclosing components or declaring their own, on several levels. */
class NestedBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class SharingThreeLevels {
        Database database;

        @Test
        void outer() {
            SEEN.put("outer", database);
        }

        @Nested
        class Level1 {
            Database level1;

            @Test
            void test(Database parameter) {
                assertThat(parameter).isSameAs(level1).isSameAs(database);
                SEEN.put("level1", level1);
            }

            @Nested
            class Level2 {
                Database level2;
                Cache cache;   // a nested class that shares adds its field types to the one graph

                @Test
                void test(Database parameter) {
                    assertThat(parameter).isSameAs(level2).isSameAs(level1).isSameAs(database);
                    assertTrue(cache.running());
                    SEEN.put("level2", level2);
                }
            }
        }
    }

    @Test
    void nestedClassesOnSeveralLevelsShareTheEnclosingComponents() {
        EngineExecutionResults results = run(SharingThreeLevels.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(SEEN.get("level2")).isSameAs(SEEN.get("outer"));
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedWithOwnComponents {
        Database database;

        @BeforeAll
        static void outerBeforeAll() {
            event("outerBeforeAll");
        }

        @AfterAll
        static void outerAfterAll() {
            event("outerAfterAll");
        }

        @Nested
        @ConductorTest(components = Cache.class)
        class Own {
            Database ownDatabase;
            Cache cache;

            @BeforeAll
            static void ownBeforeAll() {
                event("ownBeforeAll");
            }

            @Test
            void test() {
                assertTrue(database.running(), "the enclosing class's components keep running");
                assertThat(ownDatabase).isNotSameAs(database);
                assertTrue(ownDatabase.running());
                assertTrue(cache.running());
                SEEN.put("own", ownDatabase);
                SEEN.put("enclosing", database);
                event("ownTest");
            }

            @AfterAll
            static void ownAfterAll() {
                event("ownAfterAll");
            }
        }

        @Nested
        class Sharing {
            Database shared;

            @Test
            void test() {
                assertThat(shared).isSameAs(database);
                SEEN.put("shared", shared);
            }
        }
    }

    @Test
    void nestedClassWithItsOwnConductorTestRunsOnANewGraphAroundTheNestedClass() {
        EngineExecutionResults results = run(NestedWithOwnComponents.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        assertThat(SEEN.get("shared")).isSameAs(SEEN.get("enclosing"));
        assertThat(EVENTS).containsSubsequence("setup:Database", "outerBeforeAll", "setup:Cache", "ownBeforeAll",
                "ownTest", "ownAfterAll", "shutdown:Cache", "outerAfterAll", "shutdown:Database");
        // the nested graph's Database is shut down before the enclosing class's @AfterAll
        int ownAfterAll = EVENTS.indexOf("ownAfterAll");
        int outerAfterAll = EVENTS.indexOf("outerAfterAll");
        assertThat(EVENTS.subList(ownAfterAll, outerAfterAll)).contains("shutdown:Database", "shutdown:Cache");

        run(NestedWithOwnComponents.class);
        assertThat(setups(Database.class)).isEqualTo(4);
        assertThat(shutdowns(Database.class)).isEqualTo(4);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    static class NestedPatch {
        @Test
        void outer(WebApi api) {
            assertThat(api.queue).isInstanceOf(MessageQueueMock.class);
            SEEN.put("outer", api.queue.getClass());
        }

        @Nested
        @Patch(type = MessageQueue.class, with = OtherQueueMock.class)
        class Replacing {
            @Test
            void inner(WebApi api) {
                SEEN.put("inner", api.queue.getClass());
            }

            @Nested
            class Deeper {
                @Test
                void deepest(WebApi api) {
                    SEEN.put("deepest", api.queue.getClass());
                }
            }
        }

        @Nested
        @Patch(type = Database.class, with = EmbeddedDatabase.class)
        class Adding {
            @Test
            void inner(WebApi api) {
                assertThat(api.database).isInstanceOf(EmbeddedDatabase.class);
                SEEN.put("adding", api.queue.getClass());
            }
        }
    }

    @Test
    void nestedPatchReplacesTheEnclosingPatchOfTheSameTypeForItselfAndItsNestedClasses() {
        EngineExecutionResults results = run(NestedPatch.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsEntry("outer", MessageQueueMock.class)
                .containsEntry("inner", OtherQueueMock.class)
                .containsEntry("deepest", OtherQueueMock.class)
                .containsEntry("adding", MessageQueueMock.class);
        assertThat(setups(WebApi.class)).isEqualTo(3);
        assertThat(shutdowns(WebApi.class)).isEqualTo(3);
    }

    @Subject
    @ConductorTest(components = NeedsSettings.class)
    static class NestedConfigure {
        @ConfigureConductor
        static void outer(Conductor.Builder builder) {
            event("configure:outer");
            builder.provide(Settings.class, new Settings("outer"));
        }

        @Test
        void test(NeedsSettings needs) {
            SEEN.put("outer", needs.settings.url());
        }

        @Nested
        class Inner {
            @ConfigureConductor
            static void inner(Conductor.Builder builder) {
                event("configure:inner");
                builder.setupTimeout(Duration.ofSeconds(30));
            }

            @Test
            void test(NeedsSettings needs) {
                SEEN.put("inner", needs.settings.url());
            }
        }
    }

    @Test
    void nestedConfigureConductorMakesANewGraphConfiguredByTheEnclosingMethodFirst() {
        EngineExecutionResults results = run(NestedConfigure.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsEntry("outer", "outer").containsEntry("inner", "outer");
        assertThat(EVENTS).containsSubsequence("configure:outer", "configure:outer", "configure:inner");
        assertThat(setups(NeedsSettings.class)).isEqualTo(2);
        assertThat(shutdowns(NeedsSettings.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedPerClassInstance {
        Database database;
        Cache cache;

        @Nested
        @TestInstance(TestInstance.Lifecycle.PER_CLASS)
        class Inner {
            Database inner;
            final Cache fromConstructor;

            Inner(Cache cache) {
                this.fromConstructor = cache;
            }

            @BeforeAll
            void beforeAll() {
                assertThat(inner).as("the nested PER_CLASS instance's field in its @BeforeAll").isNotNull();
                assertThat(inner).isSameAs(database);
                SEEN.put("beforeAll", inner);
            }

            @Test
            void test() {
                assertTrue(fromConstructor.running());
            }
        }
    }

    @Test
    void nestedPerClassInstanceHasItsFieldsInItsBeforeAllAndComponentsInItsConstructor() {
        EngineExecutionResults results = run(NestedPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("beforeAll");
        assertThat(setups(Database.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedPerMethodInsidePerClass {
        Database database;

        @Test
        void outer() {
            SEEN.put("outer", database);
        }

        @Nested
        @ConductorTest(components = Extra.class, lifecycle = Lifecycle.PER_METHOD)
        class PerMethod {
            Extra extra;
            Database innerDatabase;

            @Test
            void one() {
                assertTrue(extra.running());
                assertThat(innerDatabase).isNotSameAs(database);
                SEEN.put("one", extra);
            }

            @Test
            void two() {
                SEEN.put("two", extra);
            }

            @Nested
            class Deeper {
                Extra deeper;

                @Test
                void three() {
                    assertThat(deeper).isSameAs(extra);
                    SEEN.put("three", deeper);
                }
            }
        }
    }

    @Test
    void nestedGroupWithItsOwnPerMethodLifecycleGetsNewComponentsPerTest() {
        EngineExecutionResults results = run(NestedPerMethodInsidePerClass.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(setups(Extra.class)).isEqualTo(3);
        assertThat(shutdowns(Extra.class)).isEqualTo(3);
        // the enclosing Database once, plus one per test of the nested group
        assertThat(setups(Database.class)).isEqualTo(4);
        assertThat(shutdowns(Database.class)).isEqualTo(4);
        assertThat(SEEN.get("one")).isNotSameAs(SEEN.get("two"));
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class Level2DeclaresOwn {
        Database database;

        @Nested
        class Level1 {
            Database level1;

            @Test
            void test() {
                assertThat(level1).isSameAs(database);
            }

            @Nested
            @ConductorTest(components = Cache.class)
            class Level2 {
                Database level2;
                Cache cache;

                @Test
                void test() {
                    assertThat(level2).isNotSameAs(database);
                    assertThat(level1).isSameAs(database);
                    assertTrue(cache.running());
                    SEEN.put("ran", true);
                }
            }
        }
    }

    @Test
    void secondLevelNestedClassWithItsOwnComponentsUnderASharingFirstLevel() {
        EngineExecutionResults results = run(Level2DeclaresOwn.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(setups(Cache.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedOwnGraphHangs {
        Database database;

        @Test
        void outer() {
            SEEN.put("outer", true);
        }

        @Nested
        @ConductorTest(components = Parts.Hanging.class, setupTimeout = "300ms")
        class Hangs {
            @Test
            void inner() {
                SEEN.put("inner", true);
            }
        }

        @Nested
        @ConductorTest(components = Parts.FailingShutdown.class)
        class FailsShutdown {
            @Test
            void inner() {
                SEEN.put("failsShutdown", true);
            }
        }

        @Nested
        class StillShares {
            Database shared;

            @Test
            void inner() {
                assertThat(shared).isSameAs(database);
                SEEN.put("shares", true);
            }
        }
    }

    @Test
    void aNestedGroupsHangingSetupAndFailingShutdownFailOnlyThatGroup() {
        try {
            long start = System.nanoTime();
            EngineExecutionResults results = run(NestedOwnGraphHangs.class);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(tookMillis).isLessThan(20_000);
            assertThat(SEEN).containsOnlyKeys("outer", "failsShutdown", "shares");
            var failed = results.containerEvents().failed().stream()
                    .map(e -> e.getTestDescriptor().getDisplayName()).toList();
            assertThat(failed).as(describe(results)).containsExactlyInAnyOrder("Hangs", "FailsShutdown");
            assertThat(Parts.anyCause(results, dev.conductor.core.ComponentSetupException.class)).isTrue();
            assertThat(Parts.anyCause(results, dev.conductor.core.ComponentShutdownException.class)).isTrue();
            // the enclosing Database: once for the class, once per nested graph that was set up
            assertThat(shutdowns(Database.class)).isEqualTo(setups(Database.class));
            assertThat(shutdowns(Parts.FailingShutdown.class)).isEqualTo(1);
        } finally {
            Parts.Hanging.release.countDown();
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedOuterNestedOwn {
        Database database;

        @Test
        void outer() {
            SEEN.put("outer", database);
        }

        @Nested
        class Sharing {
            Database inner;

            @Test
            void test() {
                SEEN.put("sharing", inner);
            }
        }

        @Nested
        @ConductorTest(components = Cache.class)
        class Own {
            Database own;
            Cache cache;

            @Test
            void test() {
                assertTrue(cache.running());
                assertTrue(database.running());
                SEEN.put("own", own);
            }
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedOuterOther {
        Database database;

        @Test
        void other() {
            SEEN.put("other", database);
        }
    }

    @Test
    void nestedGroupsUnderSharedComponents() {
        EngineExecutionResults results = run(SharedOuterNestedOwn.class, SharedOuterOther.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("sharing")).isSameAs(SEEN.get("outer")).isSameAs(SEEN.get("other"));
        assertThat(SEEN.get("own")).isNotSameAs(SEEN.get("outer"));
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class, setupTimeout = "300ms")
    static class NestedInheritsTimeout {
        @Test
        void outer() {
            SEEN.put("outer", true);
        }

        @Nested
        @ConductorTest(components = Parts.Hanging.class)
        class Hangs {
            @Test
            void inner() {
                SEEN.put("inner", true);
            }
        }
    }

    @Test
    void aNestedConductorTestWithoutTimeoutsTakesTheEnclosingClasses() {
        try {
            long start = System.nanoTime();
            EngineExecutionResults results = run(NestedInheritsTimeout.class);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(tookMillis).isLessThan(20_000);
            assertThat(SEEN).containsOnlyKeys("outer");
            assertThat(Parts.anyCause(results, dev.conductor.core.ComponentSetupException.class))
                    .as(describe(results)).isTrue();
        } finally {
            Parts.Hanging.release.countDown();
        }
    }

    abstract static class NestedConfigBase {
        @ConfigureConductor
        static void nestedBase(Conductor.Builder builder) {
            event("configure:nestedBase");
        }
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class ConfigureOrderInNested {
        @ConfigureConductor
        static void enclosing(Conductor.Builder builder) {
            event("configure:enclosing");
        }

        @Test
        void outer() {
        }

        @Nested
        class Inner extends NestedConfigBase {
            @ConfigureConductor
            static void own(Conductor.Builder builder) {
                event("configure:own");
            }

            @Test
            void inner() {
            }
        }
    }

    @Test
    void configureMethodsOfANestedGroupRunEnclosingThenSuperclassThenOwn() {
        EngineExecutionResults results = run(ConfigureOrderInNested.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(EVENTS.stream().filter(e -> e.startsWith("configure:"))).containsExactly("configure:enclosing",
                "configure:enclosing", "configure:nestedBase", "configure:own");
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodWithSharingNested {
        Database database;

        @Test
        void outer() {
            SEEN_LIST.add(database);
        }

        @Nested
        class Inner {
            Database inner;

            @Test
            void one() {
                assertThat(inner).isSameAs(database);
                assertTrue(inner.running());
                SEEN_LIST.add(inner);
            }

            @Test
            void two() {
                assertThat(inner).isSameAs(database);
                SEEN_LIST.add(inner);
            }
        }
    }

    @Test
    void aNestedGroupSharingPerMethodComponentsGetsNewOnesPerTestInBothInstances() {
        EngineExecutionResults results = run(PerMethodWithSharingNested.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(3).doesNotHaveDuplicates();
        assertThat(setups(Database.class)).isEqualTo(3);
        assertThat(shutdowns(Database.class)).isEqualTo(3);
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    static class NestedTwoPatches {
        @Test
        void outer() {
            SEEN.put("outer", true);
        }

        @Nested
        @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
        @Patch(type = MessageQueue.class, with = OtherQueueMock.class)
        class Twice {
            @Test
            void inner() {
                SEEN.put("inner", true);
            }
        }
    }

    @Test
    void twoPatchesOfOneTypeOnANestedGroupFailThatGroup() {
        EngineExecutionResults results = run(NestedTwoPatches.class);

        assertThat(SEEN).containsOnlyKeys("outer");
        assertThat(results.containerEvents().failed().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .as(describe(results)).containsExactly("Twice");
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedOwnGraphPerClassInstance {
        Database database;

        @Nested
        @ConductorTest(components = Cache.class)
        @TestInstance(TestInstance.Lifecycle.PER_CLASS)
        class Own {
            final Cache fromConstructor;
            Database ownDatabase;

            Own(Cache cache) {
                assertTrue(cache.running(), "the nested graph is set up before the nested PER_CLASS instance");
                this.fromConstructor = cache;
            }

            @BeforeAll
            void beforeAll() {
                assertThat(ownDatabase).isNotNull().isNotSameAs(database);
                assertTrue(ownDatabase.running());
                SEEN.put("beforeAll", true);
            }

            @Test
            void test(Cache cache) {
                assertThat(cache).isSameAs(fromConstructor);
            }
        }
    }

    @Test
    void aNestedGroupWithItsOwnGraphAndAPerClassInstanceTakesItsComponentsInItsConstructor() {
        EngineExecutionResults results = run(NestedOwnGraphPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("beforeAll");
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class SharedNestedGroup1 {
        @Test
        void outer() {
        }

        @Nested
        @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)
        class Group {
            Cache cache;

            @Test
            void test() {
                SEEN.put("group1", cache);
            }
        }
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class SharedNestedGroup2 {
        @Test
        void outer() {
        }

        @Nested
        @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)
        class Group {
            Cache cache;

            @Test
            void test() {
                SEEN.put("group2", cache);
            }
        }
    }

    @Test
    void sharedNestedGroupsWithTheSameComponentsShareThem() {
        EngineExecutionResults results = run(SharedNestedGroup1.class, SharedNestedGroup2.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("group1")).isNotNull().isSameAs(SEEN.get("group2"));
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        // the two enclosing classes' own PER_CLASS Database, plus the shared group's
        assertThat(setups(Database.class)).isEqualTo(3);
        assertThat(shutdowns(Database.class)).isEqualTo(3);

        run(SharedNestedGroup1.class, SharedNestedGroup2.class);
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(6);
    }
}
