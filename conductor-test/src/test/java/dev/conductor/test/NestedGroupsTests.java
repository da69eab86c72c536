package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.RetryPolicy;
import dev.conductor.test.Shop.Configured;
import dev.conductor.test.Shop.Database;
import dev.conductor.test.Shop.InMemoryQueue;
import dev.conductor.test.Shop.MessageQueue;
import dev.conductor.test.Shop.Settings;
import dev.conductor.test.Shop.Unrelated;
import dev.conductor.test.Shop.WebApi;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A {@code @Nested} class that declares its own components, patches or configuration runs on a new graph (its
 * enclosing class's declarations plus its own), set up and shut down around it; one that declares nothing shares
 * its enclosing class's components.
 */
class NestedGroupsTests {

    @BeforeEach
    void clearLog() {
        Shop.reset();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
    }

    @Test
    void aNestedPatchMakesANewGraphAroundTheNestedClassWhileTheOuterOneKeepsRunning() {
        Events events = run(OuterWithPatchedGroup.class);

        events.assertStatistics(stats -> stats.started(7).succeeded(7).failed(0));   // engine, 3 classes, 3 tests
        List<String> log = Shop.LOG;
        assertThat(Collections.frequency(log, "setup WebApi")).isEqualTo(2);
        assertThat(log).containsOnlyOnce("setup InMemoryQueue", "shutdown InMemoryQueue", "setup MessageQueue",
                "shutdown MessageQueue");
        assertThat(log.indexOf("setup InMemoryQueue")).isLessThan(log.indexOf("patched test"));
        assertThat(log.indexOf("patched test")).isLessThan(log.indexOf("shutdown InMemoryQueue"));
        assertThat(log.indexOf("shutdown InMemoryQueue")).isLessThan(log.indexOf("shutdown MessageQueue"));
        assertThat(log.get(log.size() - 1)).isIn("shutdown Database", "shutdown MessageQueue");
    }

    @ConductorTest(components = WebApi.class)
    static class OuterWithPatchedGroup {

        WebApi api;

        @Test
        void outerTest() {
            assertThat(api.queue.getClass()).isEqualTo(MessageQueue.class);
        }

        @Nested
        @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
        class Patched {

            WebApi patchedApi;

            InMemoryQueue queue;

            @Test
            void patchedTest(WebApi parameter) {
                assertThat(patchedApi).isNotSameAs(api).isSameAs(parameter);
                assertThat(patchedApi.queue).isSameAs(queue);
                assertThat(api.active).as("the enclosing class's components still run").isTrue();
                assertThat(api.queue.getClass()).isEqualTo(MessageQueue.class);
                Shop.LOG.add("patched test");
            }
        }

        @Nested
        class Shared {

            @Test
            void sharesTheOuterComponents(WebApi parameter) {
                assertThat(parameter).isSameAs(api);
            }
        }
    }

    @Test
    void aNestedConductorTestHasItsOwnLifecycleAndComponentsOnTopOfTheEnclosingOnes() {
        Events events = run(OuterWithPerMethodGroup.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
        assertThat(OuterWithPerMethodGroup.seen).hasSize(2).doesNotHaveDuplicates();
        assertThat(Collections.frequency(Shop.LOG, "setup Database")).isEqualTo(3);   // the outer's, one per test
        assertThat(Collections.frequency(Shop.LOG, "setup Unrelated")).isEqualTo(2);
    }

    @ConductorTest(components = Database.class)
    static class OuterWithPerMethodGroup {

        static final List<Integer> seen = new CopyOnWriteArrayList<>();

        Database database;

        @Nested
        @ConductorTest(components = Unrelated.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
        class PerMethod {

            Unrelated unrelated;

            @Test
            void one(Database own) {
                check(own);
            }

            @Test
            void two(Database own) {
                check(own);
            }

            private void check(Database own) {
                assertThat(own).isNotSameAs(database);
                assertThat(own.active).isTrue();
                assertThat(unrelated.active).isTrue();
                seen.add(unrelated.instance);
            }
        }
    }

    @Test
    void aNestedConfigureMethodRunsAfterTheEnclosingClassesOnTheNestedGraph() {
        Events events = run(OuterWithConfiguredGroup.class);

        events.assertStatistics(stats -> stats.started(5).succeeded(5).failed(0));
    }

    @ConductorTest
    static class OuterWithConfiguredGroup {

        Configured configured;

        @ConfigureConductor
        static void provideSettings(Conductor.Builder builder) {
            builder.provide(Settings.class, new Settings("outer"));
        }

        @Test
        void outerTest() {
            assertThat(configured.settings.url()).isEqualTo("outer");
        }

        @Nested
        class FlakyDatabase {

            Database database;

            @ConfigureConductor
            static void retry(Conductor.Builder builder) {
                builder.faults(new Faults().failNextSetups(Database.class, 1))
                        .setupRetry(RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(1)).build());
            }

            @Test
            void retriedAndStillProvided(Configured own) {
                assertThat(own).isNotSameAs(configured);
                assertThat(own.settings.url()).isEqualTo("outer");
                assertThat(database.active).isTrue();
            }
        }
    }

    @Test
    void aNestedGroupWithAPerClassInstanceHasItsOwnComponentsInItsBeforeAll() {
        Events events = run(OuterWithPerClassGroup.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        List<String> log = Shop.LOG;
        assertThat(log).hasSize(8);
        assertThat(log.get(0)).isEqualTo("setup Database");   // the enclosing class's
        assertThat(log.subList(1, 3)).containsExactlyInAnyOrder("setup Database", "setup InMemoryQueue");
        assertThat(log.subList(3, 5)).containsExactly("inner beforeAll", "inner test");
        assertThat(log.subList(5, 7)).containsExactlyInAnyOrder("shutdown Database", "shutdown InMemoryQueue");
        assertThat(log.get(7)).isEqualTo("shutdown Database");
    }

    @ConductorTest(components = Database.class)
    static class OuterWithPerClassGroup {

        Database database;

        @Nested
        @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
        @ConductorTest(components = InMemoryQueue.class)
        class Group {

            InMemoryQueue queue;

            final Database own;

            Group(Database own) {
                this.own = own;
            }

            @org.junit.jupiter.api.BeforeAll
            void beforeAll() {
                assertThat(queue.active).isTrue();
                assertThat(own).isNotSameAs(database);   // the group's, not the enclosing class's
                Shop.LOG.add("inner beforeAll");
            }

            @Test
            void test() {
                Shop.LOG.add("inner test");
            }
        }
    }
}
