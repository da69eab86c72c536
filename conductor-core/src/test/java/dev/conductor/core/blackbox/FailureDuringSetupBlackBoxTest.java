package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A component that is already ACTIVE reports a failure while another component's setup is still under way (a
 * database up while the broker still retries). LifecycleEngine.reportFailure ignores only reports "for a
 * component that is not active"; the README says a restart by supervision requested while a setup is under way
 * waits for it and then runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureDuringSetupBlackBoxTest {

    @Test
    void withPolicyNoneTheFailureIsRecordedAsUnrecovered() throws Exception {
        Probe a = new Probe("a");
        Probe slow = new Probe("slow");
        CountDownLatch gate = new CountDownLatch(1);
        slow.onSetup = (p, n) -> gate.await();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add(ComponentDefinition.of("a", a))
                .add(ComponentDefinition.of("slow", slow)).build()).build();
        CompletableFuture<Void> setup = CompletableFuture.runAsync(engine::setup);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.state("a") == ComponentState.ACTIVE);
        IllegalStateException cause = new IllegalStateException("a broke while slow set up");
        engine.failureReporter("a").failed(cause);
        gate.countDown();
        setup.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.report().component("a").runtimeFailure() != null);
        assertThat(engine.report().component("a").unrecoveredFailure()).isSameAs(cause);
        engine.shutdown();
    }

    static final class Up extends Probe {
        Up() {
            super("Up");
        }
    }

    static final class Slow extends Probe {
        static final CountDownLatch GATE = new CountDownLatch(1);

        Slow() {
            super("Slow");
            onSetup = (p, n) -> GATE.await();
        }
    }

    @Test
    void withPolicyEscalateTheRunEndsWithTheFailure() {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().supervision(SupervisionPolicy.escalate()).faults(faults).build();
        Up up = conductor.add(new Up());
        conductor.add(new Slow());
        CountDownLatch taskDone = new CountDownLatch(1);
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> catchThrowable(() -> conductor.run(() -> {
            try {
                taskDone.await(5, TimeUnit.SECONDS);   // ends early when the escalation interrupts it
            } catch (InterruptedException expected) {
                // escalated
            }
        })));
        await().atMost(Duration.ofSeconds(10)).until(() -> conductor.report().component("Up").state() == ComponentState.ACTIVE);
        faults.failWhileRunning(Up.class, new IllegalStateException("up broke during the setup"));
        Slow.GATE.countDown();
        Throwable outcome = run.join();
        assertThat(outcome).as("the run ends with the escalated failure").isInstanceOf(ComponentFailedException.class);
    }
}
