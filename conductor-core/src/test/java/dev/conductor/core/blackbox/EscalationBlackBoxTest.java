package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentFailedException;
import dev.conductor.core.ComponentState;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Issue 21 item 3: an escalation ends only the run it happened in, and interrupts nobody afterwards. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EscalationBlackBoxTest {

    static final class Base extends Probe {
        Base() {
            super("Base");
        }
    }

    static final class Top extends Probe {
        Base base;

        Top() {
            super("Top");
        }
    }

    private final Faults faults = new Faults();
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final Base base = new Base();
    private final Top top = new Top();
    private Conductor conductor;

    private Conductor conductor(SupervisionPolicy policy) {
        conductor = Conductor.builder().supervision(policy).faults(faults).listener(events::add)
                .shutdownTimeout(Duration.ofSeconds(5)).build();
        conductor.add(base);
        conductor.add(top);
        return conductor;
    }

    @AfterEach
    void close() {
        Thread.interrupted();
        if (conductor != null) {
            conductor.close();
        }
    }

    private long escalations() {
        return events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.ESCALATED).count();
    }

    private ComponentFailedException escalatingRun() {
        AtomicBoolean interrupted = new AtomicBoolean();
        ComponentFailedException failure = catchThrowableOfType(ComponentFailedException.class, () -> conductor.run(() -> {
            faults.failWhileRunning(Base.class, new IllegalStateException("broker gone"));
            try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }));
        assertThat(interrupted).as("the task's thread is interrupted by the escalation").isTrue();
        assertThat(Thread.interrupted()).as("run() does not leave the interrupt set").isFalse();
        return failure;
    }

    @Test
    void laterRunsAfterAnEscalatedRunStartAfresh() {
        conductor(SupervisionPolicy.escalate());
        ComponentFailedException failure = escalatingRun();
        assertThat(failure).isNotNull();
        assertThat(failure.getComponent()).isEqualTo("Base");

        for (int i = 0; i < 3; i++) {
            AtomicBoolean ran = new AtomicBoolean();
            assertThatCode(() -> conductor.run(() -> ran.set(true))).as("run %d after the escalation", i)
                    .doesNotThrowAnyException();
            assertThat(ran).isTrue();
        }
        assertThat(base.setups).hasValue(4);
        assertThat(base.shutdowns).hasValue(4);
        assertThat(top.violations).isEmpty();
        assertThat(base.violations).isEmpty();
    }

    @Test
    void escalationAfterRunReturnedDoesNotInterruptTheCallersThread() throws Exception {
        conductor(SupervisionPolicy.escalate());
        conductor.run(() -> { });
        assertThat(Thread.interrupted()).isFalse();

        // set up outside any run, then escalate while this thread waits for something else
        conductor.setup();
        CountDownLatch baseDown = new CountDownLatch(1);
        base.onShutdown = (p, n) -> baseDown.countDown();
        CompletableFuture.runAsync(() -> faults.failWhileRunning(Base.class, new IllegalStateException("late")));
        assertThatCode(() -> assertThat(baseDown.await(10, TimeUnit.SECONDS)).isTrue())
                .as("this thread's wait is not interrupted by the escalation").doesNotThrowAnyException();
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> conductor.report().component("Base").state() == ComponentState.STOPPED);
        // give a stray interrupt a chance to arrive while this thread blocks
        assertThatCode(() -> new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS)).doesNotThrowAnyException();
        assertThat(Thread.interrupted()).as("no interrupt arrived after run() returned").isFalse();

        // and a later run still works
        AtomicBoolean ran = new AtomicBoolean();
        conductor.run(() -> ran.set(true));
        assertThat(ran).isTrue();
    }

    @Test
    void escalationInARunDoesNotInterruptTheThreadAfterTheNextRunReturned() throws Exception {
        conductor(SupervisionPolicy.escalate());
        assertThat(escalatingRun()).isNotNull();
        conductor.run(() -> { });
        conductor.setup();
        CountDownLatch baseDown = new CountDownLatch(1);
        base.onShutdown = (p, n) -> baseDown.countDown();
        CompletableFuture.runAsync(() -> faults.failWhileRunning(Top.class, new IllegalStateException("later")));
        assertThatCode(() -> assertThat(baseDown.await(10, TimeUnit.SECONDS)).isTrue()).doesNotThrowAnyException();
        await().atMost(Duration.ofSeconds(10)).until(() -> escalations() == 2);
        assertThatCode(() -> new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS)).doesNotThrowAnyException();
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void serveAfterAnEscalatedServeStartsAfresh() throws Exception {
        conductor(SupervisionPolicy.escalate());
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                conductor.serve();
            } catch (Throwable e) {
                first.set(e);
            }
        });
        serving.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> top.setUp);
        faults.failWhileRunning(Base.class, new IllegalStateException("gone"));
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(first.get()).isInstanceOf(ComponentFailedException.class);

        AtomicReference<Throwable> second = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread servingAgain = new Thread(() -> {
            try {
                conductor.serve();
                interruptKept.set(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                second.set(e);
            }
        });
        servingAgain.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> base.setups.get() == 2 && top.setUp);
        servingAgain.interrupt();
        servingAgain.join(10_000);
        assertThat(servingAgain.isAlive()).isFalse();
        assertThat(second.get()).as("the second serve does not end with the old escalation").isNull();
        assertThat(interruptKept).isTrue();
        assertThat(base.shutdowns).hasValue(2);
        assertThat(base.violations).isEmpty();
        assertThat(top.violations).isEmpty();
    }

    @Test
    void runAfterAnEscalatedServeStartsAfresh() throws Exception {
        conductor(SupervisionPolicy.escalate());
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                conductor.serve();
            } catch (Throwable e) {
                first.set(e);
            }
        });
        serving.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> top.setUp);
        faults.failWhileRunning(Top.class, new IllegalStateException("gone"));
        serving.join(10_000);
        assertThat(first.get()).isInstanceOf(ComponentFailedException.class);
        AtomicBoolean ran = new AtomicBoolean();
        assertThatCode(() -> conductor.run(() -> ran.set(true))).doesNotThrowAnyException();
        assertThat(ran).isTrue();
        assertThat(Thread.interrupted()).isFalse();
    }
}
