package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Setup retries with backoff, and the deadlines of the whole setup and shutdown. The delays between attempts
 * pass only when the test lets them ({@link ManualDelays}); timeouts and deadlines that must fire are short,
 * and everything that must not fire is an hour.
 */
@Timeout(30)
class RetryAndDeadlineTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static final Duration SHORT = Duration.ofMillis(100);

    private final ManualDelays delays = new ManualDelays();

    private final RecordingListener listener = new RecordingListener();

    /** Fails its first {@code failures} attempts with a "not reachable" error, then succeeds. */
    static final class Flaky implements Component {

        final AtomicInteger attempts = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        private final int failures;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public void setup() {
            int attempt = attempts.incrementAndGet();
            if (attempt <= failures) {
                throw new IllegalStateException("database not reachable (attempt " + attempt + ")");
            }
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    private LifecycleEngine.Builder engine(ComponentGraph.Builder graph) {
        return LifecycleEngine.builder(graph.build()).setupTimeout(HOUR).shutdownTimeout(HOUR).listener(listener)
                .delays(delays);
    }

    private static RetryPolicy retries(int max) {
        return RetryPolicy.builder().maxRetries(max).delay(Duration.ofSeconds(1)).multiplier(2)
                .maxDelay(Duration.ofSeconds(3)).build();
    }

    private static Thread inBackground(Runnable action, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> failure.set(catchThrowable(action::run)));
        thread.start();
        return thread;
    }

    @Test
    void aFailedSetupIsRetriedAfterItsDelaysWhileDependentsWaitAndOtherBranchesCarryOn() throws Exception {
        Flaky database = new Flaky(2);
        Probe api = new Probe();
        Probe independent = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("database", database)
                .add("api", api, "database").add("independent", independent))
                .retryPolicy(retries(3)).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = inBackground(engine::setup, failure);
        delays.awaitRequest(1);
        assertThat(api.setups).hasValue(0);
        org.awaitility.Awaitility.await().until(() -> engine.state("independent") == ComponentState.ACTIVE);
        assertThat(engine.state("database")).isEqualTo(ComponentState.SETTING_UP);
        delays.passNext();
        delays.awaitRequest(2);
        assertThat(api.setups).hasValue(0);
        delays.passNext();
        setup.join();
        assertThat(failure.get()).isNull();
        assertThat(database.attempts).hasValue(3);
        assertThat(api.setups).hasValue(1);
        assertThat(delays.requested).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(listener.events()).filteredOn(e -> e.component().equals("database"))
                .extracting(LifecycleEvent::kind, LifecycleEvent::attempt, LifecycleEvent::retryDelay)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_STARTED, 1, null),
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_RETRYING, 1, Duration.ofSeconds(1)),
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_STARTED, 2, null),
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_RETRYING, 2, Duration.ofSeconds(2)),
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_STARTED, 3, null),
                        org.assertj.core.groups.Tuple.tuple(LifecycleEvent.Kind.SETUP_FINISHED, 3, null));
        List<StartupReport.Attempt> attempts = engine.report().component("database").attempts();
        assertThat(attempts).extracting(StartupReport.Attempt::number).containsExactly(1, 2, 3);
        assertThat(attempts.get(0).failure()).hasMessage("database not reachable (attempt 1)");
        assertThat(attempts.get(0).delayBeforeNext()).isEqualTo(Duration.ofSeconds(1));
        assertThat(attempts.get(2).failure()).isNull();
        assertThat(engine.report().toText()).contains("database ").contains("(3 attempts)");
        engine.shutdown();
        assertThat(database.shutdowns).hasValue(1);
    }

    @Test
    void exhaustedRetriesFailTheSetupSayingHowManyAttemptsOverHowLongWithEveryCause() throws Exception {
        Flaky database = new Flaky(10);
        Probe other = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("other", other).add("database", database))
                .retryPolicy("database", retries(2)).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = inBackground(engine::setup, failure);
        // 'other' is set up before the retries run out, so that the rollback has it to shut down (on a loaded
        // machine its worker could otherwise start only after the setup had already failed)
        org.awaitility.Awaitility.await().until(() -> engine.state("other") == ComponentState.ACTIVE);
        delays.passNext();
        delays.passNext();
        setup.join();
        assertThat(failure.get()).isInstanceOf(ComponentSetupException.class)
                .hasMessageStartingWith("Setup of component 'database' failed after 3 attempts over ")
                .hasMessageContaining(": database not reachable (attempt 3).")
                .satisfies(ex -> {
                    ComponentSetupException setupFailure = (ComponentSetupException) ex;
                    assertThat(setupFailure.getAttempts()).isEqualTo(3);
                    assertThat(setupFailure.getElapsed()).isPositive();
                    assertThat(setupFailure.getCause()).hasMessage("database not reachable (attempt 3)");
                    assertThat(setupFailure.getEarlierFailures()).extracting(Throwable::getMessage).containsExactly(
                            "database not reachable (attempt 1)", "database not reachable (attempt 2)");
                    assertThat(setupFailure.getSuppressed()).extracting(Throwable::getMessage).containsExactly(
                            "Attempt 1 at the setup of 'database' failed: database not reachable (attempt 1)",
                            "Attempt 2 at the setup of 'database' failed: database not reachable (attempt 2)");
                });
        assertThat(other.shutdowns).hasValue(1);
        assertThat(database.shutdowns).hasValue(0);
    }

    static final class ConfigurationError extends RuntimeException implements RetryPolicy.NotRetryable {
        ConfigurationError() {
            super("no URL configured");
        }
    }

    @Test
    void failuresThePolicyDoesNotRetryFailAtOnce() {
        Probe misconfigured = Probe.onSetup(() -> {
            throw new ConfigurationError();
        });
        Probe excluded = Probe.onSetup(() -> {
            throw new IllegalArgumentException("bad port");
        });
        LifecycleEngine engine = engine(ComponentGraph.builder().add("misconfigured", misconfigured))
                .retryPolicy(retries(3)).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .satisfies(ex -> assertThat(ex.getAttempts()).isEqualTo(1));
        LifecycleEngine other = engine(ComponentGraph.builder().add("excluded", excluded))
                .retryPolicy(RetryPolicy.builder().maxRetries(3).excludes(IllegalArgumentException.class).build())
                .build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(other::setup)
                .satisfies(ex -> assertThat(ex.getAttempts()).isEqualTo(1));
        assertThat(misconfigured.setups).hasValue(1);
        assertThat(excluded.setups).hasValue(1);
        assertThat(delays.requested).isEmpty();
    }

    @Test
    void shutdownDuringTheDelayBetweenAttemptsEndsTheRetryingAtOnce() throws Exception {
        Flaky database = new Flaky(10);
        Probe other = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("other", other).add("database", database))
                .retryPolicy(RetryPolicy.builder().maxRetries(5).delay(HOUR).build()).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = inBackground(engine::setup, failure);
        delays.awaitRequest(1);
        engine.shutdown();
        setup.join();
        assertThat(failure.get()).isInstanceOf(SetupCancelledException.class);
        assertThat(database.attempts).hasValue(1);
        assertThat(other.shutdowns).hasValue(1);
        delays.drain().forEach(Runnable::run); // the delay passing late starts nothing
        assertThat(database.attempts).hasValue(1);
    }

    @Test
    void aTimedOutAttemptCountsAsFailedAndIsRetriedOnceItReturns() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Probe slowFirst = Probe.onSetup(() -> {
            if (attempts.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // until its timeout interrupts it
            }
        });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("slowFirst", slowFirst).withSetupTimeout(SHORT)).build())
                .retryPolicy(retries(1)).delays(delays).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = inBackground(engine::setup, failure);
        delays.passNext();
        setup.join();
        assertThat(failure.get()).isNull();
        assertThat(attempts).hasValue(2);
        assertThat(engine.report().component("slowFirst").attempts().get(0).failure())
                .isInstanceOf(StepTimeoutException.class);
        engine.shutdown();
    }

    @Test
    void aTimedOutAttemptIsInterruptedOnceWhenTheTimeoutWatchLooksAgainForAnotherComponent() throws Exception {
        // 'stubborn' ignores its interrupt and keeps running its timed-out first attempt while the watch fires
        // again for 'later' (on another worker): that second look must not interrupt 'stubborn' again.
        AtomicInteger interrupts = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stubbornAttempts = new AtomicInteger();
        Probe stubborn = Probe.onSetup(() -> {
            if (stubbornAttempts.incrementAndGet() > 1) {
                return;
            }
            while (true) {
                try {
                    release.await();
                    break;
                }
                catch (InterruptedException ex) {
                    interrupts.incrementAndGet();
                }
            }
            if (Thread.interrupted()) { // an interrupt that came after the release
                interrupts.incrementAndGet();
            }
        });
        CountDownLatch laterTimedOut = new CountDownLatch(1);
        AtomicInteger laterAttempts = new AtomicInteger();
        Probe later = Probe.onSetup(() -> {
            if (laterAttempts.incrementAndGet() == 1) {
                try {
                    new CountDownLatch(1).await();
                }
                finally {
                    laterTimedOut.countDown();
                }
            }
        });
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add(ComponentDefinition.of("stubborn", stubborn).withSetupTimeout(SHORT))
                .add(ComponentDefinition.of("later", later).withSetupTimeout(SHORT.multipliedBy(3))))
                .retryPolicy(retries(1)).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = inBackground(engine::setup, failure);
        laterTimedOut.await();
        release.countDown();
        delays.passNext();
        delays.passNext();
        setup.join();
        assertThat(failure.get()).isNull();
        assertThat(interrupts).hasValue(1);
        assertThat(stubbornAttempts).hasValue(2);
        assertThat(laterAttempts).hasValue(2);
        engine.shutdown();
    }

    @Test
    void theSetupDeadlineFailsTheSetupNamingWhatWasInProgressAndWhatWasWaiting() {
        Probe quick = new Probe();
        Probe blocking = Probe.onSetup(() -> new CountDownLatch(1).await());
        Probe dependent = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("quick", quick).add("blocking", blocking)
                .add("dependent", dependent, "blocking", "quick")).setupDeadline(SHORT).build();
        assertThatExceptionOfType(SetupDeadlineException.class).isThrownBy(engine::setup)
                .withMessage("Setup did not finish within its deadline of 100 ms: still in progress: blocking; still"
                        + " waiting for their dependencies: dependent. The components already active were shut down"
                        + " again. Make those setups faster, or raise the setup deadline.")
                .satisfies(ex -> {
                    assertThat(ex.getInProgress()).containsExactly("blocking");
                    assertThat(ex.getWaiting()).containsExactly("dependent");
                    assertThat(ex.getFailures()).containsOnlyKeys("blocking");
                });
        assertThat(quick.shutdowns).hasValue(1);
        assertThat(dependent.setups).hasValue(0);
    }

    @Test
    void theShutdownDeadlineAbandonsAHangingShutdownAndStillShutsDownTheRest() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Probe database = new Probe();
        Probe hanging = Probe.onShutdown(() -> {
            while (true) {
                try {
                    never.await();
                    return;
                }
                catch (InterruptedException ignored) {
                    // ignores its deadline
                }
            }
        });
        Probe independent = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("database", database)
                .add("hanging", hanging, "database").add("independent", independent)).shutdownDeadline(SHORT).build();
        engine.setup();
        try {
            // database's shutdown starts at the deadline, once hanging is given up, and is no longer waited for
            assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown)
                    .satisfies(ex -> {
                        assertThat(ex.getFailures()).containsKey("hanging").doesNotContainKey("independent");
                        assertThat(ex.getFailures().get("hanging")).hasMessage("'hanging' did not finish its"
                                + " shutdown before the shutdown deadline (100 ms)");
                        if (ex.getFailures().containsKey("database")) {
                            assertThat(ex.getFailures().get("database")).hasMessage("'database' did not finish its"
                                    + " shutdown before the shutdown deadline (100 ms): its shutdown was started at the"
                                    + " deadline, before its dependents had finished theirs, and is no longer waited"
                                    + " for");
                        }
                    });
            org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(database.shutdowns).hasValue(1));
            assertThat(independent.shutdowns).hasValue(1);
        }
        finally {
            never.countDown();
        }
    }

    @Test
    void jitterMovesADelayEitherWayButNeverAboveTheMaximum() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(100)).multiplier(2)
                .maxDelay(Duration.ofMillis(300)).jitter(Duration.ofMillis(80)).build();
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayAfter(1)).isBetween(Duration.ofMillis(20), Duration.ofMillis(180));
            assertThat(policy.delayAfter(2)).isBetween(Duration.ofMillis(120), Duration.ofMillis(280));
            assertThat(policy.delayAfter(5)).isBetween(Duration.ofMillis(220), Duration.ofMillis(300));
        }
        RetryPolicy fixed = RetryPolicy.builder().delay(Duration.ofSeconds(1)).multiplier(3)
                .maxDelay(Duration.ofSeconds(5)).build();
        assertThat(fixed.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(fixed.delayAfter(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(fixed.delayAfter(3)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aComponentReadsItsRemainingBudgetAndItsAttempt() throws Exception {
        AtomicReference<StepContext> seen = new AtomicReference<>();
        AtomicReference<Duration> remaining = new AtomicReference<>();
        Probe reader = Probe.onSetup(() -> {
            StepContext context = StepContext.current().orElseThrow();
            seen.set(context);
            remaining.set(context.remaining());
        });
        LifecycleEngine engine = engine(ComponentGraph.builder().add("reader", reader))
                .setupDeadline(Duration.ofMinutes(5)).build();
        engine.setup();
        assertThat(seen.get().component()).isEqualTo("reader");
        assertThat(seen.get().isSetup()).isTrue();
        assertThat(seen.get().attempt()).isEqualTo(1);
        assertThat(remaining.get()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(StepContext.current()).isEmpty();
        engine.shutdown();
    }
}
