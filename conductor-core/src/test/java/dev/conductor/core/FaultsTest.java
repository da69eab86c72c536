package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fault injection with conductor-core alone: the application's own components, made to fail on purpose. */
@Timeout(30)
class FaultsTest {

    static class Database implements Component {

        static final AtomicInteger SETUPS = new AtomicInteger();

        @Override
        public void setup() {
            SETUPS.incrementAndGet();
        }
    }

    interface MessageQueue extends Component {
    }

    static class Broker implements MessageQueue {
        Database database;
    }

    static class Workers implements Component {
        MessageQueue queue;
    }

    @Test
    void failedSetupsAreInjectedBeforeTheComponentRunsAndRetriedByItsPolicy() {
        Database.SETUPS.set(0);
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults)
                .setupRetry(RetryPolicy.builder().maxRetries(2).delay(Duration.ZERO).build()).build();
        conductor.add(Database.class);
        faults.failNextSetups(Database.class, 2, () -> new IOException("database not reachable"));
        conductor.setup();
        assertThat(Database.SETUPS).hasValue(1); // the injected failures ran before its own setup
        assertThat(conductor.report().component("Database").attempts()).hasSize(3)
                .first().satisfies(attempt -> assertThat(attempt.failure()).hasMessage("database not reachable"));
        conductor.shutdown();
    }

    @Test
    void aHangingSetupTimesOutAndRollsBack() {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults)
                .setupTimeout(Broker.class, Duration.ofMillis(100)).build();
        conductor.patch(MessageQueue.class, Broker.class);
        conductor.add(Workers.class);
        faults.hangSetup(MessageQueue.class);
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(conductor::setup)
                .satisfies(ex -> {
                    assertThat(ex.getComponent()).isEqualTo("MessageQueue");
                    assertThat(ex.isTimeout()).isTrue();
                });
        assertThat(conductor.report().component("Database").state()).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void aHangingShutdownIsAbandonedAtItsTimeoutAndTheRestShutsDown() {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults)
                .shutdownTimeout(Workers.class, Duration.ofMillis(100)).build();
        conductor.patch(MessageQueue.class, Broker.class);
        conductor.add(Workers.class);
        conductor.setup();
        faults.hangShutdown(Workers.class);
        assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(conductor::shutdown)
                .satisfies(ex -> assertThat(ex.getFailures()).containsOnlyKeys("Workers"));
        assertThat(conductor.report().component("Database").state()).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void aSlowSetupTakesAtLeastItsDelay() {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults).build();
        conductor.add(Database.class);
        faults.slowSetup(Database.class, Duration.ofMillis(30));
        conductor.setup();
        assertThat(conductor.report().component("Database").setupDuration())
                .isGreaterThanOrEqualTo(Duration.ofMillis(30));
        conductor.shutdown();
    }

    @Test
    void aFailureWhileRunningReachesTheSupervision() {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults)
                .supervision(Broker.class, SupervisionPolicy.restart(1, Duration.ofMinutes(1),
                        RetryPolicy.builder().delay(Duration.ZERO).build()))
                .build();
        assertThatIllegalStateException().isThrownBy(() -> faults.failWhileRunning(Broker.class, new IOException()));
        conductor.add(Workers.class);
        conductor.patch(MessageQueue.class, Broker.class);
        conductor.setup();
        faults.failWhileRunning(MessageQueue.class, new IOException("broker gone"));
        await().until(() -> conductor.report().component("MessageQueue").restarts() == 1);
        assertThat(conductor.report().component("Workers").state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(conductor.report().component("MessageQueue").runtimeFailure()).hasMessage("broker gone");
        conductor.shutdown();
    }

    @Test
    void faultsBelongToTheConductorTheyWereGivenTo() {
        Database.SETUPS.set(0);
        Faults faults = new Faults();
        Conductor faulty = Conductor.builder().faults(faults).build();
        Conductor other = new Conductor();
        faulty.add(Database.class);
        other.add(Database.class);
        faults.failNextSetups(Database.class, 1);
        other.run(() -> { });
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(faulty::setup)
                .withMessageContaining("injected setup failure");
        faulty.run(() -> { }); // used up
        assertThat(Database.SETUPS).hasValue(2);
    }

    @Test
    void aReleaseLetsTheHangsUnderWayGoOnAndLaterHangsHangAgain() throws Exception {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults).build();
        conductor.add(Database.class);
        for (int round = 0; round < 2; round++) {
            faults.hangSetup(Database.class);
            Thread setup = new Thread(conductor::setup);
            setup.start();
            await().until(() -> conductor.report().component("Database").state() == ComponentState.SETTING_UP);
            // released until the setup returns: a release just before the hang began would not reach it
            await().until(() -> {
                faults.release();
                return !setup.isAlive();
            });
            assertThat(conductor.report().component("Database").state()).isEqualTo(ComponentState.ACTIVE);
            conductor.shutdown();
        }
    }

    @Test
    void faultsOfDifferentKindsForOneComponentCombineRatherThanReplaceEachOther() {
        Faults faults = new Faults();
        Probe database = new Probe();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", database).build())
                .faults(faults).build();
        faults.failNextSetups("database", 1, () -> new IOException("database not reachable"));
        faults.slowSetup("database", Duration.ofMillis(1));
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .withRootCauseInstanceOf(IOException.class);
        assertThat(database.setups).hasValue(0);
        engine.setup(); // the failure is used up; the slowness stays until cleared
        assertThat(database.setups).hasValue(1);
        assertThat(engine.report().component("database").setupDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(1));
        engine.shutdown();
    }
}
