package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A setup that begins before the whole graph is known, and the engine that takes it over. */
class EarlySetupTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private Component recording(String name) {
        return Component.of(() -> calls.add("setup " + name), () -> calls.add("shutdown " + name));
    }

    @Test
    void anAddedComponentSetsUpAtOnceItsDependentOnlyOnceItIsActiveAndTheEngineSetsUpTheRest() throws Exception {
        CountDownLatch databaseStarted = new CountDownLatch(1);
        CountDownLatch releaseDatabase = new CountDownLatch(1);
        Component database = Component.of(() -> {
            databaseStarted.countDown();
            releaseDatabase.await();
            calls.add("setup database");
        }, () -> calls.add("shutdown database"));
        LifecycleEngine.Builder builder = LifecycleEngine.builder();
        EarlySetup early = builder.setupEarly();
        early.add(ComponentDefinition.of("database", database), false);
        assertThat(databaseStarted.await(10, TimeUnit.SECONDS)).as("database's setup started on add").isTrue();
        early.add(ComponentDefinition.of("cache", recording("cache")).dependsOn("database"), false);
        early.add(ComponentDefinition.of("metrics", recording("metrics")), false);
        awaitCall("setup metrics"); // independent: not held up by the database's setup in progress
        assertThat(calls).doesNotContain("setup cache");
        assertThat(early.state("cache")).isEqualTo(ComponentState.NEW);
        releaseDatabase.countDown();
        awaitCall("setup cache");

        assertThat(early.names()).containsExactly("database", "cache", "metrics");
        ComponentGraph whole = ComponentGraph.builder().add(ComponentDefinition.of("database", database))
                .add(ComponentDefinition.of("cache", recording("cache2")).dependsOn("database"))
                .add(ComponentDefinition.of("metrics", recording("metrics2")))
                .add(ComponentDefinition.of("api", recording("api")).dependsOn("cache", "metrics")).build();
        LifecycleEngine engine = builder.graph(whole).build();
        assertThat(calls).doesNotContain("setup api");
        engine.setup();
        assertThat(calls).containsSubsequence("setup cache", "setup api");
        assertThat(engine.report().components()).hasSize(4);
        engine.shutdown();
        assertThat(calls).containsSubsequence("shutdown api", "shutdown cache", "shutdown database")
                .as("the instances added early are the ones shut down").doesNotContain("shutdown cache2");
    }

    @Test
    void aHeldComponentWaitsForTheEnginesSetup() throws Exception {
        LifecycleEngine.Builder builder = LifecycleEngine.builder();
        EarlySetup early = builder.setupEarly();
        early.add(ComponentDefinition.of("broker", recording("broker")), true);
        early.add(ComponentDefinition.of("free", recording("free")), false);
        awaitCall("setup free");
        assertThat(calls).doesNotContain("setup broker");
        LifecycleEngine engine = builder.graph(ComponentGraph.builder().add("broker", recording("x"))
                .add("free", recording("y")).build()).build();
        engine.setup();
        assertThat(calls).contains("setup broker");
        engine.shutdown();
    }

    @Test
    void aFailedSetupStopsTheOthersAndCancelRollsBackInReverseThenTheEngineFailsWithTheSameException()
            throws Exception {
        LifecycleEngine.Builder builder = LifecycleEngine.builder();
        EarlySetup early = builder.setupEarly();
        early.add(ComponentDefinition.of("database", recording("database")), false);
        early.add(ComponentDefinition.of("cache", recording("cache")).dependsOn("database"), false);
        awaitCall("setup cache");
        early.add(ComponentDefinition.of("queue", Component.of(() -> {
            throw new IllegalStateException("journal directory is locked");
        }, () -> calls.add("shutdown queue"))).dependsOn("database"), false);
        await().atMost(Duration.ofSeconds(10)).until(early::failed);
        ConductorException failure = early.cancel();
        assertThat(failure).isInstanceOf(ComponentSetupException.class).hasMessageContaining("queue");
        assertThat(calls).containsSubsequence("shutdown cache", "shutdown database").doesNotContain("shutdown queue");
        assertThatIllegalStateException().isThrownBy(
                () -> early.add(ComponentDefinition.of("late", recording("late")), false));
        LifecycleEngine engine = builder.graph(ComponentGraph.builder().add("database", recording("a"))
                .add(ComponentDefinition.of("cache", recording("b")).dependsOn("database"))
                .add(ComponentDefinition.of("queue", recording("c")).dependsOn("database")).build()).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup).isSameAs(failure);
    }

    @Test
    void aDependencyThatWasNotAddedIsRefused() {
        EarlySetup early = LifecycleEngine.builder().setupEarly();
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(() -> early
                .add(ComponentDefinition.of("cache", recording("cache")).dependsOn("database"), false));
        early.cancel();
    }

    private void awaitCall(String call) {
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains(call));
    }
}
