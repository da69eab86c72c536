package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.test.Shop.Database;
import dev.conductor.test.Shop.FailingQueue;
import dev.conductor.test.Shop.FailingShutdownQueue;
import dev.conductor.test.Shop.InMemoryQueue;
import dev.conductor.test.Shop.MessageQueue;
import dev.conductor.test.Shop.Unrelated;
import dev.conductor.test.Shop.WebApi;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs fixture test classes with JUnit's own engine and checks what the extension did: when components were set
 * up and shut down, what was injected, and how failures are reported. The fixtures are static nested classes, so
 * that only {@link EngineTestKit} runs them.
 */
class ConductorExtensionTests {

    @BeforeEach
    void clearLog() {
        Shop.reset();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
    }

    @Test
    void perClassSetsUpOnceBeforeTheTestsAndShutsDownInReverseAfterThem() {
        Events events = run(PerClass.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));   // engine, class, 2 tests
        assertThat(Shop.LOG.subList(0, 2)).containsExactlyInAnyOrder("setup Database", "setup MessageQueue");
        assertThat(Shop.LOG.subList(2, 6)).containsExactly("setup WebApi", "beforeAll", "test 1", "test 2");
        assertThat(Shop.LOG.subList(6, 8)).containsExactly("afterAll", "shutdown WebApi");
        assertThat(Shop.LOG.subList(8, 10)).containsExactlyInAnyOrder("shutdown Database", "shutdown MessageQueue");
        assertThat(Shop.LOG).hasSize(10);
    }

    @ConductorTest(components = WebApi.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {

        WebApi api;

        Database database;

        @BeforeAll
        static void beforeAll(WebApi api) {
            assertThat(api.active).isTrue();
            Shop.LOG.add("beforeAll");
        }

        @Test
        @org.junit.jupiter.api.Order(1)
        void first() {
            assertThat(api.active).isTrue();
            assertThat(api.database).isSameAs(database);
            Shop.LOG.add("test 1");
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void second(WebApi parameter, MessageQueue queue) {
            assertThat(parameter).isSameAs(api);
            assertThat(queue).isSameAs(api.queue);
            Shop.LOG.add("test 2");
        }

        @AfterAll
        static void afterAll(Database database) {
            assertThat(database.active).isTrue();
            Shop.LOG.add("afterAll");
        }
    }

    @Test
    void perMethodGivesEveryTestNewComponentsSetUpAroundIt() {
        Events events = run(PerMethod.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));   // engine, class, 2 tests
        assertThat(Shop.LOG).containsExactly("setup Database", "test", "shutdown Database",
                "setup Database", "test", "shutdown Database");
        assertThat(PerMethod.seen).hasSize(2).doesNotHaveDuplicates();
    }

    @ConductorTest(lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class PerMethod {

        static final List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Database database;

        @BeforeEach
        void before(Database parameter) {
            assertThat(parameter).isSameAs(database);
            assertThat(database.active).isTrue();
        }

        @Test
        void one() {
            seen.add(database.instance);
            Shop.LOG.add("test");
        }

        @Test
        void two() {
            seen.add(database.instance);
            Shop.LOG.add("test");
        }
    }

    @Test
    void aPatchReplacesTheTypeForEveryDependentAndTheOriginalIsNeverCreated() {
        Events events = run(Patched.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));   // engine, class, test
        assertThat(Shop.LOG).contains("setup InMemoryQueue", "shutdown InMemoryQueue")
                .doesNotContain("setup MessageQueue");
    }

    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
    static class Patched {

        MessageQueue queue;

        InMemoryQueue inMemory;

        WebApi api;

        @Test
        void dependentsAndFieldsReceiveTheReplacement() {
            assertThat(queue).isInstanceOf(InMemoryQueue.class).isSameAs(inMemory).isSameAs(api.queue);
            assertThat(inMemory.active).isTrue();
        }
    }

    @Test
    void aFailedSetupFailsTheClassNamingTheComponentAndRunsNoTest() {
        Events events = run(FailingSetup.class);

        events.assertThatEvents().haveExactly(1, event(container(FailingSetup.class), finishedWithFailure(
                instanceOf(ComponentSetupException.class),
                message(text -> text.contains("Setup of component 'MessageQueue' failed (dependency path: WebApi"
                        + " -> MessageQueue): journal directory is locked")))));
        events.assertStatistics(stats -> stats.started(2).failed(1));   // the engine and the class: no test
        assertThat(Shop.LOG).doesNotContain("setup WebApi", "test");
        if (Shop.LOG.contains("setup Database")) {
            assertThat(Shop.LOG).contains("shutdown Database");   // rolled back
        }
    }

    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = FailingQueue.class)
    static class FailingSetup {

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aFailedSetupPerMethodFailsEachTestNamingTheComponent() {
        Events events = run(FailingSetupPerMethod.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(2).failed(2));   // the tests fail
        events.assertThatEvents().haveExactly(2, event(test(), finishedWithFailure(
                instanceOf(ComponentSetupException.class), message(text -> text.contains("Setup of component 'FailingQueue' failed")))));
        assertThat(Shop.LOG).doesNotContain("test");
    }

    @ConductorTest(components = FailingQueue.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class FailingSetupPerMethod {

        @Test
        void one() {
            Shop.LOG.add("test");
        }

        @Test
        void two() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void theComponentsAreShutDownAfterTheClassAlsoWhenATestFails() {
        Events events = run(FailingTest.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("fails"), finishedWithFailure(
                instanceOf(AssertionError.class))));
        assertThat(Shop.LOG).containsExactly("setup Database", "test", "test", "shutdown Database");
    }

    @ConductorTest(components = Database.class)
    static class FailingTest {

        @Test
        void fails() {
            Shop.LOG.add("test");
            assertThat(1).isEqualTo(2);
        }

        @Test
        void passes() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aFailedShutdownFailsTheClassNamingTheComponent() {
        Events events = run(FailingShutdown.class);

        events.assertThatEvents().haveExactly(1, event(container(FailingShutdown.class), finishedWithFailure(
                instanceOf(ComponentShutdownException.class),
                message(text -> text.contains("MessageQueue (broker did not stop)")))));
        assertThat(Shop.LOG).contains("shutdown Database");
    }

    @ConductorTest(components = Database.class)
    @Patch(type = MessageQueue.class, with = FailingShutdownQueue.class)
    static class FailingShutdown {

        MessageQueue queue;

        @Test
        void passes() {
            assertThat(queue).isInstanceOf(FailingShutdownQueue.class);
        }
    }

    @Test
    void nestedClassesShareTheEnclosingClassesComponentsAndAddTheirFields() {
        Events events = run(Outer.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(Shop.LOG).containsOnlyOnce("setup Database", "setup Unrelated", "shutdown Database",
                "shutdown Unrelated");
        assertThat(Shop.LOG.indexOf("inner test")).isLessThan(Shop.LOG.indexOf("shutdown Database"));
    }

    @ConductorTest(components = Database.class)
    static class Outer {

        Database database;

        @Test
        void outerTest(Unrelated declaredByTheNestedClass) {
            assertThat(declaredByTheNestedClass.active).isTrue();
        }

        @Nested
        class Inner {

            Unrelated unrelated;

            Database innerDatabase;

            @Test
            void innerTest() {
                assertThat(innerDatabase).isSameAs(database);
                assertThat(unrelated.active).isTrue();
                Shop.LOG.add("inner test");
            }
        }
    }

    @Test
    void aParameterThatIsNoComponentOfTheTestFailsNamingTheKnownOnes() {
        Events events = run(UnknownParameter.class);

        events.assertThatEvents().haveExactly(1, event(test("needsUnrelated"), finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(text -> text.contains("No component of " + UnknownParameter.class.getName()
                        + " is a " + Unrelated.class.getName())
                        && text.contains("its components are [Database]")
                        && text.contains("Add Unrelated to @ConductorTest(components = ...)")))));
    }

    @ConductorTest(components = Database.class)
    static class UnknownParameter {

        @Test
        void needsUnrelated(Unrelated unrelated) {
        }
    }

    @Test
    void anInvalidPatchFailsTheClassNamingThePatch() {
        Events events = run(InvalidPatch.class);

        events.assertThatEvents().haveExactly(1, event(container(InvalidPatch.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(text -> text.startsWith("Invalid @Patch(type = InMemoryQueue.class, with = MessageQueue.class)"
                        + " on " + InvalidPatch.class.getName())))));
        assertThat(Shop.LOG).isEmpty();
    }

    @ConductorTest(components = WebApi.class)
    @Patch(type = InMemoryQueue.class, with = MessageQueue.class)
    static class InvalidPatch {

        @Test
        void neverRuns() {
        }
    }

    @Test
    void perMethodComponentsCannotBeInjectedIntoBeforeAll() {
        Events events = run(PerMethodBeforeAll.class);

        events.assertThatEvents().haveExactly(1, event(container(PerMethodBeforeAll.class), finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(text -> text.contains("with @ConductorTest(lifecycle = PER_METHOD) the components exist"
                        + " only around each test")))));
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class PerMethodBeforeAll {

        @BeforeAll
        static void tooEarly(Database database) {
        }

        @Test
        void test() {
        }
    }
}
