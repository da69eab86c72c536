package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Spring's test context cache pauses a cached context when the next test class uses another one
 * ({@code spring.test.context.cache.pause=ON_CONTEXT_SWITCH}, the default), and restarts it when a test class
 * uses it again. Three test classes, run alternately in one launcher (alpha, beta, alpha again), show what the
 * components do: by default a paused context's components are shut down and set up again on its restart;
 * with {@code conductor.pauseable=false} they keep running.
 */
class PausedTestContextTests {

    static final List<String> TRANSITIONS = new CopyOnWriteArrayList<>();

    /** Records its setup and shutdown under its name, and tells whether it is active. */
    abstract static class Recorded implements Component {

        volatile boolean active;

        @Override
        public void setup() {
            active = true;
            TRANSITIONS.add(name() + " set up");
        }

        @Override
        public void shutdown() {
            active = false;
            TRANSITIONS.add(name() + " shut down");
        }

        abstract String name();
    }

    @ConductorComponent
    static class Alpha extends Recorded {

        @Override
        String name() {
            return "alpha";
        }
    }

    @ConductorComponent
    static class Beta extends Recorded {

        @Override
        String name() {
            return "beta";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Alpha.class)
    static class AlphaApplication {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Beta.class)
    static class BetaApplication {
    }

    /** A test that needs its component active. */
    abstract static class UsesItsComponent {

        @Autowired
        Recorded component;

        @Autowired
        ConductorLifecycle lifecycle;

        @Test
        void componentIsActive() {
            assertThat(component.active).isTrue();
            assertThat(lifecycle.isRunning()).isTrue();
        }
    }

    // Contexts of their own (the properties are part of the cache key), closed by the last class that uses them

    @Order(1)
    @SpringBootTest(classes = AlphaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = "test=PausedTestContextTests.pauseable")
    static class AlphaFirst extends UsesItsComponent {
    }

    @Order(2)
    @SpringBootTest(classes = BetaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = "test=PausedTestContextTests.pauseable")
    @DirtiesContext
    static class BetaBetween extends UsesItsComponent {
    }

    @Order(3)
    @SpringBootTest(classes = AlphaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = "test=PausedTestContextTests.pauseable")
    @DirtiesContext
    static class AlphaAgain extends UsesItsComponent {
    }

    @Order(1)
    @SpringBootTest(classes = AlphaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = { "test=PausedTestContextTests.notPauseable", "conductor.pauseable=false" })
    static class AlphaFirstNotPauseable extends UsesItsComponent {
    }

    @Order(2)
    @SpringBootTest(classes = BetaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = { "test=PausedTestContextTests.notPauseable", "conductor.pauseable=false" })
    @DirtiesContext
    static class BetaBetweenNotPauseable extends UsesItsComponent {
    }

    @Order(3)
    @SpringBootTest(classes = AlphaApplication.class, webEnvironment = WebEnvironment.NONE,
            properties = { "test=PausedTestContextTests.notPauseable", "conductor.pauseable=false" })
    @DirtiesContext
    static class AlphaAgainNotPauseable extends UsesItsComponent {
    }

    private static Events run(Class<?>... testClasses) {
        TRANSITIONS.clear();
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.testclass.order.default",
                        ClassOrderer.OrderAnnotation.class.getName());
        for (Class<?> testClass : testClasses) {
            kit.selectors(selectClass(testClass));
        }
        return kit.execute().testEvents();
    }

    @Test
    void pausedContextShutsItsComponentsDownAndSetsThemUpAgainWhenItRestarts() {
        Events events = run(AlphaFirst.class, BetaBetween.class, AlphaAgain.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3));
        assertThat(TRANSITIONS).containsExactly("alpha set up", "alpha shut down", "beta set up", "beta shut down",
                "alpha set up", "alpha shut down");
    }

    @Test
    void withPauseableFalseComponentsOfAnIdleContextKeepRunning() {
        Events events = run(AlphaFirstNotPauseable.class, BetaBetweenNotPauseable.class,
                AlphaAgainNotPauseable.class);

        events.assertStatistics(stats -> stats.started(3).succeeded(3));
        // beta goes down when its class closes its context; alpha ran throughout and goes down when its last
        // class closes its context
        assertThat(TRANSITIONS).containsExactly("alpha set up", "beta set up", "beta shut down", "alpha shut down");
    }
}
