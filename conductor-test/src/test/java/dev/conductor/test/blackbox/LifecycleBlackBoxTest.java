package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.EVENTS;
import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.SEEN_LIST;
import static dev.conductor.test.blackbox.Parts.created;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.event;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.MessageQueue;
import dev.conductor.test.blackbox.Parts.Subject;
import dev.conductor.test.blackbox.Parts.WebApi;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** When components are set up and shut down, per class, per method, per invocation, across repeated runs. */
class LifecycleBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    // ------------------------------------------------------------------ PER_CLASS

    @Subject
    @ConductorTest(components = WebApi.class)
    static class PerClassOrder {
        Database database;

        PerClassOrder() {
            event("constructor");
        }

        @BeforeAll
        static void beforeAll(WebApi api) {
            assertTrue(api.running());
            event("beforeAll");
        }

        @BeforeEach
        void beforeEach() {
            event("beforeEach");
        }

        @Test
        void one(WebApi api) {
            assertTrue(database.running());
            assertThat(api.database).isSameAs(database);
            SEEN_LIST.add(api);
            event("test");
        }

        @Test
        void two(WebApi api) {
            SEEN_LIST.add(api);
            event("test");
        }

        @Test
        void failing() {
            event("test");
            throw new AssertionError("this test fails on purpose");
        }

        @AfterEach
        void afterEach() {
            event("afterEach");
        }

        @AfterAll
        static void afterAll(WebApi api) {
            assertTrue(api.running());
            event("afterAll");
        }
    }

    @Test
    void perClassSetsUpOnceBeforeBeforeAllAndShutsDownAfterAfterAllAlsoWhenTestsFail() {
        EngineExecutionResults results = run(PerClassOrder.class);

        results.testEvents().assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(setups(WebApi.class)).isEqualTo(1);
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(shutdowns(WebApi.class)).isEqualTo(1);
        assertThat(shutdowns(Database.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2);
        assertThat(SEEN_LIST.get(0)).isSameAs(SEEN_LIST.get(1));
        List<String> events = EVENTS;
        assertThat(events.indexOf("setup:WebApi")).isLessThan(events.indexOf("beforeAll"));
        assertThat(events.indexOf("beforeAll")).isLessThan(events.indexOf("constructor"));
        assertThat(events.lastIndexOf("afterAll")).isLessThan(events.indexOf("shutdown:WebApi"));
        // reverse order: WebApi down before what it depends on
        assertThat(events.indexOf("shutdown:WebApi")).isLessThan(events.indexOf("shutdown:Database"));
        assertThat(events.indexOf("shutdown:WebApi")).isLessThan(events.indexOf("shutdown:MessageQueue"));
    }

    @Test
    void perClassRunTwiceInOneJvmSetsUpAndShutsDownOncePerRun() {
        run(PerClassOrder.class);
        run(PerClassOrder.class);

        assertThat(setups(WebApi.class)).isEqualTo(2);
        assertThat(shutdowns(WebApi.class)).isEqualTo(2);
        assertThat(created(WebApi.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(4);
        assertThat(SEEN_LIST.get(0)).isNotSameAs(SEEN_LIST.get(2));
    }

    // ------------------------------------------------------------------ PER_CLASS test instance

    @Subject
    @ConductorTest(components = { Database.class, WebApi.class })
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstance {
        final WebApi api;
        MessageQueue queue;

        PerClassInstance(WebApi api) {
            assertTrue(api.running(), "the component is set up before the PER_CLASS instance is made");
            this.api = api;
            event("constructor");
        }

        @BeforeAll
        void beforeAll(Database database) {
            assertThat(queue).as("field filled before @BeforeAll").isNotNull();
            assertThat(api.queue).isSameAs(queue);
            assertThat(api.database).isSameAs(database);
            event("beforeAll");
        }

        @Test
        void one() {
            assertTrue(queue.running());
        }

        @Test
        void two() {
            assertTrue(api.running());
        }
    }

    @Test
    void perClassTestInstanceTakesComponentsInItsConstructorAndFieldsInBeforeAll() {
        EngineExecutionResults results = run(PerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(setups(WebApi.class)).isEqualTo(1);
        assertThat(shutdowns(WebApi.class)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ PER_METHOD

    @Subject
    @ConductorTest(components = WebApi.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethod {
        final WebApi api;
        Database database;

        PerMethod(WebApi api) {
            assertTrue(api.running(), "set up before the test's constructor");
            this.api = api;
            event("constructor");
        }

        @BeforeEach
        void beforeEach(WebApi api) {
            assertThat(api).isSameAs(this.api);
            event("beforeEach");
        }

        @Test
        void one(WebApi api) {
            assertThat(api).isSameAs(this.api);
            assertThat(database).isSameAs(api.database);
            SEEN_LIST.add(api);
        }

        @Test
        void two() {
            SEEN_LIST.add(api);
        }

        @Test
        void failing() {
            SEEN_LIST.add(api);
            throw new AssertionError("on purpose");
        }

        @AfterEach
        void afterEach() {
            assertTrue(api.running(), "still running in @AfterEach");
            event("afterEach");
        }
    }

    @Test
    void perMethodGivesEveryTestNewInstancesSetUpBeforeConstructorAndShutDownAfterAfterEach() {
        EngineExecutionResults results = run(PerMethod.class);

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(1));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(setups(WebApi.class)).isEqualTo(3);
        assertThat(shutdowns(WebApi.class)).isEqualTo(3);
        assertThat(setups(Database.class)).isEqualTo(3);
        assertThat(shutdowns(Database.class)).isEqualTo(3);
        assertThat(SEEN_LIST).hasSize(3).doesNotHaveDuplicates();
        assertThat(EVENTS).containsSubsequence("setup:WebApi", "constructor", "beforeEach", "afterEach",
                "shutdown:WebApi", "setup:WebApi", "constructor", "beforeEach", "afterEach", "shutdown:WebApi");

        run(PerMethod.class);
        assertThat(setups(WebApi.class)).isEqualTo(6);
        assertThat(shutdowns(WebApi.class)).isEqualTo(6);
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodBeforeAllParameter {
        @BeforeAll
        static void beforeAll(Database database) {
            SEEN.put("beforeAll", database);
        }

        @Test
        void test() {
        }
    }

    @Test
    void perMethodRefusesAComponentParameterInBeforeAll() {
        EngineExecutionResults results = run(PerMethodBeforeAllParameter.class);

        assertThat(SEEN).doesNotContainKey("beforeAll");
        assertThat(results.allEvents().failed().count()).isPositive();
        results.testEvents().assertStatistics(s -> s.succeeded(0));
    }

    // ------------------------------------------------------------------ PER_INVOCATION on a plain class

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    static class PerInvocationOnPlainClass {
        Cache cache;

        @Test
        void one() {
            SEEN_LIST.add(cache);
        }

        @Test
        void two() {
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void perInvocationOnAPlainClassIsPerClass() {
        EngineExecutionResults results = run(PerInvocationOnPlainClass.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2);
        assertThat(SEEN_LIST.get(0)).isSameAs(SEEN_LIST.get(1));
    }

    // ------------------------------------------------------------------ @RepeatedTest

    @Subject
    @ConductorTest(components = Cache.class)
    static class RepeatedPerClass {
        @RepeatedTest(3)
        void repeated(Cache cache) {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_METHOD)
    static class RepeatedPerMethod {
        Cache cache;

        @RepeatedTest(3)
        void repeated() {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void repeatedTestSharesPerClassComponentsAndGetsNewPerMethodOnesEachRepetition() {
        EngineExecutionResults results = run(RepeatedPerClass.class);
        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(3).containsOnly(SEEN_LIST.get(0));

        Parts.reset();
        results = run(RepeatedPerMethod.class);
        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Cache.class)).isEqualTo(3);
        assertThat(shutdowns(Cache.class)).isEqualTo(3);
        assertThat(SEEN_LIST).hasSize(3).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ @TestFactory

    @Subject
    @ConductorTest(components = Cache.class)
    static class FactoryPerClass {
        Cache cache;

        @TestFactory
        Stream<DynamicTest> dynamic(Cache fromParameter) {
            assertThat(fromParameter).isSameAs(cache);
            return Stream.of("a", "b", "c").map(name -> dynamicTest(name, () -> {
                assertTrue(cache.running());
                SEEN_LIST.add(cache);
            }));
        }
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_METHOD)
    static class FactoryPerMethod {
        Cache cache;

        @TestFactory
        Stream<DynamicTest> dynamic(Cache fromParameter) {
            assertThat(fromParameter).isSameAs(cache);
            return Stream.of("a", "b").map(name -> dynamicTest(name, () -> {
                assertTrue(cache.running(), "the dynamic tests run before the factory's @AfterEach");
                SEEN_LIST.add(cache);
            }));
        }

        @Test
        void plain() {
            SEEN.put("plain", cache);
        }
    }

    @Test
    void testFactoryDynamicTestsRunWhileTheComponentsAreUp() {
        EngineExecutionResults results = run(FactoryPerClass.class);
        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);

        Parts.reset();
        results = run(FactoryPerMethod.class);
        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0)).doesNotContain(SEEN.get("plain"));
    }

    // ------------------------------------------------------------------ PER_METHOD on a PER_CLASS instance

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerMethodOnPerClassInstance {
        Cache cache;

        @Test
        void one(Cache parameter) {
            assertThat(cache).isSameAs(parameter);
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }

        @Test
        void two(Cache parameter) {
            assertThat(cache).isSameAs(parameter);
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void perMethodComponentsOnAPerClassInstanceRefreshTheFieldsForEveryTest() {
        EngineExecutionResults results = run(PerMethodOnPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
        assertThat(SEEN_LIST).hasSize(2).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ inherited test classes

    @ConductorTest(components = Database.class)
    abstract static class InheritedBase {
        Database database;

        @Test
        void inheritedTest(Database parameter) {
            assertThat(parameter).isSameAs(database);
            assertTrue(database.running());
            SEEN_LIST.add(database);
        }
    }

    @Subject
    static class InheritingSub extends InheritedBase {
        Cache cache;

        @Test
        void ownTest() {
            assertTrue(cache.running());
            SEEN_LIST.add(database);
        }
    }

    @Test
    void aSubclassInheritsConductorTestItsFieldsAndTests() {
        EngineExecutionResults results = run(InheritingSub.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
    }
}
