package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue 21 item 2, and restarts requested while something else is under way. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    private long count(String component, LifecycleEvent.Kind kind) {
        return events.stream().filter(e -> e.component().equals(component) && e.kind() == kind).count();
    }

    private static SupervisionPolicy restarts(int max) {
        return SupervisionPolicy.restart(max, Duration.ofMinutes(1), RetryPolicy.none());
    }

    /**
     * base <- dependent. The dependent's setup blocks on a gate during restarts; the base, active again, reports a
     * failure meanwhile: it must be acted on once the restart finishes.
     */
    @Test
    void failureReportedDuringItsOwnRestartIsActedOnRepeatedly() throws Exception {
        Probe base = new Probe("base");
        Probe dependent = new Probe("dependent");
        Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
        dependent.onSetup = (p, n) -> {
            if (n > 1) {
                gates.computeIfAbsent(n, k -> new CountDownLatch(1)).await();
            }
        };
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("base", base))
                .add(ComponentDefinition.of("dependent", dependent).dependsOn("base"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .supervision("base", restarts(10)).delays(new CapturingDelays(true))
                .listener(events::add)
                .build();
        engine.setup();

        engine.reportFailure("base", new IllegalStateException("first"));
        int rounds = 4;
        for (int round = 2; round <= rounds + 1; round++) {
            int call = round;
            // the restart set base up again and is setting up its dependent
            await().atMost(Duration.ofSeconds(10)).until(() -> dependent.setups.get() == call);
            assertThat(engine.state("base")).isEqualTo(ComponentState.ACTIVE);
            if (round <= rounds) {
                engine.failureReporter("base").failed(new IllegalStateException("during restart " + round));
            }
            gates.computeIfAbsent(call, k -> new CountDownLatch(1)).countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count("base", LifecycleEvent.Kind.RESTART_FINISHED) == rounds);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state("dependent") == ComponentState.ACTIVE);
        assertThat(base.setups).hasValue(rounds + 1);
        assertThat(dependent.setups).hasValue(rounds + 1);
        assertThat(count("base", LifecycleEvent.Kind.RUNTIME_FAILURE)).isEqualTo(rounds);
        engine.shutdown();
        assertThat(base.violations).isEmpty();
        assertThat(dependent.violations).isEmpty();
    }

    @Test
    void failureDuringItsOwnRestartEscalatesWhenTheBudgetIsSpent() throws Exception {
        Probe base = new Probe("base");
        Probe dependent = new Probe("dependent");
        CountDownLatch gate = new CountDownLatch(1);
        dependent.onSetup = (p, n) -> {
            if (n == 2) {
                gate.await();
            }
        };
        AtomicReference<ComponentFailedException> escalated = new AtomicReference<>();
        CountDownLatch escalation = new CountDownLatch(1);
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("base", base))
                .add(ComponentDefinition.of("dependent", dependent).dependsOn("base"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .supervision("base", restarts(1)).delays(new CapturingDelays(true))
                .listener(events::add)
                .onEscalation(e -> {
                    escalated.set(e);
                    escalation.countDown();
                })
                .build();
        engine.setup();
        engine.reportFailure("base", new IllegalStateException("first"));
        await().atMost(Duration.ofSeconds(10)).until(() -> dependent.setups.get() == 2);
        assertThat(engine.state("base")).isEqualTo(ComponentState.ACTIVE);
        engine.reportFailure("base", new IllegalStateException("second, during the restart"));
        gate.countDown();

        assertThat(escalation.await(10, TimeUnit.SECONDS)).as("the second failure escalates").isTrue();
        assertThat(escalated.get().getComponent()).isEqualTo("base");
        assertThat(escalated.get()).hasRootCauseMessage("second, during the restart");
        await().atMost(Duration.ofSeconds(10)).until(() -> base.shutdowns.get() == 2 && dependent.shutdowns.get() == 2);
        assertThat(base.violations).isEmpty();
        assertThat(dependent.violations).isEmpty();
    }

    @Test
    void severalComponentsReportDuringTheirOwnRestartsAtOnce() throws Exception {
        int branches = 3;
        ComponentGraph.Builder builder = ComponentGraph.builder();
        Probe[] bases = new Probe[branches];
        Probe[] dependents = new Probe[branches];
        CountDownLatch gate = new CountDownLatch(1);
        LifecycleEngine.Builder[] holder = new LifecycleEngine.Builder[1];
        for (int i = 0; i < branches; i++) {
            bases[i] = new Probe("base" + i);
            dependents[i] = new Probe("dependent" + i);
            dependents[i].onSetup = (p, n) -> {
                if (n == 2) {
                    gate.await();
                }
            };
            builder.add(ComponentDefinition.of(bases[i].name, bases[i]));
            builder.add(ComponentDefinition.of(dependents[i].name, dependents[i]).dependsOn(bases[i].name));
        }
        LifecycleEngine.Builder engineBuilder = LifecycleEngine.builder(builder.build())
                .supervision(restarts(10)).delays(new CapturingDelays(true))
                .listener(events::add);
        LifecycleEngine engine = engineBuilder.build();
        engine.setup();

        CyclicBarrier together = new CyclicBarrier(branches);
        CompletableFuture<?>[] reports = new CompletableFuture<?>[branches];
        for (int i = 0; i < branches; i++) {
            int index = i;
            reports[i] = CompletableFuture.runAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                engine.reportFailure("base" + index, new IllegalStateException("first " + index));
            });
        }
        CompletableFuture.allOf(reports).get(10, TimeUnit.SECONDS);
        // restarts never interleave: each base's restart reaches its dependent in turn, while the gate is shut the
        // first one blocks; report from every base that is active again after its restart set it up
        await().atMost(Duration.ofSeconds(10)).until(() -> dependents[0].setups.get() + dependents[1].setups.get()
                + dependents[2].setups.get() >= branches + 1);
        for (int i = 0; i < branches; i++) {
            if (dependents[i].setups.get() == 2) {
                engine.reportFailure("base" + i, new IllegalStateException("during restart " + i));
            }
        }
        gate.countDown();
        // every base is restarted at least once, and the one that reported during its restart twice
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < branches; i++) {
                if (count("base" + i, LifecycleEvent.Kind.RESTART_FINISHED) < 1) {
                    return false;
                }
            }
            return events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED).count()
                    == branches + 1;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < branches; i++) {
                if (engine.state("dependent" + i) != ComponentState.ACTIVE) {
                    return false;
                }
            }
            return true;
        });
        engine.shutdown();
        for (int i = 0; i < branches; i++) {
            assertThat(bases[i].violations).isEmpty();
            assertThat(dependents[i].violations).isEmpty();
        }
    }

    @Test
    void restartRequestedWhileASetupIsUnderWayWaitsForItThenRuns() throws Exception {
        Probe a = new Probe("a");
        Probe slow = new Probe("slow");
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        slow.onSetup = (p, n) -> {
            if (n == 1) {
                slowStarted.countDown();
                gate.await();
            }
        };
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("slow", slow))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).listener(events::add).build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state("a") == ComponentState.ACTIVE);

        AtomicReference<Thread> restarter = new AtomicReference<>();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            restarter.set(Thread.currentThread());
            engine.restart("a");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> restarter.get() != null
                && restarter.get().getState() != Thread.State.RUNNABLE);
        assertThat(restart).as("the restart waits for the setup").isNotDone();
        assertThat(a.shutdowns).hasValue(0);

        gate.countDown();
        setup.get(10, TimeUnit.SECONDS);
        restart.get(10, TimeUnit.SECONDS);
        assertThat(a.setups).hasValue(2);
        assertThat(a.shutdowns).hasValue(1);
        assertThat(slow.setups).hasValue(1);
        assertThat(engine.isActive()).isTrue();
        engine.shutdown();
        assertThat(a.violations).isEmpty();
        assertThat(slow.violations).isEmpty();
    }

    @Test
    void restartRequestedWhileASetupIsUnderWayIsRefusedWhenTheSetupFails() throws Exception {
        Probe a = new Probe("a");
        Probe broken = new Probe("broken");
        CountDownLatch gate = new CountDownLatch(1);
        broken.onSetup = (p, n) -> {
            gate.await();
            throw new IllegalStateException("broken");
        };
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("broken", broken))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state("a") == ComponentState.ACTIVE);
        AtomicReference<Thread> restarter = new AtomicReference<>();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            restarter.set(Thread.currentThread());
            engine.restart("a");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> restarter.get() != null
                && restarter.get().getState() != Thread.State.RUNNABLE);
        gate.countDown();
        assertThatThrownBy(() -> setup.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> restart.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(a.setups).hasValue(1);
        assertThat(a.shutdowns).hasValue(1);
        assertThat(a.violations).isEmpty();
    }

    @Test
    void restartFromInsideAComponentIsRefused() throws Exception {
        AtomicReference<LifecycleEngine> engineRef = new AtomicReference<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Probe a = new Probe("a");
        Probe b = new Probe("b");
        b.onShutdown = (p, n) -> {
            try {
                engineRef.get().restart("a");
            } catch (Throwable e) {
                refused.set(e);
            }
        };
        ComponentGraph graph = ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("b", b).dependsOn("a"))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).build();
        engineRef.set(engine);
        engine.setup();
        engine.shutdown();
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class);
        assertThat(a.setups).hasValue(1);
    }
}
