package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls into the engine from inside its own components, cancellations, and setups that return after their
 * timeout. Timeouts are an hour wherever a prompt return is the point, so only the behaviour under test, not a
 * timeout, lets these tests finish.
 */
@Timeout(30)
class ReentrantAndLateCallsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static final Duration SHORT = Duration.ofMillis(100);

    private final List<String> journal = new CopyOnWriteArrayList<>();

    private final AtomicReference<LifecycleEngine> engine = new AtomicReference<>();

    private Probe journaled(String name, Probe.Action onSetup, Probe.Action onShutdown) {
        return new Probe(() -> {
            journal.add("setup " + name);
            onSetup.run();
        }, () -> {
            journal.add("shutdown " + name);
            onShutdown.run();
        });
    }

    private LifecycleEngine build(ComponentGraph.Builder graph) {
        LifecycleEngine built = LifecycleEngine.builder(graph.build()).setupTimeout(HOUR).shutdownTimeout(HOUR)
                .build();
        engine.set(built);
        return built;
    }

    @Test
    void shutdownFromInsideItsOwnSetupCancelsTheSetupAtOnceAndRollsBack() {
        Probe base = journaled("base", () -> { }, () -> { });
        Probe quitter = journaled("quitter", () -> engine.get().shutdown(), () -> { });
        Probe dependent = journaled("dependent", () -> { }, () -> { });
        LifecycleEngine engine = build(ComponentGraph.builder().add("base", base).add("quitter", quitter, "base")
                .add("dependent", dependent, "quitter"));
        assertThatExceptionOfType(SetupCancelledException.class).isThrownBy(engine::setup)
                .withMessage("Setup was cancelled before it completed: shutdown() was called. The components already"
                        + " active were shut down again: base, quitter.");
        assertThat(journal).containsExactly("setup base", "setup quitter", "shutdown quitter", "shutdown base");
        assertThat(engine.isActive()).isFalse();
    }

    @Test
    void setupFromInsideASetupIsRefusedAtOnceAndTheReportIsKept() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Probe nested = journaled("nested", () -> refused.set(catchThrowable(() -> engine.get().setup())), () -> { });
        LifecycleEngine engine = build(ComponentGraph.builder().add("base", new Probe()).add("nested", nested,
                "base"));
        engine.setup();
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessage("setup() was called from inside the setup of a component of the same graph: a component"
                        + " cannot set up the graph it belongs to. Remove the call; the graph's setup is already"
                        + " running.");
        assertThat(engine.report().components()).extracting(StartupReport.ComponentReport::state)
                .containsOnly(ComponentState.ACTIVE);
        engine.shutdown();
    }

    @Test
    void shutdownOrCloseFromInsideAShutdownReturnsAtOnce() {
        Conductor conductor = Conductor.builder().shutdownTimeout(HOUR).build();
        ClosesTheConductor.conductor = conductor;
        conductor.add(ClosesTheConductor.class);
        conductor.setup();
        conductor.shutdown(); // no ComponentShutdownException, no wait
        assertThat(ClosesTheConductor.closed).isTrue();
        assertThat(conductor.report().component("ClosesTheConductor").state()).isEqualTo(ComponentState.STOPPED);
    }

    static class ClosesTheConductor implements Component {

        static volatile Conductor conductor;

        static volatile boolean closed;

        @Override
        public void shutdown() {
            conductor.shutdown();
            conductor.close();
            closed = true;
        }
    }

    @Test
    void anInterruptOfTheCallerInterruptsTheSetupsInFlightAndSaysSo() throws Exception {
        CountDownLatch blocking = new CountDownLatch(1);
        Probe base = journaled("base", () -> { }, () -> { });
        Probe slow = journaled("slow", () -> {
            blocking.countDown();
            new CountDownLatch(1).await();
        }, () -> { });
        LifecycleEngine engine = build(ComponentGraph.builder().add("base", base).add("slow", slow, "base"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            failure.set(catchThrowable(engine::setup));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        blocking.await();
        caller.interrupt();
        caller.join();
        assertThat(failure.get()).isInstanceOf(SetupCancelledException.class)
                .hasMessage("Setup was cancelled before it completed: the calling thread was interrupted. The"
                        + " components already active were shut down again: base.")
                .satisfies(ex -> assertThat(((SetupCancelledException) ex).isInterrupted()).isTrue());
        assertThat(failure.get().getSuppressed()).singleElement().satisfies(suppressed -> assertThat(suppressed)
                .hasMessage("Setup of component 'slow' ended with: java.lang.InterruptedException"));
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(journal).containsExactly("setup base", "setup slow", "shutdown base");
    }

    @Test
    void aLateSetupIsShutDownBeforeItsDependenciesAndNeverOverlapsTheNextAttempt() throws Exception {
        CountDownLatch returnLate = new CountDownLatch(1);
        CountDownLatch timedOut = new CountDownLatch(1);
        Probe base = journaled("base", () -> { }, () -> { });
        Probe late = journaled("late", () -> {
            if (journal.stream().filter("setup late"::equals).count() == 1) {
                awaitIgnoringInterrupts(returnLate); // the first attempt ignores its timeout's interrupt
            }
        }, () -> { });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("base", base)
                .add(ComponentDefinition.of("late", late).dependsOn("base").withSetupTimeout(SHORT)).build())
                .shutdownTimeout(HOUR)
                .listener(event -> {
                    if (event.component().equals("late") && event.kind() == LifecycleEvent.Kind.SETUP_FAILED) {
                        timedOut.countDown();
                    }
                })
                .build();
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread firstAttempt = new Thread(() -> first.set(catchThrowable(engine::setup)));
        firstAttempt.start();
        timedOut.await();
        // the rollback keeps base up while late's setup may still be running
        assertThat(journal).containsExactly("setup base", "setup late");
        returnLate.countDown();
        firstAttempt.join();
        assertThat(first.get()).isInstanceOf(ComponentSetupException.class)
                .satisfies(ex -> assertThat(((ComponentSetupException) ex).isTimeout()).isTrue());
        assertThat(journal).containsExactly("setup base", "setup late", "shutdown late", "shutdown base");
        engine.setup();
        assertThat(engine.state("late")).isEqualTo(ComponentState.ACTIVE);
        engine.shutdown();
        assertThat(late.setups).hasValue(2);
        assertThat(late.shutdowns).hasValue(2);
    }

    /**
     * The timer that fires timeouts may run late on a loaded machine (found in a CI run: a 150 ms setup with a 60 ms
     * timeout succeeded). Here it cannot fire at all until the setup has returned: the timeouts' one thread is held.
     */
    @Test
    void aSetupThatReturnsAfterItsTimeoutFailsEvenWhenTheTimerHasNotFiredYet() throws Exception {
        CountDownLatch timerHeld = new CountDownLatch(1);
        CountDownLatch releaseTimer = new CountDownLatch(1);
        TimeoutScheduler.schedule(0, () -> {
            timerHeld.countDown();
            awaitIgnoringInterrupts(releaseTimer);
        });
        timerHeld.await();
        Probe base = journaled("base", () -> { }, () -> { });
        Probe slow = journaled("slow", () -> Thread.sleep(3 * SHORT.toMillis()), () -> { }); // 3 times its timeout
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("base", base)
                .add(ComponentDefinition.of("slow", slow).dependsOn("base").withSetupTimeout(SHORT)).build())
                .shutdownTimeout(HOUR).build();
        Throwable failure;
        try {
            failure = catchThrowable(engine::setup);
        }
        finally {
            releaseTimer.countDown();
        }
        assertThat(failure).isInstanceOf(ComponentSetupException.class)
                .satisfies(ex -> assertThat(((ComponentSetupException) ex).isTimeout()).isTrue());
        // it did set up, late: it is shut down again before its dependency, and not left running
        assertThat(journal).containsExactly("setup base", "setup slow", "shutdown slow", "shutdown base");
        assertThat(engine.state("slow")).isEqualTo(ComponentState.FAILED);
    }

    @Test
    void aSetupIsNeverCalledWhileTheSameInstancesEarlierSetupHasNotReturned() throws Exception {
        CountDownLatch returnLate = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Probe hanging = Probe.onSetup(() -> {
            if (calls.incrementAndGet() == 1) {
                awaitIgnoringInterrupts(returnLate);
                throw new IllegalStateException("gave up late");
            }
        });
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add(ComponentDefinition.of("hanging", hanging).withSetupTimeout(SHORT).withShutdownTimeout(SHORT))
                .build()).build();
        try {
            assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                    .satisfies(ex -> assertThat(ex.isTimeout()).isTrue());
            assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                    .withMessageContaining("'hanging' cannot start its setup: its setup from an earlier attempt,"
                            + " given up at its timeout or a deadline, has not returned yet");
            assertThat(hanging.setups).hasValue(1);
        }
        finally {
            returnLate.countDown();
        }
        await().untilAsserted(() -> assertThat(catchThrowable(engine::setup)).isNull());
        assertThat(hanging.setups).hasValue(2);
        engine.shutdown();
    }

    @Test
    void serveThrowsWhenAComponentItselfThrowsInterruptedException() {
        Conductor conductor = new Conductor();
        conductor.add(ThrowsInterrupted.class);
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(conductor::serve)
                .withMessageStartingWith("Setup of component 'ThrowsInterrupted' failed: java.lang.InterruptedException");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    static class ThrowsInterrupted implements Component {
        @Override
        public void setup() throws InterruptedException {
            throw new InterruptedException();
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            }
            catch (InterruptedException ignored) {
                // a component that does not respond to its timeout
            }
        }
    }
}
