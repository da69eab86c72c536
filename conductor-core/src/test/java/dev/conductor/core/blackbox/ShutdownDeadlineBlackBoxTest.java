package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.LifecycleEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 21 item 1: at the shutdown deadline every active component's shutdown has been started. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownDeadlineBlackBoxTest {

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHangs() {
        release.countDown();
    }

    private Probe hangingDeaf(String name) {
        Probe probe = new Probe(name);
        probe.onShutdown = (p, n) -> Probe.awaitDeaf(release);
        return probe;
    }

    @Test
    void chainWithTwoHangingShutdownsStartsEveryShutdownAtTheDeadline() throws Exception {
        Probe a = new Probe("a");
        Probe b = hangingDeaf("b");
        Probe c = hangingDeaf("c");
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("b", b).dependsOn("a"))
                .add(ComponentDefinition.of("c", c).dependsOn("b"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(300))
                .build();
        engine.setup();

        long start = System.nanoTime();
        ComponentShutdownException failure = catchThrowableOfType(ComponentShutdownException.class, engine::shutdown);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(failure).as("shutdown() names what did not finish").isNotNull();
        assertThat(elapsedMs).as("shutdown() returns near its deadline").isLessThan(5_000);
        assertThat(failure.getFailures().keySet()).contains("b", "c").isSubsetOf("a", "b", "c");
        // every active component's shutdown has been started once the deadline passed
        assertThat(a.shutdownStarted.await(5, TimeUnit.SECONDS)).as("a's shutdown started").isTrue();
        assertThat(b.shutdownStarted.await(5, TimeUnit.SECONDS)).as("b's shutdown started").isTrue();
        assertThat(c.shutdowns).hasValue(1);
        release.countDown();
        assertThat(a.shutdowns).hasValue(1);
        assertThat(b.shutdowns).hasValue(1);
        for (Probe probe : List.of(a, b, c)) {
            assertThat(probe.violations).isEmpty();
        }
        System.out.println("chain deadline message: " + failure.getMessage());
    }

    @Test
    void diamondWithHangingTopAndSideStartsEveryShutdownAndNamesTheHangingOnes() throws Exception {
        //      d
        //    /   \
        //   b     c
        //    \   /
        //      a
        Probe a = new Probe("a");
        Probe b = hangingDeaf("b");
        Probe c = new Probe("c");
        Probe d = hangingDeaf("d");
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("b", b).dependsOn("a"))
                .add(ComponentDefinition.of("c", c).dependsOn("a"))
                .add(ComponentDefinition.of("d", d).dependsOn("b", "c"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(300))
                .build();
        engine.setup();

        ComponentShutdownException failure = catchThrowableOfType(ComponentShutdownException.class, engine::shutdown);

        assertThat(failure).isNotNull();
        assertThat(failure.getFailures().keySet()).contains("b", "d");
        for (Probe probe : List.of(a, b, c)) {
            assertThat(probe.shutdownStarted.await(5, TimeUnit.SECONDS)).as(probe + "'s shutdown started").isTrue();
        }
        release.countDown();
        for (Probe probe : List.of(a, b, c, d)) {
            assertThat(probe.shutdowns).as(probe.name).hasValue(1);
            assertThat(probe.violations).isEmpty();
        }
        System.out.println("diamond deadline message: " + failure.getMessage());
    }

    @Test
    void interruptibleHangsAreGivenUpAtTheDeadlineAndTheRestStarts() throws Exception {
        // hangs that do end at an interrupt: the deadline must still start every shutdown
        List<Probe> chain = new ArrayList<>();
        ComponentGraph.Builder builder = ComponentGraph.builder();
        for (int i = 0; i < 5; i++) {
            Probe probe = new Probe("p" + i);
            if (i >= 2) {
                probe.onShutdown = (p, n) -> Thread.sleep(60_000);
            }
            chain.add(probe);
            ComponentDefinition definition = ComponentDefinition.of(probe.name, probe);
            builder.add(i == 0 ? definition : definition.dependsOn("p" + (i - 1)));
        }
        LifecycleEngine engine = LifecycleEngine.builder(builder.build())
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(400))
                .build();
        engine.setup();

        long start = System.nanoTime();
        ComponentShutdownException failure = catchThrowableOfType(ComponentShutdownException.class, engine::shutdown);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(failure).isNotNull();
        assertThat(failure.getFailures().keySet()).contains("p4");
        for (Probe probe : chain) {
            assertThat(probe.shutdownStarted.await(5, TimeUnit.SECONDS)).as(probe + "'s shutdown started").isTrue();
            assertThat(probe.violations).isEmpty();
        }
    }

    @Test
    void rollbackAtTheDeadlineNeverNamesOrShutsDownAComponentThatWasNotSetUp() throws Exception {
        // a <- b (hangs in shutdown) <- c; x fails its setup once b is active; c is never set up
        Probe a = new Probe("a");
        Probe b = hangingDeaf("b");
        CountDownLatch bActive = new CountDownLatch(1);
        b.onSetup = (p, n) -> bActive.countDown();
        Probe c = new Probe("c");
        CountDownLatch cMayGo = new CountDownLatch(1);
        c.onSetup = (p, n) -> Probe.awaitDeaf(cMayGo);
        Probe x = new Probe("x");
        x.onSetup = (p, n) -> {
            bActive.await();
            throw new IllegalStateException("x broke");
        };
        Probe never = new Probe("never");
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("b", b).dependsOn("a"))
                .add(ComponentDefinition.of("x", x))
                .add(ComponentDefinition.of("never", never).dependsOn("x"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(300))
                .build();

        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);

        assertThat(failure).isNotNull();
        assertThat(failure.getComponent()).isEqualTo("x");
        assertThat(a.shutdownStarted.await(5, TimeUnit.SECONDS)).as("a rolled back despite b hanging").isTrue();
        String all = describe(failure);
        System.out.println("rollback deadline message: " + all);
        assertThat(all).doesNotContain("'never' was started").doesNotContain("never was started");
        release.countDown();
        assertThat(never.setups).hasValue(0);
        assertThat(never.shutdowns).hasValue(0);
        assertThat(x.shutdowns).as("a failed setup is never shut down").hasValue(0);
        for (Probe probe : List.of(a, b, x, never, c)) {
            assertThat(probe.violations).isEmpty();
        }
        cMayGo.countDown();
    }

    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable suppressed : failure.getSuppressed()) {
            text.append(" | suppressed: ").append(describe(suppressed));
        }
        return text.toString();
    }
}
