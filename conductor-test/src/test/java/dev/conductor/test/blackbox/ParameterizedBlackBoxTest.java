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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.Subject;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** @ParameterizedTest and @ParameterizedClass, with component-typed arguments. */
class ParameterizedBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    // ------------------------------------------------------------------ @ParameterizedTest

    @Subject
    @ConductorTest(components = { Database.class, Cache.class })
    static class MethodSourceWithComponentArgument {
        static final Database MINE_1 = new Database();
        static final Database MINE_2 = new Database();

        static Stream<Database> mine() {
            return Stream.of(MINE_1, MINE_2);
        }

        @ParameterizedTest
        @MethodSource("mine")
        void argumentStaysJunits(Database argument, Cache injected) {
            assertThat(argument).isIn(MINE_1, MINE_2);
            assertFalse(argument.running(), "JUnit's argument is never set up");
            assertTrue(injected.running());
            SEEN_LIST.add(argument);
        }

        @Test
        void graphDatabase(Database database) {
            assertThat(database).isNotIn(MINE_1, MINE_2);
            assertTrue(database.running());
        }
    }

    @Test
    void parameterizedTestArgumentsTypedWithAComponentStayJunitsAndLaterParametersAreInjected() {
        EngineExecutionResults results = run(MethodSourceWithComponentArgument.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(SEEN_LIST).containsExactly(MethodSourceWithComponentArgument.MINE_1,
                MethodSourceWithComponentArgument.MINE_2);
        assertThat(setups(Database.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_METHOD)
    static class ValueSourcePerMethod {
        @ParameterizedTest
        @ValueSource(strings = { "a", "b", "c" })
        void each(String value, Cache cache) {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void parameterizedTestPerMethodGivesEveryInvocationNewComponents() {
        EngineExecutionResults results = run(ValueSourcePerMethod.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(setups(Cache.class)).isEqualTo(3);
        assertThat(shutdowns(Cache.class)).isEqualTo(3);
        assertThat(SEEN_LIST).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ @ParameterizedClass

    @Subject
    @ConductorTest(components = Cache.class)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class ClassPerClass {
        @Parameter
        int value;

        Cache cache;

        @BeforeAll
        static void beforeAll() {
            event("beforeAll");
        }

        @Test
        void test() {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }

        @AfterAll
        static void afterAll() {
            event("afterAll");
        }
    }

    @Test
    void parameterizedClassInvocationsShareThePerClassComponents() {
        EngineExecutionResults results = run(ClassPerClass.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
        assertThat(EVENTS).containsExactly("setup:Cache", "beforeAll", "afterAll", "shutdown:Cache");
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2, 3 })
    static class ClassPerInvocation {
        @Parameter
        int value;

        Cache cache;

        @Test
        void first() {
            assertTrue(cache.running());
            event("test" + value);
            SEEN.put("first" + value, cache);
        }

        @Test
        void second(Cache parameter) {
            assertThat(parameter).isSameAs(cache);
            event("test" + value);
            SEEN.put("second" + value, cache);
        }
    }

    @Test
    void parameterizedClassPerInvocationGivesEveryInvocationItsOwnComponents() {
        EngineExecutionResults results = run(ClassPerInvocation.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(6));
        assertThat(setups(Cache.class)).isEqualTo(3);
        assertThat(shutdowns(Cache.class)).isEqualTo(3);
        assertThat(EVENTS).containsExactly("setup:Cache", "test1", "test1", "shutdown:Cache",
                "setup:Cache", "test2", "test2", "shutdown:Cache", "setup:Cache", "test3", "test3", "shutdown:Cache");
        for (int i = 1; i <= 3; i++) {
            assertThat(SEEN.get("first" + i)).isSameAs(SEEN.get("second" + i));
        }
        assertThat(SEEN.get("first1")).isNotSameAs(SEEN.get("first2"));

        run(ClassPerInvocation.class);
        assertThat(setups(Cache.class)).isEqualTo(6);
        assertThat(shutdowns(Cache.class)).isEqualTo(6);
    }

    @Subject
    @ConductorTest(components = Cache.class)
    @ParameterizedClass
    @MethodSource("databases")
    static class ClassWithComponentArgumentInConstructor {
        static final Database MINE = new Database();

        static Stream<Database> databases() {
            return Stream.of(MINE);
        }

        final Database argument;
        Cache cache;

        ClassWithComponentArgumentInConstructor(Database argument) {
            this.argument = argument;
        }

        @Test
        void test() {
            assertThat(argument).isSameAs(MINE);
            assertTrue(cache.running());
            SEEN.put("ran", true);
        }
    }

    @Test
    void parameterizedClassConstructorArgumentTypedWithAComponentStaysJunits() {
        EngineExecutionResults results = run(ClassWithComponentArgumentInConstructor.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
        assertThat(setups(Database.class)).isZero();
    }

    @Subject
    @ConductorTest(components = Cache.class)
    @ParameterizedClass
    @MethodSource("databases")
    static class ClassWithComponentArgumentInField {
        static final Database MINE = new Database();

        static Stream<Database> databases() {
            return Stream.of(MINE);
        }

        @Parameter
        Database argument;

        Cache cache;

        @Test
        void test() {
            assertThat(argument).isSameAs(MINE);
            assertTrue(cache.running());
            SEEN.put("ran", true);
        }
    }

    @Test
    void parameterizedClassParameterFieldTypedWithAComponentStaysJunits() {
        EngineExecutionResults results = run(ClassWithComponentArgumentInField.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class PerInvocationWithNested {
        @Parameter
        int value;

        Cache cache;

        @Test
        void outer() {
            SEEN.put("outer" + value, cache);
        }

        @Nested
        class Inner {
            Cache innerCache;

            @Test
            void inner() {
                assertTrue(innerCache.running());
                assertThat(innerCache).isSameAs(cache);
                SEEN.put("inner" + value, innerCache);
            }
        }
    }

    @Test
    void parameterizedClassPerInvocationSharesTheInvocationsComponentsWithItsNestedClass() {
        EngineExecutionResults results = run(PerInvocationWithNested.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
        assertThat(SEEN.get("inner1")).isSameAs(SEEN.get("outer1"));
        assertThat(SEEN.get("inner2")).isSameAs(SEEN.get("outer2")).isNotSameAs(SEEN.get("inner1"));
    }

    @Subject
    @ConductorTest(components = Cache.class)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class PerClassWithNested {
        @Parameter
        int value;

        Cache cache;

        @Nested
        class Inner {
            Cache inner;

            @Test
            void test() {
                assertThat(inner).isSameAs(cache);
                SEEN_LIST.add(inner);
            }
        }

        @Nested
        @ConductorTest(components = Database.class)
        class Own {
            Database database;
            Cache ownCache;

            @Test
            void test() {
                assertTrue(database.running());
                assertThat(ownCache).isNotSameAs(cache);
                SEEN.put("own" + value, ownCache);
            }
        }
    }

    @Test
    void parameterizedClassPerClassSharesWithNestedGroupsAcrossInvocations() {
        EngineExecutionResults results = run(PerClassWithNested.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(SEEN_LIST).hasSize(2).containsOnly(SEEN_LIST.get(0));
        // one for the class, one per invocation's own nested group
        assertThat(setups(Cache.class)).isEqualTo(3);
        assertThat(shutdowns(Cache.class)).isEqualTo(3);
        assertThat(setups(Database.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class ConstructorArgumentThenComponent {
        final int value;
        final Cache cache;

        ConstructorArgumentThenComponent(int value, Cache cache) {
            assertTrue(cache.running());
            this.value = value;
            this.cache = cache;
        }

        @Test
        void test(Cache parameter) {
            assertThat(parameter).isSameAs(cache);
            SEEN.put("c" + value, cache);
        }
    }

    @Test
    void parameterizedClassConstructorTakesTheArgumentThenTheInvocationsComponent() {
        EngineExecutionResults results = run(ConstructorArgumentThenComponent.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("c1")).isNotNull().isNotSameAs(SEEN.get("c2"));
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    static class PerInvocationPerClassInstance {
        @Parameter
        int value;

        Cache cache;

        @Test
        void test(Cache parameter) {
            assertThat(cache).isSameAs(parameter);
            assertTrue(cache.running());
            SEEN.put("test" + value, cache);
        }
    }

    @Test
    void parameterizedClassPerInvocationWithPerClassInstance() {
        EngineExecutionResults results = run(PerInvocationPerClassInstance.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN.get("test1")).isNotNull().isNotSameAs(SEEN.get("test2"));
        assertThat(setups(Cache.class)).isEqualTo(2);
        assertThat(shutdowns(Cache.class)).isEqualTo(2);
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_METHOD)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class ClassPerMethod {
        @Parameter
        int value;

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
    void parameterizedClassPerMethodGivesEveryTestOfEveryInvocationNewComponents() {
        EngineExecutionResults results = run(ClassPerMethod.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(4).doesNotHaveDuplicates();
        assertThat(setups(Cache.class)).isEqualTo(4);
        assertThat(shutdowns(Cache.class)).isEqualTo(4);
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class ClassShared {
        @Parameter
        int value;

        Cache cache;

        @Test
        void test() {
            SEEN_LIST.add(cache);
        }
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)
    static class PlainShared {
        Cache cache;

        @Test
        void test() {
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void parameterizedClassSharedComponentsAreSharedByInvocationsAndOtherClasses() {
        EngineExecutionResults results = run(ClassShared.class, PlainShared.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(3).containsOnly(SEEN_LIST.get(0));
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(shutdowns(Cache.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NullArgument {
        @ParameterizedTest
        @org.junit.jupiter.params.provider.NullSource
        void nullStaysNull(Database argument, Cache notAsked) {
            SEEN.put("ran", true);
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.NullSource
        void nullStaysNullAlone(Database argument) {
            assertThat(argument).isNull();
            SEEN.put("alone", true);
        }
    }

    @Test
    void aNullArgumentTypedWithAComponentStaysNull() {
        EngineExecutionResults results = run(NullArgument.class);

        // the first asks for a Cache that is not in the graph after its argument: it fails for that, not the null
        assertThat(SEEN).containsOnlyKeys("alone");
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class ArgumentThenSameTypeInjected {
        static final Database MINE = new Database();

        static Stream<Database> mine() {
            return Stream.of(MINE);
        }

        @ParameterizedTest
        @MethodSource("mine")
        void test(Database argument, Database injected) {
            assertThat(argument).isSameAs(MINE);
            assertThat(injected).isNotSameAs(MINE);
            assertTrue(injected.running());
            SEEN.put("ran", true);
        }
    }

    @Test
    void aParameterAfterTheArgumentsWithTheSameComponentTypeIsInjected() {
        EngineExecutionResults results = run(ArgumentThenSameTypeInjected.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(ints = { 1, 2 })
    static class InvocationLifecycleMethods {
        @Parameter
        int value;

        Cache cache;

        @org.junit.jupiter.params.BeforeParameterizedClassInvocation(injectArguments = false)
        static void before(Cache cache) {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }

        @Test
        void test() {
            SEEN.put("test" + value, cache);
        }

        @org.junit.jupiter.params.AfterParameterizedClassInvocation(injectArguments = false)
        static void after(Cache cache) {
            assertTrue(cache.running());
            SEEN_LIST.add(cache);
        }
    }

    @Test
    void perInvocationComponentsReachTheInvocationsLifecycleMethods() {
        EngineExecutionResults results = run(InvocationLifecycleMethods.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN_LIST).hasSize(4);
        assertThat(SEEN_LIST.get(0)).isSameAs(SEEN_LIST.get(1)).isSameAs(SEEN.get("test1"));
        assertThat(SEEN_LIST.get(2)).isSameAs(SEEN_LIST.get(3)).isSameAs(SEEN.get("test2"));
        assertThat(setups(Cache.class)).isEqualTo(2);
    }
}
