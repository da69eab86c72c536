package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Issue 21 item 6 (jitter), includes/excludes matching causes, and a late success with retries on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    // ---- jitter -------------------------------------------------------------------------------------------

    @Test
    void jitterSpreadsDelaysEvenlyEarlierAndLater() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(100).delay(Duration.ofSeconds(1))
                .jitter(Duration.ofMillis(200)).build();
        int samples = 20_000;
        int below = 0;
        int above = 0;
        int exact = 0;
        int[] buckets = new int[4];
        for (int i = 0; i < samples; i++) {
            Duration delay = policy.delayAfter(1 + i % 5);
            double millis = delay.toNanos() / 1e6;
            assertThat(millis).isBetween(800.0, 1200.0);
            if (millis < 1000.0) {
                below++;
            } else if (millis > 1000.0) {
                above++;
            } else {
                exact++;
            }
            buckets[(int) Math.min(3, (millis - 800.0) / 100.0)]++;
        }
        assertThat(exact).as("delays exactly on the base delay").isLessThan(samples / 100);
        assertThat(below).as("earlier").isBetween(samples * 45 / 100, samples * 55 / 100);
        assertThat(above).as("later").isBetween(samples * 45 / 100, samples * 55 / 100);
        for (int bucket : buckets) {
            assertThat(bucket).as("each 100 ms of 800-1200 ms").isBetween(samples * 20 / 100, samples * 30 / 100);
        }
    }

    @Test
    void jitterWithMultiplierMovesEachGrownDelay() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(10).delay(Duration.ofSeconds(1)).multiplier(2)
                .jitter(Duration.ofMillis(200)).build();
        boolean earlier = false;
        boolean later = false;
        for (int i = 0; i < 2_000; i++) {
            double millis = policy.delayAfter(3).toNanos() / 1e6;   // 4 s without jitter
            assertThat(millis).isBetween(3800.0, 4200.0);
            earlier |= millis < 4000.0;
            later |= millis > 4000.0;
        }
        assertThat(earlier).isTrue();
        assertThat(later).isTrue();
    }

    @Test
    void jitterNeverGoesBelowZeroNorAboveTheMaximumDelay() {
        RetryPolicy small = RetryPolicy.builder().maxRetries(10).delay(Duration.ofMillis(100))
                .jitter(Duration.ofMillis(500)).build();
        RetryPolicy capped = RetryPolicy.builder().maxRetries(10).delay(Duration.ofSeconds(1)).multiplier(3)
                .maxDelay(Duration.ofMillis(2500)).jitter(Duration.ofMillis(800)).build();
        boolean cappedEarlier = false;
        for (int i = 0; i < 5_000; i++) {
            Duration d = small.delayAfter(1);
            assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(Duration.ofMillis(600));
            for (int attempt = 1; attempt <= 5; attempt++) {
                Duration c = capped.delayAfter(attempt);
                assertThat(c).as("attempt %d", attempt).isGreaterThanOrEqualTo(Duration.ZERO)
                        .isLessThanOrEqualTo(Duration.ofMillis(2500));
                if (attempt >= 3) {
                    cappedEarlier |= c.compareTo(Duration.ofMillis(2500)) < 0;
                }
            }
        }
        assertThat(cappedEarlier).as("a capped delay is still moved earlier").isTrue();
    }

    @Test
    void theEngineAsksForJitteredDelaysEarlierAndLater() {
        CapturingDelays delays = new CapturingDelays(true);
        Probe flaky = new Probe("flaky");
        int failures = 30;
        flaky.onSetup = (p, n) -> {
            if (n <= failures) {
                throw new ConnectException("refused " + n);
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("flaky", flaky)).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(failures).delay(Duration.ofSeconds(1))
                        .jitter(Duration.ofMillis(200)).build())
                .delays(delays)
                .listener(events::add)
                .build();
        engine.setup();
        assertThat(flaky.setups).hasValue(failures + 1);
        assertThat(delays.requested).hasSize(failures)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200)));
        assertThat(delays.requested).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(1)));
        assertThat(delays.requested).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(1)));
        List<Duration> announced = events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.SETUP_RETRYING)
                .map(LifecycleEvent::retryDelay).toList();
        assertThat(announced).as("SETUP_RETRYING announces the delay asked for").isEqualTo(delays.requested);
        engine.shutdown();
    }

    // ---- includes / excludes ---------------------------------------------------------------------------

    @Test
    void includesMatchTheExceptionAndEachOfItsCauses() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(3).includes(ConnectException.class).build();
        assertThat(policy.shouldRetry(1, new ConnectException("x"))).isTrue();
        assertThat(policy.shouldRetry(1, new UncheckedIOException(new ConnectException("wrapped")))).isTrue();
        assertThat(policy.shouldRetry(1, new RuntimeException(new IllegalStateException(new ConnectException("deep")))))
                .isTrue();
        assertThat(policy.shouldRetry(1, new UncheckedIOException(new IOException("other")))).isFalse();
        assertThat(policy.shouldRetry(1, new IllegalStateException("nothing"))).isFalse();
        assertThat(policy.shouldRetry(3, new ConnectException("last retry"))).isTrue();
        assertThat(policy.shouldRetry(4, new ConnectException("spent"))).isFalse();
    }

    @Test
    void excludesMatchTheExceptionAndEachOfItsCausesAndWinOverIncludes() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(3).excludes(IllegalArgumentException.class).build();
        assertThat(policy.shouldRetry(1, new IllegalStateException("ok"))).isTrue();
        assertThat(policy.shouldRetry(1, new IllegalArgumentException("bad"))).isFalse();
        assertThat(policy.shouldRetry(1, new NumberFormatException("subclass"))).isFalse();
        assertThat(policy.shouldRetry(1, new IllegalStateException(new IllegalArgumentException("cause")))).isFalse();

        RetryPolicy both = RetryPolicy.builder().maxRetries(3).includes(RuntimeException.class)
                .excludes(IllegalArgumentException.class).build();
        assertThat(both.shouldRetry(1, new IllegalStateException("included"))).isTrue();
        assertThat(both.shouldRetry(1, new IllegalStateException(new IllegalArgumentException("excluded cause"))))
                .isFalse();
    }

    static final class Permanent extends RuntimeException implements RetryPolicy.NotRetryable {
        Permanent() {
            super("permanent");
        }
    }

    @Test
    void errorsInterruptsAndNotRetryableAreNeverRetried() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(3).build();
        assertThat(policy.shouldRetry(1, new Permanent())).isFalse();
        assertThat(policy.shouldRetry(1, new AssertionError("error"))).isFalse();
        assertThat(policy.shouldRetry(1, new InterruptedException())).isFalse();
    }

    @Test
    void theEngineRetriesAWrappedIncludedFailure() {
        Probe database = new Probe("database");
        database.onSetup = (p, n) -> {
            if (n < 3) {
                throw new UncheckedIOException(new ConnectException("refused"));
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("database", database)).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(3).delay(Duration.ZERO).includes(ConnectException.class)
                        .build())
                .delays(new CapturingDelays(true))
                .build();
        engine.setup();
        assertThat(database.setups).hasValue(3);
        engine.shutdown();
    }

    @Test
    void theEngineDoesNotRetryAWrappedExcludedFailure() {
        Probe database = new Probe("database");
        database.onSetup = (p, n) -> {
            throw new IllegalStateException(new IllegalArgumentException("bad schema"));
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("database", database)).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(3).delay(Duration.ZERO)
                        .excludes(IllegalArgumentException.class).build())
                .delays(new CapturingDelays(true))
                .build();
        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);
        assertThat(failure).isNotNull();
        assertThat(failure.getAttempts()).isEqualTo(1);
        assertThat(database.setups).hasValue(1);
    }

    @Test
    void aTimedOutAttemptIsRetriedWhenTimeoutExceptionIsIncluded() {
        Probe slow = new Probe("slow");
        slow.onSetup = (p, n) -> {
            if (n == 1) {
                Thread.sleep(60_000);   // interrupted at the timeout
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("slow", slow).withSetupTimeout(Duration.ofSeconds(1))).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(2).delay(Duration.ZERO)
                        .includes(TimeoutException.class).build())
                .delays(new CapturingDelays(true))
                .build();
        engine.setup();
        assertThat(slow.setups).hasValue(2);
        engine.shutdown();
        assertThat(slow.violations).isEmpty();
    }

    @Test
    void aTimedOutAttemptIsNotRetriedWhenOnlyOtherFailuresAreIncluded() {
        Probe slow = new Probe("slow");
        slow.onSetup = (p, n) -> Thread.sleep(60_000);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("slow", slow).withSetupTimeout(Duration.ofSeconds(1))).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(2).delay(Duration.ZERO)
                        .includes(ConnectException.class).build())
                .delays(new CapturingDelays(true))
                .build();
        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);
        assertThat(failure).isNotNull();
        assertThat(failure.isTimeout()).isTrue();
        assertThat(slow.setups).hasValue(1);
    }

    // ---- a setup that succeeds after its timeout ---------------------------------------------------------

    @Test
    void aLateSuccessIsShutDownBeforeTheNextAttempt() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        Probe deaf = new Probe("deaf");
        deaf.onSetup = (p, n) -> {
            if (n == 1) {
                p.awaitDeafRecording(late);   // ignores the interrupt of its timeout, then succeeds
            }
        };
        Probe dependent = new Probe("dependent");
        CapturingDelays delays = new CapturingDelays(false);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("deaf", deaf).withSetupTimeout(Duration.ofMillis(200)))
                        .add(ComponentDefinition.of("dependent", dependent).dependsOn("deaf"))
                        .build())
                .retryPolicy(RetryPolicy.builder().maxRetries(3).delay(Duration.ofSeconds(1)).build())
                .delays(delays)
                .listener(events::add)
                .build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        // the first attempt timed out (it was interrupted), while its setup still runs
        assertThat(deaf.interruptedWhileDeaf.await(10, TimeUnit.SECONDS)).isTrue();
        late.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> deaf.shutdowns.get() == 1);
        assertThat(deaf.setups).as("no second attempt before the late success was shut down").hasValue(1);
        while (!setup.isDone()) {
            Runnable retry = delays.waiting.poll(50, TimeUnit.MILLISECONDS);
            if (retry != null) {
                new Thread(retry).start();
            }
        }
        setup.get(10, TimeUnit.SECONDS);
        assertThat(engine.state("dependent")).isEqualTo(ComponentState.ACTIVE);
        assertThat(deaf.setups).hasValue(2);
        assertThat(deaf.violations).as("never set up twice without a shutdown between").isEmpty();
        engine.shutdown();
        assertThat(deaf.shutdowns).hasValue(2);
        assertThat(deaf.violations).isEmpty();
    }

    @Test
    void aLateSuccessWhileTheRetryIsDueIsNeverSetUpTwice() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        Probe deaf = new Probe("deaf");
        deaf.onSetup = (p, n) -> {
            if (n == 1) {
                p.awaitDeafRecording(late);
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("deaf", deaf).withSetupTimeout(Duration.ofMillis(150))).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(50)).build())
                .delays(new CapturingDelays(true))   // retries are due at once
                .listener(events::add)
                .build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        assertThat(deaf.interruptedWhileDeaf.await(10, TimeUnit.SECONDS)).isTrue();
        late.countDown();
        Throwable outcome = catchThrowableOfType(Exception.class, () -> setup.get(20, TimeUnit.SECONDS));
        assertThat(deaf.violations).as("never set up twice without a shutdown between").isEmpty();
        if (outcome == null) {
            assertThat(deaf.setUp).isTrue();
            engine.shutdown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !deaf.setUp);
        assertThat(deaf.violations).isEmpty();
    }

    @Test
    void withoutRetriesALateSuccessIsShutDownInTheRollback() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        Probe deaf = new Probe("deaf");
        deaf.onSetup = (p, n) -> Probe.awaitDeaf(late);
        Probe base = new Probe("base");
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("base", base))
                        .add(ComponentDefinition.of("deaf", deaf).dependsOn("base")
                                .withSetupTimeout(Duration.ofMillis(150)))
                        .build())
                .listener(events::add)
                .build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> e.component().equals("deaf") && e.kind().isFailure()));
        assertThat(base.shutdowns).as("the base stays up until the late setup returned").hasValue(0);
        late.countDown();
        Throwable failure = catchThrowableOfType(Exception.class, () -> setup.get(10, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(ComponentSetupException.class);
        assertThat(deaf.shutdowns).hasValue(1);
        assertThat(base.shutdowns).hasValue(1);
        assertThat(deaf.setUp).isFalse();
        assertThat(deaf.violations).isEmpty();
        assertThat(base.violations).isEmpty();
    }
}
