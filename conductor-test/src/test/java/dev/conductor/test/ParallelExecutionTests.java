package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.conductor.test.Shop.Database;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * JUnit's parallel execution ({@code junit.jupiter.execution.parallel.*}): the tests of a fixture meet at a
 * barrier, so they pass only when they run at the same time, and record which components they saw.
 */
class ParallelExecutionTests {

    static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

    /** Two tests (or classes) that must be running at the same time to pass it. */
    static volatile CyclicBarrier together = new CyclicBarrier(2);

    @BeforeEach
    void clear() {
        Shop.reset();
        SEEN.clear();
        together = new CyclicBarrier(2);
    }

    private static Events runConcurrently(String classesMode, Class<?>... fixtures) {
        ClassSelector[] selectors = Arrays.stream(fixtures).map(fixture -> selectClass(fixture))
                .toArray(ClassSelector[]::new);
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", classesMode)
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectors).execute().allEvents();
    }

    static void meetTheOther(Database database) throws Exception {
        assertThat(database.active).isTrue();
        SEEN.add(database.instance);
        together.await(30, TimeUnit.SECONDS);
    }

    @Test
    void perClassComponentsAreSetUpOnceAndUsedByConcurrentTestsAtTheSameTime() {
        Events events = runConcurrently("same_thread", PerClassConcurrent.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
        assertThat(Shop.LOG).containsExactly("setup Database", "shutdown Database");
    }

    @ConductorTest(components = Database.class)
    static class PerClassConcurrent {

        Database database;

        @Test
        void one() throws Exception {
            meetTheOther(database);
        }

        @Test
        void two() throws Exception {
            meetTheOther(database);
        }
    }

    @Test
    void perMethodComponentsAreOwnedByEachConcurrentTest() {
        Events events = runConcurrently("same_thread", PerMethodConcurrent.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(Collections.frequency(Shop.LOG, "setup Database")).isEqualTo(2);
        assertThat(Collections.frequency(Shop.LOG, "shutdown Database")).isEqualTo(2);
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class PerMethodConcurrent {

        Database database;

        @Test
        void one(Database parameter) throws Exception {
            assertThat(parameter).isSameAs(database);
            meetTheOther(database);
        }

        @Test
        void two(Database parameter) throws Exception {
            assertThat(parameter).isSameAs(database);
            meetTheOther(database);
        }
    }

    @Test
    void perMethodComponentsInFieldsOfOneConcurrentInstanceAreRefused() {
        Events events = runConcurrently("same_thread", PerMethodOnOneConcurrentInstance.class);

        events.assertThatEvents().haveExactly(2, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(text -> text.startsWith(PerMethodOnOneConcurrentInstance.class.getName() + " runs its tests"
                        + " concurrently on one instance (@TestInstance(PER_CLASS)) with @ConductorTest(lifecycle ="
                        + " PER_METHOD)")))));
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)   // JUnit runs a PER_CLASS instance's tests in one thread unless told
    static class PerMethodOnOneConcurrentInstance {

        Database database;

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    @Test
    void sharedComponentsAreSetUpOnceForClassesRunningAtTheSameTime() {
        Events events = runConcurrently("concurrent", SharedConcurrentOne.class, SharedConcurrentTwo.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
        assertThat(Shop.LOG).containsExactly("setup Database", "shutdown Database");
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    static class SharedConcurrentOne {

        @Test
        void test(Database database) throws Exception {
            meetTheOther(database);
        }
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.SHARED)
    static class SharedConcurrentTwo {

        @Test
        void test(Database database) throws Exception {
            meetTheOther(database);
        }
    }
}
