package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Restarting a component with its dependents, and what supervision does with failures reported while running.
 * Delays before restarts pass only when the test lets them ({@link ManualDelays}).
 */
@Timeout(30)
class SupervisionTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();

    private final RecordingListener listener = new RecordingListener();

    private final ManualDelays delays = new ManualDelays();

    private Probe journaled(String name) {
        return new Probe(() -> journal.add("setup " + name), () -> journal.add("shutdown " + name));
    }

    /** database <- queue <- {workers, api}; database <- reports; independent. */
    private ComponentGraph.Builder shop() {
        return ComponentGraph.builder().add("database", journaled("database"))
                .add("queue", journaled("queue"), "database")
                .add("workers", journaled("workers"), "queue")
                .add("api", journaled("api"), "queue", "database")
                .add("reports", journaled("reports"), "database")
                .add("independent", journaled("independent"));
    }

    private LifecycleEngine.Builder engine(ComponentGraph.Builder graph) {
        return LifecycleEngine.builder(graph.build()).listener(listener).delays(delays);
    }

    private int at(String entry) {
        assertThat(journal).contains(entry);
        return journal.lastIndexOf(entry);
    }

    @Test
    void aRestartShutsDownTheDependentsFirstAndSetsThemUpAfterAndTouchesNothingElse() {
        LifecycleEngine engine = engine(shop()).build();
        engine.setup();
        journal.clear();
        engine.restart("queue");
        assertThat(journal).containsExactlyInAnyOrder("shutdown workers", "shutdown api", "shutdown queue",
                "setup queue", "setup workers", "setup api");
        assertThat(at("shutdown workers")).isLessThan(at("shutdown queue"));
        assertThat(at("shutdown api")).isLessThan(at("shutdown queue"));
        assertThat(at("shutdown queue")).isLessThan(at("setup queue"));
        assertThat(at("setup queue")).isLessThan(at("setup workers")).isLessThan(journal.size());
        assertThat(at("setup queue")).isLessThan(at("setup api"));
        assertThat(engine.report().components()).extracting(StartupReport.ComponentReport::state)
                .containsOnly(ComponentState.ACTIVE);
        assertThat(engine.report().component("queue").restarts()).isEqualTo(1);
        assertThat(engine.report().component("workers").restarts()).isZero();
        assertThat(listener.events()).extracting(LifecycleEvent::kind).containsSubsequence(
                LifecycleEvent.Kind.RESTART_REQUESTED, LifecycleEvent.Kind.RESTART_SHUT_DOWN,
                LifecycleEvent.Kind.RESTART_FINISHED);
        journal.clear();
        engine.shutdown();
        assertThat(journal).hasSize(6);
    }

    @Test
    void aRestartIsRefusedWhenNothingIsSetUpOrFromInsideAComponent() throws Exception {
        AtomicReference<Throwable> inside = new AtomicReference<>();
        AtomicReference<LifecycleEngine> self = new AtomicReference<>();
        Probe restartsItself = Probe.onSetup(() -> {
            try {
                self.get().restart("base");
            }
            catch (IllegalStateException refused) {
                inside.set(refused);
            }
        });
        LifecycleEngine engine = engine(ComponentGraph.builder().add("base", new Probe())
                .add("restartsItself", restartsItself, "base")).build();
        self.set(engine);
        assertThatIllegalStateException().isThrownBy(() -> engine.restart("base"))
                .withMessage("Cannot restart 'base': the components are not set up. Call setup() first.");
        engine.setup();
        assertThat(inside.get()).hasMessageStartingWith("Cannot restart 'base' from inside a setup or shutdown");
        engine.shutdown();
        assertThatIllegalStateException().isThrownBy(() -> engine.restart("base"));
    }

    @Test
    void aReportedFailureRestartsTheComponentWithItsDependentsAfterItsBackoff() throws Exception {
        LifecycleEngine engine = engine(shop()).supervision("queue", SupervisionPolicy.restart(3,
                Duration.ofMinutes(1), RetryPolicy.builder().delay(Duration.ofSeconds(2)).build())).build();
        engine.setup();
        journal.clear();
        IllegalStateException lost = new IllegalStateException("broker connection lost");
        engine.failureReporter("queue").failed(lost);
        delays.passNext();
        await().until(() -> engine.report().component("queue").restarts() == 1);
        assertThat(delays.requested).containsExactly(Duration.ofSeconds(2));
        assertThat(journal).containsExactlyInAnyOrder("shutdown workers", "shutdown api", "shutdown queue",
                "setup queue", "setup workers", "setup api");
        assertThat(engine.report().component("queue").runtimeFailure()).isSameAs(lost);
        assertThat(listener.events()).filteredOn(e -> e.component().equals("queue")).extracting(LifecycleEvent::kind)
                .containsSubsequence(LifecycleEvent.Kind.RUNTIME_FAILURE, LifecycleEvent.Kind.RESTART_REQUESTED,
                        LifecycleEvent.Kind.SHUTDOWN_FINISHED, LifecycleEvent.Kind.RESTART_SHUT_DOWN,
                        LifecycleEvent.Kind.SETUP_FINISHED, LifecycleEvent.Kind.RESTART_FINISHED);
        engine.shutdown();
    }

    @Test
    void withoutAPolicyAFailureIsOnlyRecorded() {
        LifecycleEngine engine = engine(shop()).build();
        engine.setup();
        journal.clear();
        engine.reportFailure("queue", new IllegalStateException("lost"));
        assertThat(engine.report().component("queue").runtimeFailure()).hasMessage("lost");
        assertThat(journal).isEmpty();
        assertThat(delays.requested).isEmpty();
        engine.shutdown();
    }

    @Test
    void aSpentRestartBudgetEscalatesAndShutsEverythingDown() throws Exception {
        CompletableFuture<ComponentFailedException> escalated = new CompletableFuture<>();
        LifecycleEngine engine = engine(shop())
                .supervision(SupervisionPolicy.restart(1, Duration.ofHours(1), RetryPolicy.builder()
                        .delay(Duration.ZERO).build()))
                .onEscalation(escalated::complete).build();
        engine.setup();
        engine.reportFailure("queue", new IllegalStateException("first"));
        delays.passNext();
        await().until(() -> engine.report().component("queue").restarts() == 1);
        engine.reportFailure("queue", new IllegalStateException("second"));
        ComponentFailedException failure = escalated.get(10, TimeUnit.SECONDS);
        assertThat(failure).hasMessage("Component 'queue' failed while running, after 1 restart within its restart"
                + " window, and its supervision escalated: every component was shut down. Cause: second");
        assertThat(failure.getComponent()).isEqualTo("queue");
        assertThat(failure.getRestarts()).isEqualTo(1);
        assertThat(engine.isActive()).isFalse();
        assertThat(engine.report().components()).extracting(StartupReport.ComponentReport::state)
                .containsOnly(ComponentState.STOPPED);
    }

    @Test
    void aFailedRestartLeavesThePartDownAndCountsAsAnotherFailure() throws Exception {
        AtomicInteger queueSetups = new AtomicInteger();
        Probe queue = Probe.onSetup(() -> {
            if (queueSetups.incrementAndGet() == 2) {
                throw new IllegalStateException("broker still down");
            }
        });
        CompletableFuture<ComponentFailedException> escalated = new CompletableFuture<>();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("database", journaled("database"))
                .add("queue", queue, "database").add("workers", journaled("workers"), "queue"))
                .supervision("queue", SupervisionPolicy.restart(2, Duration.ofHours(1),
                        RetryPolicy.builder().delay(Duration.ofSeconds(1)).build()))
                .onEscalation(escalated::complete).build();
        engine.setup();
        engine.reportFailure("queue", new IllegalStateException("lost"));
        delays.passNext(); // the first restart fails: queue and workers stay down, the database runs
        delays.passNext(); // the second succeeds
        await().until(() -> engine.report().component("queue").restarts() == 1);
        assertThat(queueSetups).hasValue(3);
        assertThat(listener.events()).extracting(LifecycleEvent::kind).containsSubsequence(
                LifecycleEvent.Kind.RESTART_FAILED, LifecycleEvent.Kind.RESTART_FINISHED);
        assertThat(engine.state("workers")).isEqualTo(ComponentState.ACTIVE);
        assertThat(escalated).isNotDone();
        assertThat(journal).filteredOn("shutdown database"::equals).isEmpty();
        engine.shutdown();
    }

    @Test
    void aRestartCancelledByTheShutdownIsNotAFailureToActOn() throws Exception {
        CountDownLatch restartSetupEntered = new CountDownLatch(1);
        AtomicInteger queueSetups = new AtomicInteger();
        Probe queue = Probe.onSetup(() -> {
            if (queueSetups.incrementAndGet() == 2) {
                restartSetupEntered.countDown();
                new CountDownLatch(1).await(); // until the shutdown interrupts it
            }
        });
        CompletableFuture<ComponentFailedException> escalated = new CompletableFuture<>();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("database", journaled("database"))
                .add("queue", queue, "database"))
                .supervision("queue", SupervisionPolicy.restart(1, Duration.ofHours(1),
                        RetryPolicy.builder().delay(Duration.ZERO).build()))
                .onEscalation(escalated::complete).build();
        engine.setup();
        engine.reportFailure("queue", new IllegalStateException("lost"));
        delays.passNext();
        assertThat(restartSetupEntered.await(10, TimeUnit.SECONDS)).isTrue();

        engine.shutdown(); // the restart was the one its budget allowed: a failed one would escalate

        await().until(engine::supervisionIdle);
        assertThat(listener.events()).filteredOn(e -> e.kind() == LifecycleEvent.Kind.RESTART_FAILED)
                .singleElement().extracting(LifecycleEvent::failure).isInstanceOf(SetupCancelledException.class);
        assertThat(listener.events()).extracting(LifecycleEvent::kind).doesNotContain(LifecycleEvent.Kind.ESCALATED);
        assertThat(escalated).isNotDone();
        assertThat(delays.requested).hasSize(1); // no second restart was scheduled either
        assertThat(engine.report().components()).extracting(StartupReport.ComponentReport::state)
                .doesNotContain(ComponentState.ACTIVE, ComponentState.SETTING_UP);
    }

    static class Broker implements Component {

        static final AtomicReference<FailureReporter> REPORTER = new AtomicReference<>();

        Broker(FailureReporter failures) {
            REPORTER.set(failures);
        }
    }

    static class Consumer implements Component {
        Broker broker;
    }

    @Test
    void serveEndsWithTheFailureWhenSupervisionEscalates() throws Exception {
        Conductor conductor = Conductor.builder().supervision(Broker.class, SupervisionPolicy.escalate()).build();
        conductor.add(Consumer.class);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread serving = new Thread(() -> {
            try {
                conductor.serve();
            }
            catch (Throwable ex) {
                ended.set(ex);
            }
            finally {
                done.countDown();
            }
        });
        serving.start();
        await().until(() -> conductor.report().components().stream()
                .allMatch(c -> c.state() == ComponentState.ACTIVE));
        Broker.REPORTER.get().failed(new IllegalStateException("connection lost for good"));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.get()).isInstanceOf(ComponentFailedException.class)
                .hasMessageContaining("Component 'Broker' failed while running")
                .hasRootCauseMessage("connection lost for good");
        assertThat(conductor.report().components()).extracting(StartupReport.ComponentReport::state)
                .containsOnly(ComponentState.STOPPED);
    }

    @Test
    void theFacadeRestartsByType() {
        Conductor conductor = new Conductor();
        conductor.add(Consumer.class);
        conductor.setup();
        conductor.restart(Broker.class);
        assertThat(conductor.report().component("Broker").restarts()).isEqualTo(1);
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> conductor.restart(SupervisionTest.Unknown.class))
                .withMessage("Unknown was never added to this conductor");
        conductor.shutdown();
    }

    static class Unknown implements Component {
    }
}
