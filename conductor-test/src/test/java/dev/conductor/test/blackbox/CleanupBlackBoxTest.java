package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConductorTest.Lifecycle;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.Subject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Whatever fails around the tests, what was set up is shut down, exactly once; what does not run is not set up. */
class CleanupBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    private static void balanced() {
        assertThat(shutdowns(Database.class)).as("Database shut down as often as set up")
                .isEqualTo(setups(Database.class));
        assertThat(shutdowns(Cache.class)).as("Cache shut down as often as set up").isEqualTo(setups(Cache.class));
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class BeforeAllThrows {
        @BeforeAll
        static void beforeAll() {
            throw new IllegalStateException("beforeAll fails");
        }

        @Test
        void test() {
        }
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class AfterAllThrows {
        @Test
        void test() {
        }

        @AfterAll
        static void afterAll() {
            throw new IllegalStateException("afterAll fails");
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodBeforeEachThrows {
        @BeforeEach
        void beforeEach() {
            throw new IllegalStateException("beforeEach fails");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodAfterEachThrows {
        @Test
        void one() {
        }

        @AfterEach
        void afterEach() {
            throw new IllegalStateException("afterEach fails");
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodConstructorThrows {
        PerMethodConstructorThrows(Database database) {
            throw new IllegalStateException("constructor fails");
        }

        @Test
        void one() {
            SEEN.put("ran", true);
        }

        @Test
        void two() {
            SEEN.put("ran", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstanceConstructorThrows {
        PerClassInstanceConstructorThrows(Database database) {
            throw new IllegalStateException("constructor fails");
        }

        @Test
        void one() {
            SEEN.put("ran", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodAborted {
        @Test
        void aborted() {
            Assumptions.assumeTrue(false, "not today");
        }
    }

    @Test
    void failingLifecycleMethodsConstructorsAndAbortedTestsStillShutDownWhatWasSetUp() {
        Class<?>[] classes = { BeforeAllThrows.class, AfterAllThrows.class, PerMethodBeforeEachThrows.class,
                PerMethodAfterEachThrows.class, PerMethodConstructorThrows.class,
                PerClassInstanceConstructorThrows.class, PerMethodAborted.class };
        for (Class<?> c : classes) {
            Parts.reset();
            EngineExecutionResults results = run(c);
            assertThat(SEEN).as(c.getSimpleName()).doesNotContainKey("ran");
            assertThat(shutdowns(Database.class)).as(c.getSimpleName() + "\n" + describe(results))
                    .isEqualTo(setups(Database.class));
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodFieldHoldsValue {
        Cache cache = new Cache();

        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class PerClassFieldHoldsValue {
        Cache cache = new Cache();

        @Test
        void one() {
            SEEN.put("ran", true);
        }

        @Test
        void two() {
            SEEN.put("ran", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodUnknownParameter {
        @Test
        void test(Cache notInGraph) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void refusedFieldsAndParametersStillShutDownWhatWasSetUp() {
        for (Class<?> c : new Class<?>[] { PerMethodFieldHoldsValue.class, PerClassFieldHoldsValue.class,
                PerMethodUnknownParameter.class }) {
            Parts.reset();
            EngineExecutionResults results = run(c);
            assertThat(SEEN).as(c.getSimpleName()).doesNotContainKey("ran");
            assertThat(results.allEvents().failed().count()).as(c.getSimpleName()).isPositive();
            assertThat(shutdowns(Database.class)).as(c.getSimpleName() + "\n" + describe(results))
                    .isEqualTo(setups(Database.class));
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = Lifecycle.PER_METHOD)
    static class PerMethodWithDisabled {
        @Test
        @Disabled("not this one")
        void disabled() {
        }

        @Test
        void enabled() {
        }
    }

    @Subject
    @Disabled("whole class")
    @ConductorTest(components = Database.class)
    static class DisabledPerClass {
        @Test
        void test() {
        }
    }

    @Subject
    @Disabled("whole class")
    @ConductorTest(components = Cache.class, lifecycle = Lifecycle.SHARED)
    static class DisabledShared {
        @Test
        void test() {
        }
    }

    @Test
    void disabledTestsAndClassesSetNothingUp() {
        // JUnit makes the test instance of a disabled method before it evaluates @Disabled, and PER_METHOD
        // components are set up before the constructor: they may be set up for it, but are then shut down again
        run(PerMethodWithDisabled.class);
        assertThat(setups(Database.class)).isBetween(1, 2);
        balanced();

        Parts.reset();
        run(DisabledPerClass.class, DisabledShared.class);
        assertThat(setups(Database.class)).isZero();
        assertThat(setups(Cache.class)).isZero();
    }

    @Test
    void selectingOneMethodOfAPerMethodClassSetsUpOnce() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Parts.SUBJECT_KEY, "true")
                .selectors(DiscoverySelectors.selectMethod(PerMethodWithDisabled.class, "enabled"))
                .execute();

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(setups(Database.class)).isEqualTo(1);
        balanced();
    }
}
