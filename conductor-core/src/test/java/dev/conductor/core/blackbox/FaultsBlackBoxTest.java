package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.StartupReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The "say what happens" items on Faults: faults of different kinds combine, one of the same kind replaces. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsBlackBoxTest {

    private final Faults faults = new Faults();
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final Probe db = new Probe("db");

    @AfterEach
    void release() {
        faults.release();
        faults.clear();
    }

    private LifecycleEngine engine(RetryPolicy retry) {
        return LifecycleEngine.builder(ComponentGraph.builder().add(ComponentDefinition.of("db", db)).build())
                .setupTimeout(Duration.ofSeconds(20))
                .retryPolicy(retry)
                .faults(faults)
                .delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
    }

    @Test
    void slowedHangingAndFailingSetupIsSlowedThenHangsThenFails() throws Exception {
        faults.failNextSetups("db", 1, () -> new ConnectException("refused"));
        faults.slowSetup("db", Duration.ofMillis(150));
        faults.hangSetup("db");
        LifecycleEngine engine = engine(RetryPolicy.builder().maxRetries(1).delay(Duration.ZERO).build());
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        // the hang begins after the slow part: release until the setup has gone on
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            faults.release();
            return setup.isDone()
                    || events.stream().anyMatch(e -> e.kind() == LifecycleEvent.Kind.SETUP_RETRYING);
        });
        setup.get(10, TimeUnit.SECONDS);
        List<LifecycleEvent> retrying = events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.SETUP_RETRYING)
                .toList();
        assertThat(retrying).hasSize(1);
        assertThat(retrying.get(0).failure()).as("the hang ended, then the failure came")
                .isInstanceOf(ConnectException.class);
        assertThat(db.setups).as("the real setup ran once, at the second attempt").hasValue(1);
        StartupReport.Attempt first = engine.report().component("db").attempts().get(0);
        assertThat(first.duration()).as("the first attempt was slowed").isGreaterThanOrEqualTo(Duration.ofMillis(150));
        engine.shutdown();
    }

    @Test
    void slowSetupAfterFailNextSetupsDoesNotReplaceTheFailure() {
        faults.failNextSetups("db", 1, () -> new ConnectException("refused"));
        faults.slowSetup("db", Duration.ofMillis(20));
        LifecycleEngine engine = engine(RetryPolicy.none());
        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);
        assertThat(failure).isNotNull();
        assertThat(failure).hasCauseInstanceOf(ConnectException.class);
        assertThat(db.setups).hasValue(0);
    }

    @Test
    void hangAfterFailNextSetupsDoesNotReplaceTheFailure() throws Exception {
        faults.failNextSetups("db", 1, () -> new ConnectException("refused"));
        faults.hangSetup("db");
        LifecycleEngine engine = engine(RetryPolicy.none());
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            faults.release();
            return setup.isDone();
        });
        Throwable failure = catchThrowableOfType(Exception.class, () -> setup.get(1, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(ComponentSetupException.class);
        assertThat(failure.getCause()).hasCauseInstanceOf(ConnectException.class);
        assertThat(db.setups).hasValue(0);
    }

    @Test
    void failNextSetupsOfTheSameKindReplacesTheOneBefore() {
        faults.failNextSetups("db", 5, () -> new ConnectException("five"));
        faults.failNextSetups("db", 2, () -> new ConnectException("two"));
        LifecycleEngine engine = engine(RetryPolicy.builder().maxRetries(6).delay(Duration.ZERO).build());
        engine.setup();
        assertThat(events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.SETUP_RETRYING).count()).isEqualTo(2);
        assertThat(db.setups).hasValue(1);
        engine.shutdown();
    }

    @Test
    void failNextSetupsWithAChosenExceptionIsRetriedWhenIncluded() {
        faults.failNextSetups("db", 2, () -> new ConnectException("refused"));
        LifecycleEngine engine = engine(RetryPolicy.builder().maxRetries(2).delay(Duration.ZERO)
                .includes(ConnectException.class).build());
        engine.setup();
        assertThat(db.setups).hasValue(1);
        assertThat(engine.report().component("db").attempts()).hasSize(3);
        engine.shutdown();
    }

    @Test
    void defaultFailNextSetupsIsAnIllegalStateExceptionAndNotRetriedWhenOnlyOthersAreIncluded() {
        faults.failNextSetups("db", 1, IllegalStateException::new);
        LifecycleEngine engine = engine(RetryPolicy.builder().maxRetries(2).delay(Duration.ZERO)
                .includes(ConnectException.class).build());
        ComponentSetupException failure = catchThrowableOfType(ComponentSetupException.class, engine::setup);
        assertThat(failure).isNotNull().hasCauseInstanceOf(IllegalStateException.class);
        assertThat(failure.getAttempts()).isEqualTo(1);
    }

    @Test
    void slowedAndHangingShutdownIsGivenUpAtItsTimeoutAndNamed() {
        faults.slowShutdown("db", Duration.ofMillis(50));
        faults.hangShutdown("db");
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("db", db).withShutdownTimeout(Duration.ofMillis(300))).build())
                .faults(faults).build();
        engine.setup();
        long start = System.nanoTime();
        var failure = catchThrowableOfType(dev.conductor.core.ComponentShutdownException.class, engine::shutdown);
        assertThat(failure).isNotNull();
        assertThat(failure.getFailures()).containsKey("db");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(db.shutdowns).as("the hang came before the real shutdown").hasValue(0);
    }
}
