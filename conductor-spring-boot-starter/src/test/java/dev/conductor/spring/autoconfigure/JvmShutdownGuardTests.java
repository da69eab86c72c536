package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the guard's JVM shutdown hook does, called directly (the real hook, on SIGTERM and {@code System.exit()},
 * is drilled in a child JVM by {@code ProcessDrillTests}).
 */
class JvmShutdownGuardTests {

    private final JvmShutdownGuard guard = new JvmShutdownGuard();

    @Test
    void jvmShutdownInterruptsTheSetupAndReturnsOnlyOnceTheSetupHasRolledBack() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicBoolean rolledBack = new AtomicBoolean();
        AtomicBoolean interruptLeaked = new AtomicBoolean(true);
        Thread setup = new Thread(() -> {
            try {
                guard.runSetup(() -> {
                    blocked.countDown();
                    try {
                        new CountDownLatch(1).await();
                    }
                    catch (InterruptedException ex) {
                        rolledBack.set(true); // where the engine shuts down what became active
                        Thread.currentThread().interrupt(); // as the engine leaves it
                        throw new IllegalStateException("cancelled", ex);
                    }
                });
            }
            catch (IllegalStateException expected) {
                interruptLeaked.set(Thread.currentThread().isInterrupted());
            }
        });
        setup.start();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        guard.onJvmShutdown();

        assertThat(rolledBack).as("the hook returned after the rollback").isTrue();
        setup.join(10_000);
        assertThat(interruptLeaked).as("the guard's interrupt is cleared once the setup is left").isFalse();
    }

    @Test
    void jvmShutdownWithNoSetupRunningReturnsAtOnceAndALaterSetupStillRuns() {
        guard.onJvmShutdown();

        AtomicBoolean ran = new AtomicBoolean();
        guard.runSetup(() -> ran.set(true));
        assertThat(ran).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aSetupThatIsNotCancelledKeepsAnInterruptThatIsNotTheGuards() {
        try {
            guard.runSetup(() -> Thread.currentThread().interrupt());
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally {
            Thread.interrupted();
        }
    }
}
