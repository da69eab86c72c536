package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.ComponentState;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.StartupReport;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Many run()s on one Conductor with a random fault each: each run's outcome is its own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RepeatedRunsBlackBoxTest {

    static final class Base extends Probe {
        Base() {
            super("Base");
        }
    }

    static final class Mid extends Probe {
        Base base;

        Mid() {
            super("Mid");
        }
    }

    static final class Top extends Probe {
        Mid mid;

        Top() {
            super("Top");
        }
    }

    static final class Side extends Probe {
        Base base;

        Side() {
            super("Side");
        }
    }

    @Test
    void manyRunsWithRandomFaults() {
        long seed = Long.getLong("blackbox.seed", System.nanoTime());
        Random random = new Random(seed);
        Faults faults = new Faults();
        CapturingDelays delays = new CapturingDelays(true);
        List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        Conductor conductor = Conductor.builder()
                .faults(faults)
                .delays(delays)
                .listener(events::add)
                .shutdownTimeout(Duration.ofMillis(300))
                .setupRetry(Mid.class, RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(1)).build())
                .supervision(Base.class, SupervisionPolicy.restart(2, Duration.ofMinutes(1), RetryPolicy.none()))
                .supervision(Top.class, SupervisionPolicy.escalate())
                .build();
        Base base = conductor.add(new Base());
        Mid mid = conductor.add(new Mid());
        Top top = conductor.add(new Top());
        Side side = conductor.add(new Side());
        List<Probe> all = List.of(base, mid, top, side);

        for (int run = 0; run < 14; run++) {
            int kind = run < 6 ? run : random.nextInt(6);
            String what = "run " + run + " kind " + kind + " seed " + seed;
            delays.now += TimeUnit.MINUTES.toNanos(2);   // each run in a restart window of its own
            events.clear();
            AtomicBoolean taskRan = new AtomicBoolean();
            Throwable outcome;
            switch (kind) {
                case 0 -> outcome = catchThrowable(() -> conductor.run(() -> taskRan.set(true)));
                case 1 -> {
                    faults.failNextSetups(Mid.class, 2, () -> new ConnectException("refused"));
                    outcome = catchThrowable(() -> conductor.run(() -> taskRan.set(true)));
                }
                case 2 -> {
                    faults.failNextSetups(Mid.class, 3, () -> new ConnectException("refused"));
                    outcome = catchThrowable(() -> conductor.run(() -> taskRan.set(true)));
                }
                case 3 -> outcome = catchThrowable(() -> conductor.run(() -> {
                    taskRan.set(true);
                    faults.failWhileRunning(Top.class, new IllegalStateException("top broke"));
                    try {
                        new CountDownLatch(1).await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException expected) {
                        // the escalation
                    }
                }));
                case 4 -> outcome = catchThrowable(() -> conductor.run(() -> {
                    taskRan.set(true);
                    faults.failWhileRunning(Base.class, new IllegalStateException("base broke"));
                    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                            .anyMatch(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED)
                            && conductor.report().component("Top").state() == ComponentState.ACTIVE);
                }));
                default -> {
                    faults.slowSetup(Side.class, Duration.ofMillis(20));
                    faults.hangShutdown(Top.class);
                    outcome = catchThrowable(() -> conductor.run(() -> taskRan.set(true)));
                    faults.release();
                    // the hang was interrupted at Top's shutdown timeout: its own shutdown never ran, as promised
                    // for a failed shutdown, and it is set up again at the next run
                    await().atMost(Duration.ofSeconds(10)).until(() -> top.callsInFlight.get() == 0);
                    top.setUp = false;
                }
            }
            faults.clear();
            assertThat(Thread.interrupted()).as(what + ": interrupt left behind").isFalse();
            switch (kind) {
                case 0, 1, 4 -> {
                    assertThat(outcome).as(what).isNull();
                    assertThat(taskRan).as(what).isTrue();
                }
                case 2 -> {
                    assertThat(outcome).as(what).isInstanceOf(ComponentSetupException.class);
                    assertThat(taskRan).as(what).isFalse();
                }
                case 3 -> {
                    assertThat(outcome).as(what).isInstanceOf(ComponentFailedException.class);
                    assertThat(((ComponentFailedException) outcome).getComponent()).isEqualTo("Top");
                }
                default -> {
                    assertThat(outcome).as(what).isInstanceOf(ComponentShutdownException.class);
                    assertThat(((ComponentShutdownException) outcome).getFailures()).containsOnlyKeys("Top");
                }
            }
            await(what + ": everything down").atMost(Duration.ofSeconds(10))
                    .until(() -> all.stream().noneMatch(p -> p.setUp || p.callsInFlight.get() > 0));
            StartupReport report = conductor.report();
            for (Probe probe : all) {
                assertThat(report.component(probe.name).state()).as(what + " " + probe.name)
                        .isNotIn(ComponentState.ACTIVE, ComponentState.SETTING_UP);
                assertThat(probe.violations).as(what).isEmpty();
            }
        }
        for (Probe probe : all) {
            assertThat(probe.shutdowns.get() + (probe == top ? 0 : 0)).as(probe.name)
                    .isLessThanOrEqualTo(probe.successfulSetups.get());
        }
    }
}
