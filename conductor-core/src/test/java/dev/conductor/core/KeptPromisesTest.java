package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where retries, deadlines and supervision meet each other, at the edges of their timing and across repeated runs
 * (issue 21): each test pins one promise of the README that the engine once broke.
 */
@Timeout(60)
class KeptPromisesTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    private static final Duration HOUR = Duration.ofHours(1);

    private final ManualDelays delays = new ManualDelays();

    private final List<String> journal = new CopyOnWriteArrayList<>();

    /** Blocks in its shutdown until {@code release}, ignoring interrupts (its timeout, the deadline). */
    private static Probe hangingShutdown(CountDownLatch release, CountDownLatch started) {
        return Probe.onShutdown(() -> {
            started.countDown();
            while (true) {
                try {
                    release.await();
                    return;
                }
                catch (InterruptedException ignored) {
                    // hangs through the deadline's interrupt
                }
            }
        });
    }

    @Test
    void onceTheShutdownDeadlinePassesEveryActiveComponentHasItsShutdownStartedAndEachUnfinishedOneIsNamed()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bStarted = new CountDownLatch(1);
        Probe a = new Probe();
        Probe b = hangingShutdown(release, bStarted);
        Probe c = hangingShutdown(release, new CountDownLatch(1));
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("a", a).add("b", b, "a")
                .add("c", c, "b").build()).shutdownTimeout(HOUR).shutdownDeadline(SHORT).build();
        engine.setup();
        try {
            assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown)
                    .satisfies(ex -> {
                        assertThat(ex.getFailures()).containsKeys("c", "b");
                        assertThat(ex.getFailures().get("c")).hasMessage("'c' did not finish its shutdown before"
                                + " the shutdown deadline (100 ms)");
                        assertThat(ex.getFailures().get("b")).hasMessage("'b' did not finish its shutdown before the"
                                + " shutdown deadline (100 ms): its shutdown was started at the deadline, before its"
                                + " dependents had finished theirs, and is no longer waited for");
                    });
            // nothing is left active: b's and a's shutdowns were started at the deadline, out of order
            assertThat(engine.state("a")).isNotEqualTo(ComponentState.ACTIVE);
            assertThat(engine.state("b")).isNotEqualTo(ComponentState.ACTIVE);
            assertThat(bStarted.await(10, TimeUnit.SECONDS)).as("b's shutdown started").isTrue();
            await().untilAsserted(() -> assertThat(a.shutdowns).hasValue(1));
        }
        finally {
            release.countDown();
        }
        await().untilAsserted(() -> assertThat(engine.state("b")).isEqualTo(ComponentState.STOPPED));
        assertThat(a.shutdowns).hasValue(1);
        assertThat(b.shutdowns).hasValue(1);
        assertThat(c.shutdowns).hasValue(1);
    }

    @Test
    void aShutdownStartedAtTheDeadlineIsStillInterruptedAtItsOwnShutdownTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bInterrupted = new CountDownLatch(1);
        Probe a = new Probe();
        Probe b = Probe.onShutdown(() -> {
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                bInterrupted.countDown();
            }
        });
        Probe c = hangingShutdown(release, new CountDownLatch(1));
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("a", a)
                .add(ComponentDefinition.of("b", b).dependsOn(List.of("a")).withShutdownTimeout(SHORT.multipliedBy(2)))
                .add("c", c, "b").build()).shutdownTimeout(HOUR).shutdownDeadline(SHORT).build();
        engine.setup();
        try {
            assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown);
            assertThat(bInterrupted.await(10, TimeUnit.SECONDS)).as("b interrupted at its timeout").isTrue();
            await().untilAsserted(() -> assertThat(engine.state("b")).isEqualTo(ComponentState.FAILED));
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aFailureReportedDuringItsOwnRestartIsActedOnOnceTheRestartFinishes() throws Exception {
        CountDownLatch appSettingUpAgain = new CountDownLatch(1);
        CountDownLatch letAppFinish = new CountDownLatch(1);
        AtomicInteger appSetups = new AtomicInteger();
        Probe database = new Probe();
        Probe app = Probe.onSetup(() -> {
            if (appSetups.incrementAndGet() == 2) {
                appSettingUpAgain.countDown();
                letAppFinish.await();
            }
        });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", database)
                .add("app", app, "database").build())
                .supervision("database", SupervisionPolicy.restart(5, HOUR, RetryPolicy.builder().delay(SHORT).build()))
                .delays(delays).build();
        engine.setup();
        engine.reportFailure("database", new IOException("connection lost"));
        delays.passNext();
        assertThat(appSettingUpAgain.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.state("database")).isEqualTo(ComponentState.ACTIVE); // set up again, restart under way
        engine.reportFailure("database", new IOException("connection lost again"));
        letAppFinish.countDown();
        delays.passNext(); // the second restart's delay: requested only once the first restart finished
        await().untilAsserted(() -> assertThat(database.setups).hasValue(3));
        await().until(engine::supervisionIdle);
        assertThat(engine.report().component("database").restarts()).isEqualTo(2);
        assertThat(engine.report().component("database").runtimeFailure()).hasMessage("connection lost again");
        engine.shutdown();
    }

    @Test
    void aFailureReportedBeforeTheRestartShutsTheComponentDownIsTheSameFailure() throws Exception {
        Probe database = new Probe();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", database).build())
                .supervision(SupervisionPolicy.restart(5, HOUR, RetryPolicy.builder().delay(SHORT).build()))
                .delays(delays).build();
        engine.setup();
        engine.reportFailure("database", new IOException("connection lost"));
        delays.awaitRequest(1);
        engine.reportFailure("database", new IOException("still lost"));
        delays.passNext();
        await().until(engine::supervisionIdle);
        assertThat(delays.requested).hasSize(1);
        assertThat(database.setups).hasValue(2);
        engine.shutdown();
    }

    /** A conductor whose 'Broker' escalates when it reports a failure. */
    static final class Broker implements Component {

        final AtomicInteger shutdowns = new AtomicInteger();

        @Override
        public void setup() {
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    @Test
    void anEscalationEndsOnlyTheRunItHappenedIn() {
        Conductor conductor = Conductor.builder().supervision(SupervisionPolicy.escalate()).build();
        conductor.add(Broker.class);
        assertThatExceptionOfType(ComponentFailedException.class).isThrownBy(() -> conductor.run(() -> {
            conductor.reportFailure(Broker.class, new IOException("connection lost for good"));
            try {
                new CountDownLatch(1).await(); // until the escalation interrupts the task
            }
            catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        })).withMessageContaining("connection lost for good");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        AtomicInteger ran = new AtomicInteger();
        conductor.run(ran::incrementAndGet); // nothing failed: ends normally
        assertThat(ran).hasValue(1);
    }

    @Test
    void anEscalationAfterRunReturnedDoesNotInterruptTheThreadThatCalledRun() {
        Conductor conductor = Conductor.builder().supervision(SupervisionPolicy.escalate()).build();
        Broker broker = conductor.add(Broker.class);
        conductor.run(() -> { });
        conductor.setup();
        conductor.reportFailure(Broker.class, new IOException("connection lost for good"));
        await().pollInSameThread().untilAsserted(() -> assertThat(broker.shutdowns).hasValue(2));
        await().pollInSameThread().until(conductor::supervisionIdle);
        assertThat(Thread.interrupted()).as("interrupted by an escalation after run() returned").isFalse();
    }

    @Test
    void jitterMovesADelayEarlierAsOftenAsLaterAndSpreadsItOverTheWholeRange() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).delay(Duration.ofSeconds(1))
                .jitter(Duration.ofMillis(200)).build();
        int earlier = 0;
        int later = 0;
        int exact = 0;
        Duration least = Duration.ofDays(1);
        Duration most = Duration.ZERO;
        for (int i = 0; i < 2000; i++) {
            Duration delay = policy.delayAfter(1 + i % 5);
            assertThat(delay).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            int side = delay.compareTo(Duration.ofSeconds(1));
            if (side < 0) {
                earlier++;
            }
            else if (side > 0) {
                later++;
            }
            else {
                exact++;
            }
            least = delay.compareTo(least) < 0 ? delay : least;
            most = delay.compareTo(most) > 0 ? delay : most;
        }
        // 2000 uniform draws: each side gets about 1000; 800 or fewer on either side has a chance below 1e-18
        assertThat(earlier).isGreaterThan(800);
        assertThat(later).isGreaterThan(800);
        assertThat(exact).isLessThan(20);
        assertThat(least).isLessThan(Duration.ofMillis(820));
        assertThat(most).isGreaterThan(Duration.ofMillis(1180));
    }

    @Test
    void jitterStaysWithinZeroAndTheMaximumDelay() {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(50)).multiplier(2)
                .maxDelay(Duration.ofMillis(300)).jitter(Duration.ofMillis(80)).build();
        for (int i = 0; i < 500; i++) {
            assertThat(policy.delayAfter(1)).isBetween(Duration.ZERO, Duration.ofMillis(130));
            assertThat(policy.delayAfter(5)).isBetween(Duration.ofMillis(220), Duration.ofMillis(300));
        }
    }

    @Test
    void aSetupThatSucceedsAfterItsTimeoutIsShutDownBeforeItIsRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch timedOut = new CountDownLatch(1);
        Probe late = new Probe(() -> {
            int attempt = attempts.incrementAndGet();
            journal.add("setup " + attempt + " started");
            if (attempt == 1) {
                try {
                    new CountDownLatch(1).await(); // until its timeout interrupts it
                }
                catch (InterruptedException ex) {
                    timedOut.countDown(); // and then it succeeds anyway, late
                }
            }
            journal.add("setup " + attempt + " returned");
        }, () -> journal.add("shutdown"));
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("late", late).withSetupTimeout(SHORT)).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(SHORT).build()).delays(delays).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = new Thread(() -> {
            try {
                engine.setup();
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        });
        setup.start();
        assertThat(timedOut.await(10, TimeUnit.SECONDS)).isTrue();
        delays.passNext();
        setup.join();
        assertThat(failure.get()).isNull();
        assertThat(journal).containsExactly("setup 1 started", "setup 1 returned", "shutdown", "setup 2 started",
                "setup 2 returned");
        engine.shutdown();
        assertThat(journal).endsWith("setup 2 returned", "shutdown");
    }

    @Test
    void aLateSuccessWhoseShutdownFailsIsNotRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Probe late = new Probe(() -> {
            if (attempts.incrementAndGet() == 1) {
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    // succeeds late
                }
            }
        }, () -> {
            throw new IllegalStateException("cannot close");
        });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("late", late).withSetupTimeout(SHORT)).build())
                .retryPolicy(RetryPolicy.builder().maxRetries(1).delay(SHORT).build()).delays(delays).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .satisfies(ex -> assertThat(ex.getCause()).isInstanceOf(StepTimeoutException.class)
                        .satisfies(timeout -> assertThat(timeout.getSuppressed()).singleElement()
                                .satisfies(shutdown -> assertThat(shutdown).hasMessage("cannot close"))));
        assertThat(attempts).hasValue(1);
        assertThat(delays.requested).isEmpty();
    }

    @Test
    void includesAndExcludesMatchTheFailureAndEachOfItsCausesAsTheStarterDoes() {
        RetryPolicy onlyIo = RetryPolicy.builder().includes(IOException.class).build();
        assertThat(onlyIo.shouldRetry(1, new IllegalStateException("wrapped", new IOException("refused")))).isTrue();
        assertThat(onlyIo.shouldRetry(1, new IllegalStateException("no cause"))).isFalse();
        RetryPolicy notIo = RetryPolicy.builder().excludes(IOException.class).build();
        assertThat(notIo.shouldRetry(1, new IllegalStateException("wrapped", new IOException("refused")))).isFalse();
        assertThat(notIo.shouldRetry(1, new IllegalStateException("no cause"))).isTrue();
        RetryPolicy both = RetryPolicy.builder().includes(IllegalStateException.class).excludes(IOException.class)
                .build();
        assertThat(both.shouldRetry(1, new IllegalStateException("wrapped", new IOException("refused")))).isFalse();
    }

    /** The example of {@link DelayScheduler}'s Javadoc: delays pass, and time moves, when the test says so. */
    static final class ManualClock implements DelayScheduler {

        final java.util.concurrent.BlockingQueue<Runnable> waiting = new java.util.concurrent.LinkedBlockingQueue<>();

        volatile long now;

        @Override
        public void schedule(Duration delay, Runnable action) {
            waiting.add(action);
        }

        @Override
        public long nanoTime() {
            return now;
        }

        void passNext() throws InterruptedException {
            Runnable next = waiting.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("a delay was requested").isNotNull();
            new Thread(next).start();
        }
    }

    @Test
    void aTestDrivesRestartDelaysAndTheRestartWindowThroughThePublicDelayScheduler() throws Exception {
        ManualClock clock = new ManualClock();
        Conductor conductor = Conductor.builder().delays(clock)
                .supervision(SupervisionPolicy.restart(1, Duration.ofMinutes(1), RetryPolicy.builder()
                        .delay(HOUR).build())).build();
        Broker broker = conductor.add(Broker.class);
        conductor.setup();
        conductor.reportFailure(Broker.class, new IOException("lost"));
        clock.passNext(); // an hour's delay, passed at once
        await().until(conductor::supervisionIdle);
        assertThat(broker.shutdowns).hasValue(1);
        clock.now += Duration.ofMinutes(2).toNanos(); // the first restart is out of the window
        conductor.reportFailure(Broker.class, new IOException("lost again"));
        clock.passNext(); // a restart again, not an escalation: the budget is 1 a minute
        await().until(conductor::supervisionIdle);
        assertThat(broker.shutdowns).hasValue(2);
        assertThat(conductor.report().component("Broker").restarts()).isEqualTo(2);
        assertThat(conductor.report().component("Broker").state()).isEqualTo(ComponentState.ACTIVE);
        conductor.shutdown();
    }

    @Test
    void aRetryQueuedWhenTheSetupDeadlinePassesIsNotRun() throws Exception {
        java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Executor executor = task -> {
            if (hold.get()) {
                held.add(task);
            }
            else {
                new Thread(task).start();
            }
        };
        Probe flaky = Probe.onSetup(() -> {
            throw new IOException("not reachable");
        });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("flaky", flaky).build())
                .executor(executor).retryPolicy(RetryPolicy.builder().maxRetries(1).delay(SHORT).build())
                .setupDeadline(Duration.ofMillis(300)).delays(delays)
                .shutdownTimeout(SHORT) // the rollback waits this long for the retry it gave up, which is held
                .build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread setup = new Thread(() -> failure.set(org.assertj.core.api.Assertions.catchThrowable(engine::setup)));
        setup.start();
        delays.awaitRequest(1);
        hold.set(true); // the retry's worker waits in the executor until the deadline has passed
        delays.passNext();
        await().until(() -> !held.isEmpty());
        setup.join();
        assertThat(failure.get()).isInstanceOf(SetupDeadlineException.class);
        held.forEach(Runnable::run);
        assertThat(flaky.setups).as("setup attempts").hasValue(1);
        assertThat(engine.state("flaky")).isEqualTo(ComponentState.FAILED);
    }
}
