package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's promises whatever the order of calls, the thread they come from, and the instances users made. */
@Timeout(30)
class ConductorCallOrderTest {

    /** Released by the test; counts its setups and shutdowns. */
    static class Gate implements Component {

        static volatile CountDownLatch started = new CountDownLatch(1);

        static volatile CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger setups = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        @Override
        public void setup() throws InterruptedException {
            setups.incrementAndGet();
            started.countDown();
            release.await();
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    static class Quick implements Component {

        final AtomicInteger setups = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        @Override
        public void setup() {
            setups.incrementAndGet();
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    static class Other implements Component {
    }

    private static Thread settingUp(Conductor conductor, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                conductor.setup();
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        }, "setting-up");
        thread.start();
        return thread;
    }

    private static void resetGate() {
        Gate.started = new CountDownLatch(1);
        Gate.release = new CountDownLatch(1);
    }

    @Test
    void addReturnsTheOneInstanceBeforeDuringAndAfterSetup() throws Exception {
        resetGate();
        Conductor conductor = new Conductor();
        Gate gate = conductor.add(Gate.class);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = settingUp(conductor, failure);
        Gate.started.await();
        assertThat(conductor.add(Gate.class)).isSameAs(gate);
        Gate.release.countDown();
        thread.join();
        assertThat(failure.get()).isNull();
        assertThat(conductor.add(Gate.class)).isSameAs(gate);
        conductor.shutdown();
        assertThat(conductor.add(Gate.class)).isSameAs(gate);
    }

    @Test
    void callsDuringASetupOnAnotherThreadNeverReplaceTheRunningLifecycle() throws Exception {
        resetGate();
        Conductor conductor = new Conductor();
        Gate gate = conductor.add(Gate.class);
        Quick quick = conductor.add(Quick.class);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = settingUp(conductor, failure);
        Gate.started.await();
        conductor.add(Quick.class);
        conductor.graph();
        await().until(() -> conductor.report().component("Quick").state() == ComponentState.ACTIVE);
        StartupReport live = conductor.report();
        assertThat(live.component("Gate").state()).isEqualTo(ComponentState.SETTING_UP);
        Gate.release.countDown();
        thread.join();
        assertThat(failure.get()).isNull();
        conductor.setup(); // already set up: nothing is set up a second time
        assertThat(gate.setups).hasValue(1);
        assertThat(quick.setups).hasValue(1);
        conductor.shutdown();
        assertThat(gate.shutdowns).hasValue(1);
        assertThat(quick.shutdowns).hasValue(1);
    }

    @Test
    void aSecondSetupOnAnotherThreadWaitsForTheFirstAndSetsNothingUpTwice() throws Exception {
        resetGate();
        Conductor conductor = new Conductor();
        Gate gate = conductor.add(Gate.class);
        AtomicReference<Throwable> first = new AtomicReference<>();
        AtomicReference<Throwable> second = new AtomicReference<>();
        Thread one = settingUp(conductor, first);
        Gate.started.await();
        Thread two = settingUp(conductor, second);
        await().until(() -> two.getState() == Thread.State.WAITING || two.getState() == Thread.State.TIMED_WAITING);
        Gate.release.countDown();
        one.join();
        two.join();
        assertThat(first.get()).isNull();
        assertThat(second.get()).isNull();
        assertThat(gate.setups).hasValue(1);
        conductor.shutdown();
        assertThat(gate.shutdowns).hasValue(1);
    }

    @Test
    void addOfANewTypeDuringASetupIsRefusedNamingTheType() throws Exception {
        resetGate();
        Conductor conductor = new Conductor();
        conductor.add(Gate.class);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = settingUp(conductor, failure);
        Gate.started.await();
        try {
            assertThatIllegalStateException().isThrownBy(() -> conductor.add(Other.class))
                    .withMessage("Cannot add Other while a setup is under way: it would not be set up with the"
                            + " others. Add components and patches before setup(), or after shutdown() has returned.");
            assertThatIllegalStateException().isThrownBy(() -> conductor.add(new Other()))
                    .withMessageStartingWith("Cannot add Other while a setup is under way");
        }
        finally {
            Gate.release.countDown();
            thread.join();
        }
        assertThat(conductor.graph().names()).containsExactly("Gate");
        conductor.shutdown();
    }

    static class Store implements Component {
    }

    static class InitializesItsDependency implements Component {
        Store store = new Store();
    }

    @Test
    void aComponentFieldThatAlreadyHoldsAnInstanceIsAnErrorNamingTheClassAndTheField() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> new Conductor().add(InitializesItsDependency.class))
                .withMessage("Field 'store' of InitializesItsDependency already holds a Store that Conductor did not"
                        + " create (a field initializer, or the constructor made it): it would never be set up or"
                        + " shut down, and nothing would order it. Leave the field empty for Conductor to inject,"
                        + " take it as a constructor parameter, or add your instance first with"
                        + " conductor.add(instance).")
                .satisfies(ex -> assertThat(ex.getComponents()).containsExactly("InitializesItsDependency"));
    }

    static class KeepsItsConstructorArgument implements Component {
        final Store store;

        KeepsItsConstructorArgument(Store store) {
            this.store = store;
        }
    }

    @Test
    void aFieldHoldingAConstructorArgumentIsADependencyNotAnError() {
        Conductor conductor = new Conductor();
        conductor.add(KeepsItsConstructorArgument.class);
        assertThat(conductor.graph().dependencies("KeepsItsConstructorArgument")).containsExactly("Store");
    }

    interface Cache extends Component {
    }

    static class LocalCache implements Cache {
    }

    static class RemoteCache implements Cache {
    }

    static class NeedsACache implements Component {
        Cache cache;
    }

    static class NeedsACacheInItsConstructor implements Component {
        NeedsACacheInItsConstructor(Cache cache) {
        }
    }

    @Test
    void severalImplementationsOfADependencyAreReportedAsAmbiguousNamingEveryCandidate() {
        Conductor conductor = new Conductor();
        conductor.add(LocalCache.class);
        conductor.add(RemoteCache.class);
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> conductor.add(NeedsACacheInItsConstructor.class))
                .withMessage("Ambiguous dependency on Cache, needed by NeedsACacheInItsConstructor: 2 added components"
                        + " implement it (LocalCache, RemoteCache). Patch it with the one to use:"
                        + " conductor.patch(Cache.class, LocalCache.class), or ask for the implementation class"
                        + " itself.")
                .satisfies(ex -> assertThat(ex.getComponents()).containsExactly("Cache", "LocalCache", "RemoteCache"));
        conductor.add(NeedsACache.class);
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(conductor::setup)
                .withMessageStartingWith("Ambiguous dependency on Cache, needed by NeedsACache (field 'cache'): 2");
        conductor.patch(Cache.class, RemoteCache.class);
        conductor.setup();
        assertThat(conductor.add(NeedsACache.class).cache).isSameAs(conductor.add(RemoteCache.class));
        conductor.shutdown();
    }

    interface MessageQueue extends Component {
    }

    static class InMemoryQueue implements MessageQueue {
    }

    static class Sender implements Component {
        Sender(MessageQueue queue) {
        }
    }

    @Test
    void aPatchedComponentIsNamedForTheTypeItReplacesWithItsImplementationShown() {
        RecordingListener listener = new RecordingListener();
        Conductor conductor = Conductor.builder().listener(listener).build();
        conductor.patch(MessageQueue.class, InMemoryQueue.class);
        conductor.add(Sender.class);
        conductor.setup();
        StartupReport.ComponentReport queue = conductor.report().component("MessageQueue");
        assertThat(queue.implementation()).isEqualTo(InMemoryQueue.class.getName());
        assertThat(conductor.graph().dependencies("Sender")).containsExactly("MessageQueue");
        assertThat(listener.events()).filteredOn(event -> event.component().equals("MessageQueue"))
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.implementation()).isEqualTo(InMemoryQueue.class.getName()))
                .first().hasToString("MessageQueue (ConductorCallOrderTest$InMemoryQueue) SETUP_STARTED after 0 us");
        conductor.shutdown();
    }

    record Settings(String url) {
    }

    static class Configured implements Component {

        final Settings settings;

        Clock clock;

        Configured(Settings settings) {
            this.settings = settings;
        }
    }

    @Test
    void providedValuesAreInjectedIntoConstructorsAndFieldsAndNeverSetUp() {
        Settings settings = new Settings("jdbc:h2:mem:test");
        Clock clock = Clock.systemUTC();
        Conductor conductor = Conductor.builder().provide(Settings.class, settings).provide(Clock.class, clock)
                .build();
        Configured configured = conductor.add(Configured.class);
        assertThat(configured.settings).isSameAs(settings);
        assertThat(configured.clock).isSameAs(clock);
        conductor.run(() -> assertThat(conductor.report().components()).extracting(c -> c.name())
                .containsExactly("Configured"));
    }

    @Test
    void aMissingOrDuplicateValueIsAClearError() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> new Conductor().add(Configured.class))
                .withMessage("Constructor parameter 1 of Configured is a Settings, which is neither a Component nor a"
                        + " value provided to the conductor. Provide one: Conductor.builder().provide(Settings.class,"
                        + " value).");
        Conductor.Builder builder = Conductor.builder().provide(Settings.class, new Settings("a"));
        assertThatIllegalStateException().isThrownBy(() -> builder.provide(Settings.class, new Settings("b")))
                .withMessage("A value for Settings was provided twice: provide each type once, or provide the"
                        + " second under a more specific type.");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.provide(Store.class, new Store()))
                .withMessageContaining("it is a Component").withMessageContaining("conductor.add(instance)");
    }

    static class UsesTheStore implements Component {
        Store store;
    }

    @Test
    void anInstanceTheUserCreatedIsSetUpShutDownAndGivenToItsDependents() {
        RecordingListener listener = new RecordingListener();
        Conductor conductor = Conductor.builder().listener(listener).build();
        Store store = new Store();
        assertThat(conductor.add(store)).isSameAs(store);
        assertThat(conductor.add(store)).isSameAs(store);
        assertThat(conductor.add(Store.class)).isSameAs(store);
        assertThat(conductor.add(UsesTheStore.class).store).isSameAs(store);
        assertThatIllegalStateException().isThrownBy(() -> conductor.add(new Store()))
                .withMessageStartingWith("Cannot add this Store instance: an instance of Store was already added");
        conductor.run(() -> { });
        assertThat(listener.events()).extracting(LifecycleEvent::toString).map(e -> e.replaceAll(" after .*", ""))
                .containsSubsequence("Store SETUP_FINISHED", "UsesTheStore SETUP_STARTED",
                        "UsesTheStore SHUTDOWN_FINISHED", "Store SHUTDOWN_STARTED");
    }

    @Test
    void namedComponentsMakeObjectsYouDoNotOwnComponentsWithTheirOwnDependencies() {
        List<String> journal = new java.util.concurrent.CopyOnWriteArrayList<>();
        Conductor conductor = new Conductor();
        conductor.add("pool", Component.of(() -> journal.add("pool up"), () -> journal.add("pool down")));
        conductor.add("server", Component.of(() -> journal.add("server up"), () -> journal.add("server down")),
                Store.class);
        assertThatIllegalStateException().isThrownBy(() -> conductor.add("pool", Component.of(() -> { }, () -> { })))
                .withMessageStartingWith("A component named 'pool' was already added");
        assertThat(conductor.graph().dependencies("server")).containsExactly("Store");
        conductor.run(() -> assertThat(journal).containsExactlyInAnyOrder("pool up", "server up"));
        assertThat(journal).containsSubsequence("server up", "server down");
        assertThat(conductor.report().component("pool").state()).isEqualTo(ComponentState.STOPPED);
    }
}
