package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.SEEN_LIST;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.parallel;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Counted;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.Subject;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** junit.jupiter.execution.parallel.enabled=true, proven with barriers. */
class ParallelBlackBoxTest {

    static volatile CyclicBarrier barrier = new CyclicBarrier(2);

    static final Map<String, String> CONCURRENT_METHODS = parallel("concurrent", "same_thread");
    static final Map<String, String> CONCURRENT_CLASSES = parallel("same_thread", "concurrent");
    static final Map<String, String> CONCURRENT_ALL = parallel("concurrent", "concurrent");

    @BeforeEach
    void reset() {
        Parts.reset();
        barrier = new CyclicBarrier(2);
    }

    /** Returns once the other party is there too: proof that both run at the same time. */
    static void meet() throws Exception {
        barrier.await(30, TimeUnit.SECONDS);
    }

    static void allRunning() {
        for (Object o : SEEN_LIST) {
            assertTrue(((Counted) o).running(), o + " running while the other test runs");
        }
    }

    // ------------------------------------------------------------------ PER_CLASS

    @Subject
    @ConductorTest(components = Database.class)
    static class PerClassConcurrentMethods {
        Database database;

        @Test
        void one() throws Exception {
            SEEN_LIST.add(database);
            meet();
        }

        @Test
        void two() throws Exception {
            SEEN_LIST.add(database);
            meet();
        }
    }

    @Test
    void perClassComponentsAreUsedByConcurrentTestsAtTheSameTimeSetUpOnce() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, PerClassConcurrentMethods.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
    }

    // ------------------------------------------------------------------ PER_METHOD

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodConcurrent {
        Database database;

        @Test
        void one() throws Exception {
            SEEN_LIST.add(database);
            meet();
            allRunning();
            meet();
        }

        @Test
        void two(Database parameter) throws Exception {
            assertThat(parameter).isSameAs(database);
            SEEN_LIST.add(database);
            meet();
            allRunning();
            meet();
        }
    }

    @Test
    void perMethodComponentsBelongToOneConcurrentTestEach() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, PerMethodConcurrent.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class PerMethodFieldsOnConcurrentPerClassInstance {
        Database database;

        @Test
        void one() throws Exception {
            SEEN.put("one", true);
        }

        @Test
        void two() throws Exception {
            SEEN.put("two", true);
        }
    }

    @Test
    void perMethodComponentFieldsOnAConcurrentPerClassInstanceAreRefused() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, PerMethodFieldsOnConcurrentPerClassInstance.class);

        assertThat(SEEN).isEmpty();
        assertThat(results.allEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("PER_METHOD");
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class PerMethodParametersOnConcurrentPerClassInstance {
        @Test
        void one(Database database) throws Exception {
            SEEN_LIST.add(database);
            meet();
            allRunning();
            meet();
        }

        @Test
        void two(Database database) throws Exception {
            SEEN_LIST.add(database);
            meet();
            allRunning();
            meet();
        }
    }

    @Test
    void perMethodComponentParametersOnAConcurrentPerClassInstanceWork() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, PerMethodParametersOnConcurrentPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
    }

    @Subject
    @ConductorTest(components = Database.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class PerClassFieldsOnConcurrentPerClassInstance {
        Database database;

        @Test
        void one() throws Exception {
            SEEN_LIST.add(database);
            meet();
        }

        @Test
        void two() throws Exception {
            SEEN_LIST.add(database);
            meet();
        }
    }

    @Test
    void perClassComponentFieldsOnAConcurrentPerClassInstanceAreAllowed() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, PerClassFieldsOnConcurrentPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
    }

    // ------------------------------------------------------------------ SHARED

    @Subject
    @ConductorTest(components = { Database.class, Cache.class }, lifecycle = Lifecycle.SHARED)
    static class SharedParallel1 {
        Database database;

        @Test
        void test() throws Exception {
            assertTrue(database.running());
            SEEN_LIST.add(database);
            meet();
        }
    }

    @Subject
    @ConductorTest(components = { Cache.class, Database.class }, lifecycle = Lifecycle.SHARED)
    static class SharedParallel2 {
        Database database;

        @Test
        void test() throws Exception {
            assertTrue(database.running());
            SEEN_LIST.add(database);
            meet();
        }
    }

    @Test
    void concurrentClassesSetUpTheirSharedComponentsOnceAndUseThemAtTheSameTime() {
        for (int runNo = 1; runNo <= 2; runNo++) {
            SEEN_LIST.clear();
            barrier = new CyclicBarrier(2);
            EngineExecutionResults results = run(CONCURRENT_CLASSES, SharedParallel1.class, SharedParallel2.class);

            assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
            assertThat(setups(Database.class)).isEqualTo(runNo);
            assertThat(shutdowns(Database.class)).isEqualTo(runNo);
            assertThat(setups(Cache.class)).isEqualTo(runNo);
            assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedWithNestedParallel {
        Database database;

        @Test
        void outer() throws Exception {
            SEEN_LIST.add(database);
            meet();
        }

        @Nested
        class Inner {
            Database inner;

            @Test
            void inner() throws Exception {
                SEEN_LIST.add(inner);
                meet();
            }
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.SHARED)
    static class SharedWithNestedParallelOther {
        Database database;

        @Test
        void other() {
            SEEN.put("other", database);
        }
    }

    @Test
    void nestedSharedAndParallelMeet() {
        EngineExecutionResults results = run(CONCURRENT_ALL, SharedWithNestedParallel.class,
                SharedWithNestedParallelOther.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN.get("other"));
    }

    // ------------------------------------------------------------------ @ParameterizedClass, concurrent

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2, 3, 4 })
    static class PerInvocationConcurrent {
        @Parameter
        int value;

        Cache cache;

        @Test
        void one() {
            assertTrue(cache.running());
            SEEN.put("one" + value, cache);
        }

        @Test
        void two(Cache parameter) {
            assertThat(parameter).isSameAs(cache);
            SEEN.put("two" + value, cache);
        }
    }

    @Test
    void parameterizedClassPerInvocationUnderParallelExecution() {
        EngineExecutionResults results = run(CONCURRENT_ALL, PerInvocationConcurrent.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Cache.class)).isEqualTo(4);
        assertThat(shutdowns(Cache.class)).isEqualTo(4);
        for (int i = 1; i <= 4; i++) {
            assertThat(SEEN.get("one" + i)).isSameAs(SEEN.get("two" + i));
        }
        assertThat(SEEN.values().stream().distinct().count()).isEqualTo(4);
    }

    // ------------------------------------------------------------------ failing SHARED setups, concurrently

    @Test
    void concurrentClassesWithAFailingSharedSetupTryItOnceAndAllFail() {
        EngineExecutionResults results = run(CONCURRENT_CLASSES, SharedBlackBoxTest.SharedFailing1.class,
                SharedBlackBoxTest.SharedFailing2.class, SharedBlackBoxTest.SharedHealthy.class);

        assertThat(setups(Parts.FailingSetup.class)).isEqualTo(1);
        assertThat(SEEN).containsOnlyKeys("healthy");
        assertThat(results.containerEvents().failed().count()).as(describe(results)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Parts.Hanging.class, lifecycle = Lifecycle.SHARED, setupTimeout = "300ms")
    static class SharedHanging1 {
        @Test
        void test() {
            SEEN.put("hanging1", true);
        }
    }

    @Subject
    @ConductorTest(components = Parts.Hanging.class, lifecycle = Lifecycle.SHARED, setupTimeout = "300ms")
    static class SharedHanging2 {
        @Test
        void test() {
            SEEN.put("hanging2", true);
        }
    }

    @Test
    void concurrentClassesWithAHangingSharedSetupFailQuicklyAfterOneAttempt() {
        try {
            long start = System.nanoTime();
            EngineExecutionResults results = run(CONCURRENT_CLASSES, SharedHanging1.class, SharedHanging2.class);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(tookMillis).isLessThan(20_000);
            assertThat(SEEN).isEmpty();
            assertThat(Parts.EVENTS.stream().filter("setup-start:Hanging"::equals).count()).isEqualTo(1);
            assertThat(results.containerEvents().failed().count()).as(describe(results)).isEqualTo(2);
            assertThat(Parts.anyCause(results, dev.conductor.core.ComponentSetupException.class)).isTrue();
        } finally {
            Parts.Hanging.release.countDown();
        }
    }

    /** Arrives before the Conductor extension's callbacks of the class run. */
    public static final class Arrive implements org.junit.jupiter.api.extension.BeforeAllCallback {
        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            Parts.event("arrived:" + context.getRequiredTestClass().getSimpleName());
            Parts.Gate.arrived.countDown();
        }
    }

    @Subject
    @org.junit.jupiter.api.extension.ExtendWith(Arrive.class)
    @ConductorTest(components = Parts.Gate.class, lifecycle = Lifecycle.SHARED)
    static class GateClass1 {
        Parts.Gate gate;

        @Test
        void test() {
            assertTrue(gate.running());
            SEEN_LIST.add(gate);
        }
    }

    @Subject
    @org.junit.jupiter.api.extension.ExtendWith(Arrive.class)
    @ConductorTest(components = Parts.Gate.class, lifecycle = Lifecycle.SHARED)
    static class GateClass2 {
        Parts.Gate gate;

        @Test
        void test() {
            assertTrue(gate.running());
            SEEN_LIST.add(gate);
        }
    }

    @Test
    void concurrentClassesWaitForOneSetupOfTheirSharedComponents() {
        EngineExecutionResults results = run(CONCURRENT_CLASSES, GateClass1.class, GateClass2.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Parts.Gate.class)).isEqualTo(1);
        assertThat(shutdowns(Parts.Gate.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class ConcurrentOuterAndNestedOwnGraph {
        Database database;

        @Test
        void outer() throws Exception {
            SEEN.put("outer", database);
            meet();
        }

        @Nested
        @ConductorTest(components = Cache.class)
        class Own {
            Database own;
            Cache cache;

            @Test
            void inner() throws Exception {
                assertTrue(cache.running());
                SEEN.put("own", own);
                meet();
            }
        }
    }

    @Test
    void anOuterTestAndANestedGroupWithItsOwnGraphRunAtTheSameTime() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, ConcurrentOuterAndNestedOwnGraph.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("own")).isNotNull().isNotSameAs(SEEN.get("outer"));
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class ConcurrentPerMethodNested {
        Database database;

        @Nested
        class Inner {
            Database inner;

            @Test
            void one() throws Exception {
                assertThat(inner).isSameAs(database);
                SEEN_LIST.add(inner);
                meet();
                allRunning();
                meet();
            }

            @Test
            void two() throws Exception {
                assertThat(inner).isSameAs(database);
                SEEN_LIST.add(inner);
                meet();
                allRunning();
                meet();
            }
        }
    }

    @Test
    void perMethodComponentsOfConcurrentNestedTestsAreTheirOwn() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, ConcurrentPerMethodNested.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class ConcurrentRepetitions {
        Database database;

        @org.junit.jupiter.api.RepeatedTest(2)
        void repeated() throws Exception {
            SEEN_LIST.add(database);
            meet();
            allRunning();
            meet();
        }
    }

    @Test
    void concurrentRepetitionsEachHaveTheirOwnPerMethodComponents() {
        EngineExecutionResults results = run(CONCURRENT_METHODS, ConcurrentRepetitions.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
        assertThat(setups(Database.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerMethodFieldsOnPerClassInstanceWithoutConcurrentExecution {
        Database database;

        @Test
        void one() {
            assertTrue(database.running());
            SEEN_LIST.add(database);
        }

        @Test
        void two() {
            assertTrue(database.running());
            SEEN_LIST.add(database);
        }
    }

    @Test
    void perMethodFieldsOnAPerClassInstanceAreAcceptedWhenJunitRunsItsTestsInOneThread() {
        EngineExecutionResults results = run(CONCURRENT_METHODS,
                PerMethodFieldsOnPerClassInstanceWithoutConcurrentExecution.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
        assertThat(setups(Database.class)).isEqualTo(2);
        assertThat(shutdowns(Database.class)).isEqualTo(2);
    }
}
