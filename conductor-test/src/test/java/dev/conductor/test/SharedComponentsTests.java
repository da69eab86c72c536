package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.engine;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.test.Shop.Database;
import dev.conductor.test.Shop.FailingQueue;
import dev.conductor.test.Shop.FailingShutdownQueue;
import dev.conductor.test.Shop.InMemoryQueue;
import dev.conductor.test.Shop.MessageQueue;
import dev.conductor.test.Shop.WebApi;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code lifecycle = SHARED}: classes with the same components, patches and configuration use one set of running
 * components, set up by the first and shut down once at the end of the run.
 */
class SharedComponentsTests {

    static final List<WebApi> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        Shop.reset();
        SEEN.clear();
    }

    private static Events run(Class<?>... fixtures) {
        ClassSelector[] selectors = java.util.Arrays.stream(fixtures).map(fixture -> selectClass(fixture))
                .toArray(ClassSelector[]::new);
        return EngineTestKit.engine("junit-jupiter").selectors(selectors).execute().allEvents();
    }

    @Test
    void classesWithTheSameComponentsShareOneSetShutDownOnceAtTheEndOfTheRun() {
        Events events = run(SharedOne.class, SharedTwo.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
        assertThat(Collections.frequency(Shop.LOG, "setup WebApi")).isEqualTo(1);
        assertThat(Shop.LOG.subList(Shop.LOG.size() - 3, Shop.LOG.size())).startsWith("shutdown WebApi")
                .containsExactlyInAnyOrder("shutdown WebApi", "shutdown InMemoryQueue", "shutdown Database");
        assertThat(Shop.LOG.indexOf("test 2")).isLessThan(Shop.LOG.indexOf("shutdown WebApi"));
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
    static class SharedOne {

        @Test
        void test(WebApi api) {
            SEEN.add(api);
            Shop.LOG.add("test 1");
        }
    }

    /** The same declarations as {@link SharedOne}: its component named by a field instead of the annotation. */
    @ConductorTest(lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
    static class SharedTwo {

        WebApi api;

        @Test
        void test() {
            assertThat(api.active).isTrue();
            SEEN.add(api);
            Shop.LOG.add("test 2");
        }
    }

    @Test
    void aClassThatAlsoNamesADependencyIsADifferentSet() {
        Events events = run(SharedOne.class, SharedNamingTheDatabase.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(Collections.frequency(Shop.LOG, "setup WebApi")).isEqualTo(2);
    }

    @ConductorTest(components = { WebApi.class, Database.class }, lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
    static class SharedNamingTheDatabase {

        @Test
        void test(WebApi api) {
            assertThat(api.active).isTrue();
        }
    }

    @Test
    void aDifferentPatchIsADifferentSet() {
        Events events = run(SharedOne.class, SharedWithAnotherQueue.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        assertThat(Collections.frequency(Shop.LOG, "setup WebApi")).isEqualTo(2);
        assertThat(Collections.frequency(Shop.LOG, "shutdown WebApi")).isEqualTo(2);
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    static class SharedWithAnotherQueue {

        @Test
        void test(WebApi api) {
            assertThat(api.queue.getClass()).isEqualTo(MessageQueue.class);
            SEEN.add(api);
        }
    }

    @Test
    void classesShareAConfigureMethodTheyInheritButNotAnEqualOneEachDeclares() {
        Events events = run(InheritingOne.class, InheritingTwo.class, DeclaringItsOwn.class);

        events.assertStatistics(stats -> stats.started(7).succeeded(7).failed(0));
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1)).isNotSameAs(SEEN.get(2));
        assertThat(Collections.frequency(Shop.LOG, "setup WebApi")).isEqualTo(2);
        assertThat(Collections.frequency(Shop.LOG, "configured")).isEqualTo(2);
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    abstract static class SharedBase {

        @ConfigureConductor
        static void conductor(dev.conductor.core.Conductor.Builder builder) {
            Shop.LOG.add("configured");
        }

        @Test
        void test(WebApi api) {
            SEEN.add(api);
        }
    }

    static class InheritingOne extends SharedBase {
    }

    static class InheritingTwo extends SharedBase {
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    static class DeclaringItsOwn {

        @ConfigureConductor
        static void conductor(dev.conductor.core.Conductor.Builder builder) {
            Shop.LOG.add("configured");
        }

        @Test
        void test(WebApi api) {
            SEEN.add(api);
        }
    }

    @Test
    void aFailedSharedSetupFailsEveryClassThatSharesIt() {
        Events events = run(SharedFailingOne.class, SharedFailingTwo.class);

        events.assertThatEvents()
                .haveExactly(1, event(container(SharedFailingOne.class), finishedWithFailure(
                        instanceOf(ComponentSetupException.class))))
                .haveExactly(1, event(container(SharedFailingTwo.class), finishedWithFailure(
                        instanceOf(ComponentSetupException.class))));
        assertThat(Shop.LOG).doesNotContain("test");
        assertThat(Collections.frequency(Shop.LOG, "setup FailingQueue")).as("set up once").isEqualTo(1);
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = FailingQueue.class)
    static class SharedFailingOne {

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = FailingQueue.class)
    static class SharedFailingTwo {

        @Test
        void neverRuns() {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aFailedSharedShutdownIsReportedAtTheEndOfTheRun() {
        Events events = run(SharedFailingShutdown.class);

        events.assertThatEvents().haveExactly(1, event(engine(), finishedWithFailure(
                cause(instanceOf(ComponentShutdownException.class)))));
        assertThat(Shop.LOG).contains("shutdown Database");
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    @Patch(type = MessageQueue.class, with = FailingShutdownQueue.class)
    static class SharedFailingShutdown {

        MessageQueue queue;

        @Test
        void passes() {
            assertThat(queue.active).isTrue();
        }
    }
}
