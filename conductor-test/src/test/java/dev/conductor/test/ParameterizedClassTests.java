package dev.conductor.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conductor.test.Shop.Database;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A {@code @ParameterizedClass}: its invocations share the components with {@code PER_CLASS} (as they share its
 * {@code @BeforeAll}), and each gets its own with {@code PER_INVOCATION}; arguments are left to JUnit.
 */
class ParameterizedClassTests {

    static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        Shop.reset();
        SEEN.clear();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
    }

    @Test
    void perClassInvocationsShareOneSetOfComponents() {
        Events events = run(PerClassInvocations.class);

        events.assertStatistics(stats -> stats.started(6).succeeded(6).failed(0));   // engine, class, 2 x (inv, test)
        assertThat(Shop.LOG).containsExactly("setup Database", "test x", "test y", "shutdown Database");
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    }

    @ConductorTest(components = Database.class)
    @ParameterizedClass
    @ValueSource(strings = { "x", "y" })
    static class PerClassInvocations {

        @Parameter
        String value;

        Database database;

        @Test
        void test() {
            SEEN.add(database.instance);
            Shop.LOG.add("test " + value);
        }
    }

    @Test
    void perInvocationGivesEachInvocationNewComponentsSetUpAroundIt() {
        Events events = run(PerInvocation.class);

        events.assertStatistics(stats -> stats.started(8).succeeded(8).failed(0));   // engine, class, 2 x (inv, 2)
        assertThat(Shop.LOG).containsExactly("setup Database", "test x", "test x", "shutdown Database",
                "setup Database", "test y", "test y", "shutdown Database");
        assertThat(SEEN).hasSize(4);
        assertThat(SEEN.get(0)).isEqualTo(SEEN.get(1)).isNotEqualTo(SEEN.get(2));
        assertThat(SEEN.get(2)).isEqualTo(SEEN.get(3));
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_INVOCATION)
    @ParameterizedClass
    @ValueSource(strings = { "x", "y" })
    static class PerInvocation {

        @Parameter
        String value;

        Database database;

        @Test
        void one(Database parameter) {
            assertThat(parameter).isSameAs(database);
            record();
        }

        @Test
        void two() {
            record();
        }

        private void record() {
            assertThat(database.active).isTrue();
            SEEN.add(database.instance);
            Shop.LOG.add("test " + value);
        }
    }

    @Test
    void perInvocationOnAPlainClassIsPerClass() {
        Events events = run(PerInvocationOnAPlainClass.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
        assertThat(Shop.LOG).containsExactly("setup Database", "test", "test", "shutdown Database");
    }

    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_INVOCATION)
    static class PerInvocationOnAPlainClass {

        @Test
        void one(Database database) {
            Shop.LOG.add("test");
        }

        @Test
        void two(Database database) {
            Shop.LOG.add("test");
        }
    }

    @Test
    void aComponentTypedConstructorArgumentOfTheClassIsJUnits() {
        Events events = run(ComponentTypedArgument.class);

        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
    }

    @ConductorTest(components = Database.class)
    @ParameterizedClass
    @MethodSource("databases")
    static class ComponentTypedArgument {

        final Database argument;

        final Database component;

        ComponentTypedArgument(Database argument, Database component) {
            this.argument = argument;
            this.component = component;
        }

        static Stream<Database> databases() {
            return Stream.of(new Database());
        }

        @Test
        void test() {
            assertThat(argument.active).isFalse();
            assertThat(component.active).isTrue();
        }
    }
}
