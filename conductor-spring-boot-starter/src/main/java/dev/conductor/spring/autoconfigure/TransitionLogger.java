package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.core.SetupCancelledException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs every component transition at DEBUG, a failed attempt that will be retried at WARN with its cause and the
 * delay before the next attempt, failures at WARN with their cause, and the steps of a restart at INFO. A restart
 * that the application's orderly shutdown cancels, and the setups of that restart it ends, are no failures: they
 * are logged at INFO, without a stack trace.
 */
final class TransitionLogger implements LifecycleListener {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    /** Whether the running application's orderly shutdown has begun: a setup failing now is a restart's, ended by it. */
    private volatile boolean stopping;

    /** The running application begins (or, for a paused context that is set up again, has ended) its shutdown. */
    void stopping(boolean stopping) {
        this.stopping = stopping;
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        if (stopping && event.kind() == LifecycleEvent.Kind.RESTART_FAILED
                && event.failure() instanceof SetupCancelledException cancelled && !cancelled.isInterrupted()) {
            logger.info("Conductor: restart of '" + event.component() + "' cancelled by the shutdown");
        }
        else if (stopping && event.kind() == LifecycleEvent.Kind.SETUP_FAILED) {
            // A real failure that came first still fails the restart: its RESTART_FAILED is logged at WARN.
            logger.info("Conductor: component '" + event.component() + "' did not finish its setup for the restart:"
                    + " cancelled by the shutdown after " + event.duration().toMillis() + " ms ("
                    + describe(event.failure()) + ")");
        }
        else if (event.kind() == LifecycleEvent.Kind.SETUP_RETRYING) {
            logger.warn("Conductor: component '" + event.component() + "' failed attempt " + event.attempt()
                    + " at its setup after " + event.duration().toMillis() + " ms (" + describe(event.failure())
                    + "); attempt " + (event.attempt() + 1) + " in " + event.retryDelay().toMillis() + " ms");
        }
        else if (event.kind().isFailure()) {
            logger.warn("Conductor: component '" + event.component() + "' " + describe(event.kind()) + " after "
                    + event.duration().toMillis() + " ms", event.failure());
        }
        else if (event.kind().isSupervision()) {
            logger.info("Conductor: component '" + event.component() + "' " + describe(event.kind()));
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Conductor: component '" + event.component() + "' " + describe(event.kind())
                    + (event.attempt() > 1 ? " (attempt " + event.attempt() + ")" : "")
                    + (event.kind().name().endsWith("STARTED") ? "" : " in " + event.duration().toMillis() + " ms"));
        }
    }

    /** The failure in one line; its stack trace follows once, with the failure that ends the setup. */
    private static String describe(Throwable failure) {
        return failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static String describe(LifecycleEvent.Kind kind) {
        return switch (kind) {
            case SETUP_STARTED -> "setting up";
            case SETUP_FINISHED -> "set up";
            case SETUP_FAILED -> "failed to set up";
            case SETUP_RETRYING -> "failed an attempt at its setup, retrying";
            case SHUTDOWN_STARTED -> "shutting down";
            case SHUTDOWN_FINISHED -> "shut down";
            case SHUTDOWN_FAILED -> "failed to shut down";
            case RUNTIME_FAILURE -> "failed while running";
            case RESTART_REQUESTED -> "restarting with its dependents";
            case RESTART_SHUT_DOWN -> "shut down with its dependents for the restart";
            case RESTART_FINISHED -> "restarted with its dependents";
            case RESTART_FAILED -> "failed to restart";
            case ESCALATED -> "escalated its failure: shutting everything down";
        };
    }
}
