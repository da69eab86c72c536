package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Failures and shutdowns that arrive while a restart is under way. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartOverlapBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void open() {
        gate.countDown();
    }

    private long count(String component, LifecycleEvent.Kind kind) {
        return events.stream().filter(e -> e.component().equals(component) && e.kind() == kind).count();
    }

    @Test
    void failureOfAnUnrelatedComponentDuringARestartIsActedOnAfterIt() throws Exception {
        Probe x = new Probe("x");
        Probe xDependent = new Probe("xDependent");
        xDependent.onSetup = (p, n) -> {
            if (n == 2) {
                gate.await();
            }
        };
        Probe y = new Probe("y");
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("x", x))
                        .add(ComponentDefinition.of("xDependent", xDependent).dependsOn("x"))
                        .add(ComponentDefinition.of("y", y)).build())
                .supervision(SupervisionPolicy.restart(5, Duration.ofMinutes(1), RetryPolicy.none()))
                .delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
        engine.setup();
        engine.reportFailure("x", new IllegalStateException("x broke"));
        await().atMost(Duration.ofSeconds(10)).until(() -> xDependent.setups.get() == 2);
        engine.reportFailure("y", new IllegalStateException("y broke meanwhile"));
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> y.setups.get() == 2
                && engine.state("y") == ComponentState.ACTIVE && engine.state("xDependent") == ComponentState.ACTIVE);
        assertThat(count("y", LifecycleEvent.Kind.RUNTIME_FAILURE)).isEqualTo(1);
        engine.shutdown();
        for (Probe probe : List.of(x, xDependent, y)) {
            assertThat(probe.violations).isEmpty();
        }
    }

    @Test
    void dependentSetUpAgainByTheRestartThatReportsIsRestartedAfterIt() throws Exception {
        //  d1   d2
        //    \ /
        //    base
        Probe base = new Probe("base");
        Probe d1 = new Probe("d1");
        Probe d2 = new Probe("d2");
        d2.onSetup = (p, n) -> {
            if (n == 2) {
                gate.await();
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("base", base))
                        .add(ComponentDefinition.of("d1", d1).dependsOn("base"))
                        .add(ComponentDefinition.of("d2", d2).dependsOn("base")).build())
                .supervision(SupervisionPolicy.restart(5, Duration.ofMinutes(1), RetryPolicy.none()))
                .delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
        engine.setup();
        engine.reportFailure("base", new IllegalStateException("base broke"));
        await().atMost(Duration.ofSeconds(10)).until(() -> d2.setups.get() == 2
                && engine.state("d1") == ComponentState.ACTIVE && d1.setups.get() == 2);
        engine.reportFailure("d1", new IllegalStateException("d1 broke in its new instance"));
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> d1.setups.get() == 3
                && engine.state("d1") == ComponentState.ACTIVE && engine.state("d2") == ComponentState.ACTIVE);
        assertThat(base.setups).hasValue(2);
        assertThat(d2.setups).hasValue(2);
        engine.shutdown();
        for (Probe probe : List.of(base, d1, d2)) {
            assertThat(probe.violations).isEmpty();
        }
    }

    @Test
    void shutdownDuringARestartCancelsItAndTheDeadlineStillStartsEveryShutdown() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Probe base = new Probe("base");
        Probe top = new Probe("top");
        top.onSetup = (p, n) -> {
            if (n == 2) {
                gate.await();   // the restart's setup of top waits; interrupted by the cancel
            }
        };
        Probe other = new Probe("other");
        Probe otherTop = new Probe("otherTop");
        otherTop.onShutdown = (p, n) -> Probe.awaitDeaf(release);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("base", base))
                        .add(ComponentDefinition.of("top", top).dependsOn("base"))
                        .add(ComponentDefinition.of("other", other))
                        .add(ComponentDefinition.of("otherTop", otherTop).dependsOn("other")).build())
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(400))
                .listener(events::add)
                .build();
        engine.setup();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> engine.restart("base"));
        await().atMost(Duration.ofSeconds(10)).until(() -> top.setups.get() == 2);
        Throwable shutdown = catchThrowable(engine::shutdown);
        assertThat(shutdown).isInstanceOf(ComponentShutdownException.class);
        assertThat(((ComponentShutdownException) shutdown).getFailures()).containsKey("otherTop");
        assertThat(catchThrowable(() -> restart.get(10, TimeUnit.SECONDS))).as("the restart was cancelled").isNotNull();
        assertThat(other.shutdownStarted.await(5, TimeUnit.SECONDS)).as("other's shutdown started").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> base.shutdowns.get() == 2);
        release.countDown();
        assertThat(engine.isActive()).isFalse();
        for (Probe probe : List.of(base, top, other, otherTop)) {
            assertThat(probe.violations).as(probe.name).isEmpty();
        }
        assertThat(top.setUp).as("the cancelled setup of top never completed").isFalse();
    }
}
