package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Component#of}: an object that does not implement {@code Component} runs under the engine's rules. */
class ComponentOfTest {

    /** Stands for a class from another library: it cannot implement {@code Component}. */
    static final class Pool {

        final List<String> calls;

        final boolean failToStart;

        Pool(List<String> calls, boolean failToStart) {
            this.calls = calls;
            this.failToStart = failToStart;
        }

        void start() throws IOException {
            calls.add("pool started");
            if (failToStart) {
                throw new IOException("connection refused");
            }
        }

        void close() {
            calls.add("pool closed");
        }
    }

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private Component recording(String name) {
        return Component.of(() -> calls.add(name + " set up"), () -> calls.add(name + " shut down"));
    }

    @Test
    void actionsRunAsSetupAndShutdownInDependencyOrder() {
        Pool pool = new Pool(calls, false);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add(ComponentDefinition.of("pool", Component.of(pool::start, pool::close)))
                .add(ComponentDefinition.of("webApi", recording("webApi")).dependsOn("pool"))
                .build()).build();
        engine.setup();
        engine.shutdown();
        assertThat(calls).containsExactly("pool started", "webApi set up", "webApi shut down", "pool closed");
    }

    @Test
    void aThrowingSetupActionFailsTheSetupWithItsCauseAndItsShutdownActionNeverRuns() {
        Pool pool = new Pool(calls, true);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add(ComponentDefinition.of("pool", Component.of(pool::start, pool::close)))
                .build()).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .satisfies(ex -> assertThat(ex.getComponent()).isEqualTo("pool"))
                .havingCause().isInstanceOf(IOException.class).withMessage("connection refused");
        engine.shutdown();
        assertThat(calls).containsExactly("pool started");
    }

    @Test
    void bothActionsAreRequired() {
        assertThatNullPointerException().isThrownBy(() -> Component.of(null, () -> { }))
                .withMessageContaining("setup action");
        assertThatNullPointerException().isThrownBy(() -> Component.of(() -> { }, null))
                .withMessageContaining("shutdown action");
    }

    @Test
    void theFacadeRunsAComponentMadeOfActions() {
        Pool pool = new Pool(calls, false);
        try (Conductor conductor = new Conductor()) {
            conductor.add(Component.of(pool::start, pool::close));
            conductor.run(() -> calls.add("task"));
        }
        assertThat(calls).containsExactly("pool started", "task", "pool closed");
    }
}
