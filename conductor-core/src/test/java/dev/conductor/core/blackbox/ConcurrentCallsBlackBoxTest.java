package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.Conductor;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SetupCancelledException;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Calls from several threads at once and from inside components. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentCallsBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    private static List<CompletableFuture<Void>> together(int threads, Runnable call) {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread[] holder = new Thread[1];
            CompletableFuture<Void> done = new CompletableFuture<>();
            holder[0] = new Thread(() -> {
                try {
                    barrier.await();
                    call.run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            holder[0].start();
            calls.add(done);
        }
        return calls;
    }

    private Probe[] diamond(ComponentGraph.Builder builder) {
        Probe a = new Probe("a");
        Probe b = new Probe("b");
        Probe c = new Probe("c");
        Probe d = new Probe("d");
        builder.add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("b", b).dependsOn("a"))
                .add(ComponentDefinition.of("c", c).dependsOn("a"))
                .add(ComponentDefinition.of("d", d).dependsOn("b", "c"));
        return new Probe[] { a, b, c, d };
    }

    @Test
    void setupAndShutdownFromManyThreadsRunOnce() throws Exception {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        Probe[] probes = diamond(builder);
        LifecycleEngine engine = LifecycleEngine.builder(builder.build()).build();
        for (int round = 0; round < 5; round++) {
            for (CompletableFuture<Void> call : together(8, engine::setup)) {
                call.get(10, TimeUnit.SECONDS);
            }
            assertThat(engine.isActive()).isTrue();
            for (CompletableFuture<Void> call : together(8, engine::shutdown)) {
                call.get(10, TimeUnit.SECONDS);
            }
            assertThat(engine.isActive()).isFalse();
        }
        for (Probe probe : probes) {
            assertThat(probe.setups).as(probe.name).hasValue(5);
            assertThat(probe.shutdowns).as(probe.name).hasValue(5);
            assertThat(probe.violations).isEmpty();
        }
    }

    @Test
    void manyThreadsReportTheSameFailureAtOnce() throws Exception {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        Probe[] probes = diamond(builder);
        LifecycleEngine engine = LifecycleEngine.builder(builder.build())
                .supervision(SupervisionPolicy.restart(20, Duration.ofMinutes(1), RetryPolicy.none()))
                .delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
        engine.setup();
        for (CompletableFuture<Void> call : together(8,
                () -> engine.reportFailure("b", new IllegalStateException("lost")))) {
            call.get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            long requested = events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.RESTART_REQUESTED).count();
            long finished = events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED).count();
            return requested >= 1 && finished == requested && engine.state("d") == ComponentState.ACTIVE;
        });
        assertThat(events).noneMatch(e -> e.kind() == LifecycleEvent.Kind.ESCALATED);
        assertThat(probes[0].setups).as("a is not restarted").hasValue(1);
        assertThat(probes[2].setups).as("c is not restarted").hasValue(1);
        engine.shutdown();
        for (Probe probe : probes) {
            assertThat(probe.violations).isEmpty();
        }
    }

    @Test
    void restartsFromSeveralThreadsNeverInterleave() throws Exception {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        Probe[] probes = diamond(builder);
        LifecycleEngine engine = LifecycleEngine.builder(builder.build()).build();
        engine.setup();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        calls.addAll(together(3, () -> engine.restart("a")));
        calls.addAll(together(3, () -> engine.restart("b")));
        calls.addAll(together(3, () -> engine.restart("c")));
        for (CompletableFuture<Void> call : calls) {
            call.get(20, TimeUnit.SECONDS);
        }
        assertThat(engine.isActive()).isTrue();
        assertThat(probes[0].setups).hasValue(4);
        assertThat(probes[3].setups).hasValue(10);
        engine.shutdown();
        for (Probe probe : probes) {
            assertThat(probe.violations).isEmpty();
        }
    }

    static final class Inner extends Probe {
        static final AtomicReference<Conductor> CONDUCTOR = new AtomicReference<>();
        static final AtomicReference<Throwable> SETUP_FROM_SETUP = new AtomicReference<>();
        static final AtomicReference<Throwable> SHUTDOWN_FROM_SHUTDOWN = new AtomicReference<>();

        Inner() {
            super("Inner");
            onSetup = (p, n) -> {
                try {
                    CONDUCTOR.get().setup();
                } catch (Throwable e) {
                    SETUP_FROM_SETUP.set(e);
                }
            };
            onShutdown = (p, n) -> {
                try {
                    CONDUCTOR.get().shutdown();   // returns at once
                    CONDUCTOR.get().close();
                } catch (Throwable e) {
                    SHUTDOWN_FROM_SHUTDOWN.set(e);
                }
            };
        }
    }

    @Test
    void callsFromInsideComponents() {
        Conductor conductor = new Conductor();
        Inner.CONDUCTOR.set(conductor);
        Inner inner = conductor.add(new Inner());
        conductor.run(() -> assertThat(conductor.add(Inner.class)).isSameAs(inner));
        assertThat(Inner.SETUP_FROM_SETUP.get()).isInstanceOf(IllegalStateException.class);
        assertThat(Inner.SHUTDOWN_FROM_SHUTDOWN.get()).isNull();
        assertThat(inner.setups).hasValue(1);
        assertThat(inner.shutdowns).hasValue(1);
    }

    static final class Canceller extends Probe {
        static final AtomicReference<Conductor> CONDUCTOR = new AtomicReference<>();

        Canceller() {
            super("Canceller");
            onSetup = (p, n) -> CONDUCTOR.get().shutdown();
        }
    }

    @Test
    void shutdownFromInsideASetupCancelsIt() {
        Conductor conductor = new Conductor();
        Canceller.CONDUCTOR.set(conductor);
        conductor.add(new Canceller());
        SetupCancelledException cancelled = catchThrowableOfType(SetupCancelledException.class, conductor::setup);
        assertThat(cancelled).isNotNull();
        Canceller canceller = conductor.add(Canceller.class);
        assertThat(canceller.setups).hasValue(1);
        assertThat(canceller.violations).isEmpty();
        // and the conductor can set up again afterwards
        Canceller.CONDUCTOR.set(null);
        canceller.onSetup = (p, n) -> { };
        conductor.run(() -> { });
        assertThat(canceller.setups).hasValue(2);
    }
}
