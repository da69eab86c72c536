package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;

/**
 * Cancels a setup that is still running when the JVM begins to shut down (SIGTERM, or {@code System.exit()} from
 * anywhere, including a component), and holds the JVM until that setup has rolled back.
 *
 * <p>Spring's own shutdown hook cannot be relied on for this. The components set up inside the context's
 * {@code refresh()}, and {@code AbstractApplicationContext.close()} called from a shutdown hook during
 * {@code refresh()} waits for the startup thread; it interrupts that thread when it is {@code WAITING} and, if it
 * is still {@code WAITING} 10 ms later, takes it for stuck and returns without closing anything. The JVM then
 * exits under the setups in flight and nothing that became active is ever shut down. So while a setup runs, this
 * guard is a JVM shutdown hook of its own: it interrupts the thread running the setup (Conductor's engine then
 * interrupts the setups in flight and shuts down, in reverse order, every component that became active) and
 * returns only once that thread has left the setup. The JVM cannot halt before its shutdown hooks return, so
 * the rollback completes within the components' own timeouts whatever Spring's close did. A setup asked for once
 * the JVM is shutting down does not start.
 */
final class JvmShutdownGuard implements LifecycleListener {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition setupLeft = lock.newCondition();

    /**
     * The threads running a setup: one, unless a component calls {@code start()} again from inside its own setup
     * (the engine refuses that call). Guarded by {@link #lock}.
     */
    private final List<Thread> settingUp = new ArrayList<>();

    /** The threads this guard interrupted, until each has left its setup. Guarded by {@link #lock}. */
    private final List<Thread> interrupted = new ArrayList<>();

    /** What happened during the current setup, for the log line of a cancelled one. Guarded by itself. */
    private final List<String> setupFailed = new ArrayList<>();

    private final List<String> shutDown = new ArrayList<>();

    /** Whether a setup is running, so that the events of its rollback are recorded (and no others). */
    private volatile boolean recording;

    /** The hook in place while components set up early, before {@link #runSetup} takes over; guarded by lock. */
    private @Nullable Thread earlyHook;

    /** The Spring Boot shutdown handler that waits for {@link #earlyHook}; guarded by lock. */
    private @Nullable Runnable earlyHandler;

    private static @Nullable Runnable addBootShutdownHandler(Runnable handler) {
        try {
            SpringApplication.getShutdownHandlers().add(handler);
            return handler;
        }
        catch (IllegalStateException shuttingDown) {
            return null; // Spring Boot's hook is already running
        }
    }

    private static void awaitGuard(CountDownLatch done) {
        try {
            // bounded: the guard's rollback is itself bounded by the components' shutdown timeouts
            if (!done.await(2, TimeUnit.MINUTES)) {
                logger.warn("Conductor: the shutdown of the components set up early is still running; the logging"
                        + " system stops now");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Guards the components started early, while the context is still being created: when the JVM begins to shut
     * down, {@code cancel} runs on the shutdown hook (it cancels the setups, rolls back what became active, and
     * returns once that is done), and the JVM waits for it.
     */
    void guardEarly(Runnable cancel) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                logger.warn("Conductor: the JVM is shutting down while the components set up (early, during the"
                        + " refresh); cancelling the setup and shutting down the components that are already"
                        + " active");
                cancel.run();
                logCancelled();
            }
            finally {
                done.countDown();
            }
        }, "conductor-early-setup-guard");
        // Spring Boot's own shutdown hook stops the logging system once it has closed the context, concurrently
        // with this hook: a handler of its own, which it runs before the logging system's (in reverse order of
        // registration), waits for this hook, so that what it logs is not lost.
        Runnable waitForGuard = () -> awaitGuard(done);
        lock.lock();
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            earlyHook = hook;
            earlyHandler = addBootShutdownHandler(waitForGuard);
            synchronized (shutDown) {
                setupFailed.clear();
                shutDown.clear();
            }
            recording = true;
        }
        catch (IllegalStateException shuttingDown) {
            throw new ConductorException("The JVM is shutting down: Conductor does not set up the components",
                    shuttingDown);
        }
        finally {
            lock.unlock();
        }
    }

    /** Ends the guard of {@link #guardEarly}, if any: from a setup under {@link #runSetup}, or a failed refresh. */
    void endEarly() {
        Thread hook;
        Runnable handler;
        lock.lock();
        try {
            hook = earlyHook;
            earlyHook = null;
            handler = earlyHandler;
            earlyHandler = null;
        }
        finally {
            lock.unlock();
        }
        if (handler != null) {
            try {
                SpringApplication.getShutdownHandlers().remove(handler);
            }
            catch (IllegalStateException shuttingDown) {
                // Spring Boot's hook is running: the handler waits for the guard, which is bounded
            }
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException shuttingDown) {
                // the hook is running, or the JVM is shutting down anyway
            }
        }
    }

    /**
     * Runs {@code setup} on the calling thread with the guard in place.
     *
     * @throws ConductorException without running the setup, when the JVM is already shutting down
     */
    void runSetup(Runnable setup) {
        Thread hook = new Thread(this::onJvmShutdown, "conductor-setup-guard");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            throw new ConductorException("The JVM is shutting down: Conductor does not set up the components",
                    shuttingDown);
        }
        lock.lock();
        try {
            if (settingUp.isEmpty() && earlyHook == null) {
                synchronized (shutDown) {
                    setupFailed.clear();
                    shutDown.clear();
                }
                recording = true;
            }
            settingUp.add(Thread.currentThread());
        }
        finally {
            lock.unlock();
        }
        try {
            setup.run();
        }
        finally {
            left(hook);
        }
    }

    private void left(Thread hook) {
        Thread current = Thread.currentThread();
        lock.lock();
        try {
            settingUp.remove(current);
            if (settingUp.isEmpty()) {
                recording = false;
            }
            if (interrupted.remove(current)) {
                // The interrupt was ours and has done its job; it must not leak into the rest of the refresh
                Thread.interrupted();
                logCancelled();
            }
            setupLeft.signalAll();
        }
        finally {
            lock.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            // the hook is running, or the JVM is shutting down anyway
        }
    }

    /** What the JVM shutdown hook runs; package-private for tests. */
    void onJvmShutdown() {
        lock.lock();
        try {
            List<Thread> cancelled = new ArrayList<>();
            for (Thread thread : settingUp) {
                // A setup whose own thread called System.exit() waits for this hook: leave it alone
                if (!interrupted.contains(thread) && !isExiting(thread)) {
                    cancelled.add(thread);
                }
            }
            if (cancelled.isEmpty()) {
                return;
            }
            logger.warn("Conductor: the JVM is shutting down while the components set up; cancelling the setup"
                    + " and shutting down the components that are already active");
            interrupted.addAll(cancelled);
            cancelled.forEach(Thread::interrupt);
            // Bounded by the components' own timeouts: the engine interrupts the setups in flight, gives up on any
            // that passes its timeout, and so does the rollback with each shutdown.
            while (cancelled.stream().anyMatch(settingUp::contains)) {
                setupLeft.awaitUninterruptibly();
            }
        }
        finally {
            lock.unlock();
        }
    }

    private static boolean isExiting(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("exit") && (frame.getClassName().equals("java.lang.Shutdown")
                    || frame.getClassName().equals("java.lang.Runtime"))) {
                return true;
            }
        }
        return false;
    }

    private void logCancelled() {
        synchronized (shutDown) {
            logger.warn("Conductor: setup cancelled because the JVM is shutting down. "
                    + (setupFailed.isEmpty() ? "" : "Setup interrupted or failed: " + String.join(", ", setupFailed)
                            + ". ")
                    + (shutDown.isEmpty() ? "No component was active."
                            : "Shut down again, in this order: " + String.join(", ", shutDown) + "."));
        }
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        if (!recording) {
            return;
        }
        switch (event.kind()) {
            case SETUP_FAILED -> record(setupFailed, event.component());
            case SHUTDOWN_FINISHED -> record(shutDown, event.component());
            case SHUTDOWN_FAILED -> record(shutDown, event.component() + " (failed: " + event.failure() + ")");
            default -> {
            }
        }
    }

    private void record(List<String> list, String entry) {
        synchronized (shutDown) {
            list.add(entry);
        }
    }
}
