package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SetupDeadlineException;
import dev.conductor.core.StepContext;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Where retries, deadlines and supervision meet, at the edges of their timing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgesBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void jitterAtTheMaximumDelayDoesNotPutHalfTheRetriesInStep() {
        // delay 1 s doubling, capped at 4 s, jitter 200 ms: from the third retry on the delay is the cap
        RetryPolicy policy = RetryPolicy.builder().maxRetries(20).delay(Duration.ofSeconds(1)).multiplier(2)
                .maxDelay(Duration.ofSeconds(4)).jitter(Duration.ofMillis(200)).build();
        int samples = 10_000;
        int exactlyTheCap = 0;
        for (int i = 0; i < samples; i++) {
            Duration delay = policy.delayAfter(6);
            assertThat(delay).isBetween(Duration.ofMillis(3800), Duration.ofSeconds(4));
            if (delay.equals(Duration.ofSeconds(4))) {
                exactlyTheCap++;
            }
        }
        System.out.println("jitter at the cap: " + exactlyTheCap + " of " + samples + " exactly on max-delay");
        assertThat(exactlyTheCap).as("retries landing exactly on max-delay, in step").isLessThan(samples / 10);
    }

    @Test
    void setupDeadlineEndsTheWaitForARetryAtOnceAndNamesIt() {
        CapturingDelays delays = new CapturingDelays(false);   // the retry is never due
        Probe flaky = new Probe("flaky");
        flaky.onSetup = (p, n) -> {
            throw new ConnectException("refused");
        };
        Probe base = new Probe("base");
        Probe dependent = new Probe("dependent");
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("base", base))
                        .add(ComponentDefinition.of("flaky", flaky).dependsOn("base"))
                        .add(ComponentDefinition.of("dependent", dependent).dependsOn("flaky"))
                        .build())
                .retryPolicy(RetryPolicy.builder().maxRetries(5).delay(Duration.ofMinutes(10)).build())
                .setupDeadline(Duration.ofSeconds(2)) // base is set up, flaky fails once, well before
                .delays(delays)
                .build();
        long start = System.nanoTime();
        SetupDeadlineException failure = catchThrowableOfType(SetupDeadlineException.class, engine::setup);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(failure).isNotNull();
        assertThat(failure.getInProgress()).containsExactly("flaky");
        assertThat(failure.getWaiting()).containsExactly("dependent");
        assertThat(base.shutdowns).hasValue(1);
        assertThat(dependent.setups).hasValue(0);
        assertThat(flaky.setups).hasValue(1);
    }

    @Test
    void stepContextInAShutdownSeesTheDeadlineRemaining() throws Exception {
        AtomicReference<Duration> remaining = new AtomicReference<>();
        Probe a = new Probe("a");
        a.onShutdown = (p, n) -> remaining.set(StepContext.current().orElseThrow().remaining());
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("a", a)).build())
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofSeconds(2))
                .build();
        engine.setup();
        engine.shutdown();
        assertThat(remaining.get()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void failureReportedWhileAnotherComponentStillSetsUpRestartsOnceTheSetupIsDone() throws Exception {
        Probe a = new Probe("a");
        Probe slow = new Probe("slow");
        CountDownLatch gate = new CountDownLatch(1);
        slow.onSetup = (p, n) -> gate.await();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("a", a))
                        .add(ComponentDefinition.of("slow", slow)).build())
                .supervision(SupervisionPolicy.restart(3, Duration.ofMinutes(1), RetryPolicy.none()))
                .delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state("a") == ComponentState.ACTIVE);
        engine.reportFailure("a", new IllegalStateException("a broke during the setup"));
        assertThat(a.shutdowns).hasValue(0);
        gate.countDown();
        setup.get(10, TimeUnit.SECONDS);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> a.setups.get() == 2
                    && engine.state("a") == ComponentState.ACTIVE);
        } finally {
            System.out.println("during-setup events: " + events.stream()
                    .map(e -> e.component() + ":" + e.kind()).toList()
                    + " unrecovered=" + engine.report().component("a").unrecoveredFailure()
                    + " runtimeFailure=" + engine.report().component("a").runtimeFailure());
        }
        assertThat(engine.isActive()).isTrue();
        engine.shutdown();
        assertThat(a.violations).isEmpty();
        assertThat(slow.violations).isEmpty();
    }

    @Test
    void aFailureWithPolicyNoneIsUnrecoveredUntilARestart() {
        Probe a = new Probe("a");
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("a", a)).build())
                .listener(events::add)
                .build();
        engine.setup();
        IllegalStateException cause = new IllegalStateException("consumer died");
        engine.failureReporter("a").failed(cause);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.report().component("a").unrecoveredFailure() != null);
        assertThat(engine.report().component("a").unrecoveredFailure()).isSameAs(cause);
        assertThat(a.setups).hasValue(1);
        engine.restart("a");
        assertThat(engine.report().component("a").unrecoveredFailure()).isNull();
        engine.shutdown();
    }

    @Test
    void restartFailsAndDeadlineStillBoundsTheShutdownOfAHangingDependent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Probe a = new Probe("a");
        Probe b = new Probe("b");
        b.onShutdown = (p, n) -> {
            if (n == 2) {
                Probe.awaitDeaf(release);
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("a", a))
                        .add(ComponentDefinition.of("b", b).dependsOn("a")).build())
                .shutdownTimeout(Duration.ofSeconds(30))
                .shutdownDeadline(Duration.ofMillis(300))
                .build();
        engine.setup();
        engine.restart("a");
        ComponentShutdownException failure = catchThrowableOfType(ComponentShutdownException.class, engine::shutdown);
        assertThat(failure).isNotNull();
        assertThat(failure.getFailures()).containsKey("b");
        assertThat(a.shutdownStarted.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.shutdowns.get() == 2);
        release.countDown();
        assertThat(a.violations).isEmpty();
        assertThat(b.violations).isEmpty();
    }
}
