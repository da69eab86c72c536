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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What goes on after the deadline or a timeout: shutdowns started at the deadline, late setups in a rollback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackgroundShutdownBlackBoxTest {

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHangs() {
        release.countDown();
    }

    @Test
    void aShutdownStartedAtTheDeadlineIsStillInterruptedAtItsOwnTimeout() throws Exception {
        CountDownLatch bottomInterrupted = new CountDownLatch(1);
        Probe bottom = new Probe("bottom");
        bottom.onShutdown = (p, n) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                bottomInterrupted.countDown();
                throw e;
            }
        };
        Probe top = new Probe("top");
        top.onShutdown = (p, n) -> Probe.awaitDeaf(release);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("bottom", bottom).withShutdownTimeout(Duration.ofMillis(500)))
                        .add(ComponentDefinition.of("top", top).dependsOn("bottom")).build())
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(300))
                .build();
        engine.setup();
        ComponentShutdownException failure = catchThrowableOfType(ComponentShutdownException.class, engine::shutdown);
        assertThat(failure).isNotNull();
        assertThat(failure.getFailures()).containsKeys("top", "bottom");
        assertThat(bottom.shutdownStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bottomInterrupted.await(10, TimeUnit.SECONDS))
                .as("the shutdown started at the deadline is interrupted at its own timeout").isTrue();
    }

    @Test
    void aSetupThatNeverReturnsHoldsItsDependencyOnlyForItsShutdownTimeoutAndTheErrorSaysSo() {
        Probe base = new Probe("base");
        Probe deaf = new Probe("deaf");
        deaf.onSetup = (p, n) -> Probe.awaitDeaf(release);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("base", base))
                        .add(ComponentDefinition.of("deaf", deaf).dependsOn("base")
                                .withSetupTimeout(Duration.ofMillis(150))
                                .withShutdownTimeout(Duration.ofMillis(300))).build())
                .build();
        long start = System.nanoTime();
        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failure).isNotNull();
        assertThat(failure.isTimeout()).isTrue();
        assertThat(elapsed).isLessThan(5_000);
        assertThat(base.shutdowns).as("the base was shut down once the bound passed").hasValue(1);
        String all = ShutdownDeadlineBlackBoxTest.describe(failure);
        System.out.println("late setup bound: " + all);
        assertThat(all).contains("deaf");
        assertThat(failure.getSuppressed()).as("the error says the bound passed").isNotEmpty();
    }
}
