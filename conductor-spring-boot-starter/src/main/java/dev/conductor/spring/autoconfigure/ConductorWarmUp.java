package dev.conductor.spring.autoconfigure;

import dev.conductor.core.EarlySetup;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Loads and links what the first component's setup needs, on a thread of its own while the context goes on with its
 * refresh: the engine's classes ({@link EarlySetup#warmUp()}) and the starter's own that hand a component over. On a
 * cold JVM they took a few hundred milliseconds between a component's bean and the start of its setup. Started once
 * per JVM, by the first context that has a component, and only with more than one CPU: with one it would take turns
 * with the refresh and gain nothing. It changes no state: a context that never sets a component up loses nothing
 * but the thread's work.
 */
final class ConductorWarmUp {

    private static final Log logger = LogFactory.getLog(ConductorWarmUp.class);

    private static final AtomicBoolean started = new AtomicBoolean();

    /** The starter's classes that a component's hand-over and the lifecycle's listeners use. */
    private static final List<Class<?>> STARTER_CLASSES = List.of(ComponentRunner.class, ComponentBeans.class,
            ComponentTimeouts.class, ComponentMethods.class, RetryPolicies.class, BeanMethodComponent.class,
            TransitionLogger.class, ContextEvents.class, JvmShutdownGuard.class, EscalationHandler.class,
            LeaderOnlyBeans.class, EarlyFailures.class, SupervisionPolicies.class, RestartReadiness.class,
            LifecycleComponentFailures.class, LifecycleLeadership.class, ObservedSetup.class);

    private ConductorWarmUp() {
    }

    /** Starts the warm-up unless it was started before in this JVM or there is a single CPU; whether it started. */
    static boolean startOnce() {
        if (Runtime.getRuntime().availableProcessors() < 2 || !started.compareAndSet(false, true)) {
            return false;
        }
        Thread thread = new Thread(ConductorWarmUp::run, "conductor-warm-up");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Whether a warm-up was started in this JVM (for tests). */
    static boolean wasStarted() {
        return started.get();
    }

    private static void run() {
        try {
            EarlySetup.warmUp();
            for (Class<?> type : STARTER_CLASSES) {
                Class.forName(type.getName(), true, type.getClassLoader());
            }
        }
        catch (Throwable ex) {
            // nothing depends on it: the first setup loads what it needs itself
            if (logger.isDebugEnabled()) {
                logger.debug("Conductor: warm-up failed, without consequence", ex);
            }
        }
    }
}
