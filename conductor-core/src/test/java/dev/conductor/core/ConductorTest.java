package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The seed library's own behaviour, with the seed's application: ports of its tests, and the facade's rules. */
class ConductorTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    abstract static class Journaled implements Component {

        @Override
        public void setup() {
            JOURNAL.add("setup " + getClass().getSimpleName());
        }

        @Override
        public void shutdown() {
            JOURNAL.add("shutdown " + getClass().getSimpleName());
        }
    }

    static class Database extends Journaled {
    }

    interface MessageQueue extends Component {
    }

    static class BrokerQueue extends Journaled implements MessageQueue {
    }

    static class MessageQueueMock extends Journaled implements MessageQueue {
    }

    /** Dependencies through the constructor. */
    static class WebApi extends Journaled {

        final Database database;

        final MessageQueue queue;

        WebApi(Database database, MessageQueue queue) {
            this.database = database;
            this.queue = queue;
        }
    }

    /** Dependencies through fields, as the seed declares them. */
    static class BackgroundWorkers extends Journaled {

        Database database;

        MessageQueue queue;
    }

    // the seed's diamond: B and C need A; D needs B and C
    static class A extends Journaled {
    }

    static class B extends Journaled {
        A a;
    }

    static class C extends Journaled {
        C(A a) {
        }
    }

    static class D extends Journaled {
        B b;
        C c;
    }

    private void clearJournal() {
        JOURNAL.clear();
    }

    private static int at(String entry) {
        assertThat(JOURNAL).contains(entry);
        return JOURNAL.indexOf(entry);
    }

    @Test
    void diamondSetsUpInDependencyOrderAndShutsDownInReverse() {
        clearJournal();
        Conductor conductor = new Conductor();
        D d = conductor.add(D.class);
        assertThat(d.b.a).isSameAs(conductor.add(A.class));
        conductor.setup();
        assertThat(at("setup A")).isLessThan(at("setup B")).isLessThan(at("setup D"));
        assertThat(at("setup A")).isLessThan(at("setup C")).isLessThan(at("setup D"));
        assertThat(JOURNAL).hasSize(4);
        conductor.shutdown();
        assertThat(at("shutdown D")).isLessThan(at("shutdown B")).isLessThan(at("shutdown A"));
        assertThat(at("shutdown D")).isLessThan(at("shutdown C")).isLessThan(at("shutdown A"));
        assertThat(conductor.graph().tiers()).containsExactly(List.of("A"),
                List.of("B", "C"), List.of("D"));
    }

    @Test
    void theSeedApplicationRunsWithAPatchedMessageQueue() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.patch(MessageQueue.class, MessageQueueMock.class);
        WebApi api = conductor.add(WebApi.class);
        BackgroundWorkers workers = conductor.add(BackgroundWorkers.class);
        assertThat(api.queue).isInstanceOf(MessageQueueMock.class).isSameAs(workers.queue);
        assertThat(api.database).isSameAs(workers.database);
        assertThat(conductor.add(MessageQueue.class)).isSameAs(api.queue);
        conductor.run(() -> assertThat(JOURNAL).hasSize(4));
        assertThat(JOURNAL).contains("setup MessageQueueMock").doesNotContain("setup BrokerQueue");
        assertThat(at("setup MessageQueueMock")).isLessThan(at("setup WebApi"));
        assertThat(at("shutdown BackgroundWorkers")).isLessThan(at("shutdown Database"));
    }

    @Test
    void patchCanNameAConcreteClass() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.patch(MessageQueue.class, BrokerQueue.class);
        conductor.patch(A.class, FakeA.class);
        assertThat(conductor.add(B.class).a).isInstanceOf(FakeA.class);
    }

    static class FakeA extends A {
    }

    @Test
    void anInterfaceWithoutAnImplementationIsReportedBeforeAnySetup() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.add(BackgroundWorkers.class);
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(conductor::setup)
                .withMessageContaining("No implementation of MessageQueue, needed by BackgroundWorkers (field 'queue')")
                .withMessageContaining("conductor.patch(MessageQueue.class, YourImplementation.class)");
        assertThat(JOURNAL).isEmpty();
    }

    @Test
    void aPatchAfterAddStillReachesAFieldThatWasWaitingForIt() {
        clearJournal();
        Conductor conductor = new Conductor();
        BackgroundWorkers workers = conductor.add(BackgroundWorkers.class);
        conductor.patch(MessageQueue.class, MessageQueueMock.class);
        conductor.run(() -> assertThat(workers.queue).isInstanceOf(MessageQueueMock.class));
    }

    @Test
    void anInterfaceWithOneAddedImplementationResolvesToIt() {
        Conductor conductor = new Conductor();
        BrokerQueue queue = conductor.add(BrokerQueue.class);
        assertThat(conductor.add(WebApi.class).queue).isSameAs(queue);
    }

    @Test
    void addingAnInterfaceWithoutAPatchNamesIt() {
        Conductor conductor = new Conductor();
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> conductor.add(WebApi.class))
                .withMessageContaining("No implementation of MessageQueue, needed by WebApi: it is an interface");
    }

    static class CycleX implements Component {
        CycleY next;
    }

    static class CycleY implements Component {
        CycleZ next;
    }

    static class CycleZ implements Component {
        CycleX next;
    }

    @Test
    void aCycleIsReportedWithEveryMemberBeforeAnySetup() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.add(Database.class);
        conductor.add(CycleX.class);
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(conductor::setup)
                .withMessageContaining("CycleX -> CycleY -> CycleZ -> CycleX");
        assertThat(JOURNAL).isEmpty();
    }

    static class ConstructorCycleA implements Component {
        ConstructorCycleA(ConstructorCycleB b) {
        }
    }

    static class ConstructorCycleB implements Component {
        ConstructorCycleB(ConstructorCycleA a) {
        }
    }

    @Test
    void aCycleOfConstructorsIsReportedByAddSinceNothingCanBeCreated() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> new Conductor().add(ConstructorCycleA.class))
                .withMessageContaining("ConstructorCycleA -> ConstructorCycleB -> ConstructorCycleA");
    }

    static class Failing implements Component {

        Database database;

        @Override
        public void setup() {
            throw new IllegalStateException("cannot connect");
        }
    }

    @Test
    void aFailedSetupShutsDownWhatWasSetUpAndNamesTheComponent() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.add(Failing.class);
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(conductor::setup)
                .withMessageContaining("Setup of component 'Failing' failed: cannot connect");
        assertThat(JOURNAL).containsExactly("setup Database", "shutdown Database");
    }

    @Test
    void runShutsDownWhenTheTaskThrowsAndTheTaskExceptionPropagates() {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.add(Database.class);
        assertThatIllegalStateException().isThrownBy(() -> conductor.run(() -> {
            throw new IllegalStateException("task failed");
        })).withMessage("task failed");
        assertThat(JOURNAL).containsExactly("setup Database", "shutdown Database");
    }

    @Test
    void serveShutsDownAndReturnsWhenItsThreadIsInterrupted() throws Exception {
        clearJournal();
        Conductor conductor = new Conductor();
        conductor.add(Database.class);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                conductor.serve();
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        });
        serving.start();
        org.awaitility.Awaitility.await().until(() -> JOURNAL.contains("setup Database"));
        serving.interrupt();
        serving.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(serving.isAlive()).isFalse();
        assertThat(failure).hasValue(null);
        assertThat(JOURNAL).containsExactly("setup Database", "shutdown Database");
    }

    @Test
    void patchRejectsAReplacementThatIsNotUsableOrComesTooLate() {
        Conductor conductor = new Conductor();
        conductor.add(Database.class);
        assertThatIllegalStateException().isThrownBy(() -> conductor.patch(Database.class, SlowDatabase.class))
                .withMessageContaining("Database was already created by add(). Call patch() before add().");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> conductor.patch(Journaled.class, Journaled.class))
                .withMessageContaining("it is abstract");
    }

    static class SlowDatabase extends Database {
    }

    class Inner implements Component {
    }

    @Test
    void innerClassesAndUnclearConstructorsGetActionableErrors() {
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(() -> new Conductor().add(Inner.class))
                .withMessageContaining("Inner is an inner class").withMessageContaining("declare it static");
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> new Conductor().add(TwoConstructors.class))
                .withMessageContaining("TwoConstructors has 2 constructors");
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> new Conductor().add(TakesAString.class))
                .withMessage("Constructor parameter 1 of TakesAString is a String, which is neither a Component nor a"
                        + " value provided to the conductor. Provide one: Conductor.builder().provide(String.class,"
                        + " value).");
    }

    static class TwoConstructors implements Component {
        TwoConstructors(Database database) {
        }

        TwoConstructors(A a) {
        }
    }

    static class TakesAString implements Component {
        TakesAString(String name) {
        }
    }

    @Test
    void addOfANewTypeIsRefusedWhileActiveAndAllowedAfterShutdown() {
        clearJournal();
        Conductor conductor = new Conductor();
        Database database = conductor.add(Database.class);
        conductor.setup();
        assertThat(conductor.add(Database.class)).isSameAs(database);
        assertThatIllegalStateException().isThrownBy(() -> conductor.add(A.class))
                .withMessage("Cannot add A while the components are set up: it would not be set up with the others."
                        + " Add components and patches before setup(), or after shutdown() has returned.");
        conductor.close();
        conductor.add(A.class);
        conductor.run(() -> { });
        assertThat(JOURNAL).containsSubsequence("setup A", "shutdown A");
    }

    @Test
    void perClassTimeoutsApply() {
        Conductor conductor = Conductor.builder()
                .setupTimeout(Hanging.class, java.time.Duration.ofMillis(50))
                .build();
        conductor.add(Hanging.class);
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(conductor::setup)
                .withMessageContaining("Setup of component 'Hanging' timed out");
    }

    static class Hanging implements Component {
        @Override
        public void setup() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Test
    void reportIsAvailableFromTheFacade() {
        Conductor conductor = new Conductor();
        conductor.add(D.class);
        conductor.run(() -> { });
        assertThat(conductor.report().criticalPath()).endsWith("D");
        assertThat(conductor.graph().toMermaid()).contains("[\"D\"]");
    }
}
