package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.conductor.test.Shop.Database;
import dev.conductor.test.Shop.FailingQueue;
import dev.conductor.test.Shop.InMemoryQueue;
import dev.conductor.test.Shop.MessageQueue;
import dev.conductor.test.Shop.WebApi;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The shapes JUnit users write every day (issue 23's broken items): a {@code PER_CLASS} constructor, a nested
 * {@code PER_CLASS} class's {@code @BeforeAll}, a parameter naming a component's own type, repeated patches, a
 * parameterized test whose arguments are components, and a field that already holds a value.
 */
class JUnitShapesTests {

    @BeforeEach
    void clearLog() {
        Shop.reset();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
    }

    @Test
    void aPerClassTestInstanceTakesComponentsInItsConstructor() {
        Events events = run(PerClassConstructor.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
        assertThat(Shop.LOG).containsExactly("setup Database", "constructed", "test", "shutdown Database");
    }

    @ConductorTest(components = Database.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassConstructor {

        final Database database;

        PerClassConstructor(Database database) {
            assertThat(database.active).isTrue();
            this.database = database;
            Shop.LOG.add("constructed");
        }

        @Test
        void usesIt() {
            assertThat(database.active).isTrue();
            Shop.LOG.add("test");
        }
    }

    @Test
    void aNestedPerClassInstanceHasItsFieldsInItsOwnBeforeAll() {
        Events events = run(OuterOfPerClassNested.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));   // engine, outer, inner, test
        assertThat(Shop.LOG).containsExactly("setup Database", "inner beforeAll", "inner test", "shutdown Database");
    }

    @ConductorTest(components = Database.class)
    static class OuterOfPerClassNested {

        @Nested
        @TestInstance(TestInstance.Lifecycle.PER_CLASS)
        class Inner {

            Database database;

            @BeforeAll
            void beforeAll() {
                assertThat(database).isNotNull();
                assertThat(database.active).isTrue();
                Shop.LOG.add("inner beforeAll");
            }

            @Test
            void test() {
                Shop.LOG.add("inner test");
            }
        }
    }

    @Test
    void aParameterNamingAComponentsOwnTypeIsNotAmbiguousWithItsSubclass() {
        Events events = run(OwnTypeNextToSubclass.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));
    }

    @ConductorTest(components = { WebApi.class, InMemoryQueue.class })
    static class OwnTypeNextToSubclass {

        @Test
        void eachTypeYieldsItsOwnComponent(MessageQueue queue, InMemoryQueue inMemory, WebApi api) {
            assertThat(queue.getClass()).isEqualTo(MessageQueue.class);
            assertThat(queue).isSameAs(api.queue).isNotSameAs(inMemory);
        }
    }

    @Test
    void twoPatchesOfOneTypeFailTheClassNamingBoth() {
        Events events = run(TwoPatchesOfOneType.class);

        events.assertThatEvents().haveExactly(1, event(container(TwoPatchesOfOneType.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("Two @Patch of MessageQueue on " + TwoPatchesOfOneType.class.getName() + ": with ="
                        + " InMemoryQueue.class and with = FailingQueue.class. A type can be replaced once: keep one of"
                        + " them (a @Nested class may patch it again for its own tests)."))));
        assertThat(Shop.LOG).isEmpty();
    }

    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
    @Patch(type = MessageQueue.class, with = FailingQueue.class)
    static class TwoPatchesOfOneType {

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aParameterizedTestKeepsItsComponentTypedArgumentsAndTheExtensionSuppliesTheRest() {
        Events events = run(ParameterizedWithComponentArguments.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));   // engine, class, template, 2
    }

    @ConductorTest(components = Database.class)
    static class ParameterizedWithComponentArguments {

        static Stream<Database> databases() {
            return Stream.of(new Database(), new Database());
        }

        @ParameterizedTest
        @MethodSource("databases")
        void argumentFromTheSourceThenComponent(Database argument, Database component) {
            assertThat(argument.active).isFalse();   // one of the source's, never set up
            assertThat(component.active).isTrue();
            assertThat(argument).isNotSameAs(component);
        }
    }

    @Test
    void aFieldThatAlreadyHoldsAnObjectFailsTheClassLikeInConductorCore() {
        Events events = run(FieldWithAValue.class);

        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(text -> text.startsWith("The field FieldWithAValue.database already holds a "
                        + Database.class.getName() + " that Conductor did not create: it would never be set up or"
                        + " shut down.")))));
        events.assertStatistics(stats -> stats.succeeded(2).failed(1));   // the test fails, before it runs
        assertThat(Shop.LOG).doesNotContain("test");
    }

    @ConductorTest
    static class FieldWithAValue {

        Database database = new Database();

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aPerClassTestInstanceWithPerMethodComponentsGetsNewOnesInItsFieldsForEachTest() {
        Events events = run(PerClassInstancePerMethodComponents.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        assertThat(PerClassInstancePerMethodComponents.seen).hasSize(2).doesNotHaveDuplicates();
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstancePerMethodComponents {

        static final List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Database database;

        @Test
        void one() {
            assertThat(database.active).isTrue();
            seen.add(database.instance);
        }

        @Test
        void two() {
            assertThat(database.active).isTrue();
            seen.add(database.instance);
        }
    }

    @Test
    void aPerMethodTestTakesItsOwnComponentsInItsConstructor() {
        Events events = run(PerMethodConstructor.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        assertThat(PerMethodConstructor.seen).hasSize(2).doesNotHaveDuplicates();
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class PerMethodConstructor {

        static final List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        final Database database;

        PerMethodConstructor(Database database) {
            this.database = database;
        }

        @Test
        void one(Database parameter) {
            assertThat(parameter).isSameAs(database);
            assertThat(database.active).isTrue();
            seen.add(database.instance);
        }

        @Test
        void two() {
            assertThat(database.active).isTrue();
            seen.add(database.instance);
        }
    }
}
