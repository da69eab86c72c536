package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentGraphException;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ConductorException;
import dev.conductor.core.SetupCancelledException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed because of a component: which one, its dependency path, the cause, and what to
 * do.
 */
class ConductorFailureAnalyzer extends AbstractFailureAnalyzer<ConductorException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConductorException cause) {
        if (cause instanceof ComponentSetupException setup) {
            return setupFailed(setup);
        }
        if (cause instanceof SetupCancelledException cancelled) {
            return setupCancelled(cancelled);
        }
        if (cause instanceof ComponentGraphException graph && !graph.getCycle().isEmpty()) {
            return new FailureAnalysis("The dependencies of the application's components form a cycle:"
                    + System.lineSeparator() + System.lineSeparator() + "    "
                    + String.join(" -> ", graph.getCycle()) + " -> " + graph.getCycle().get(0)
                    + System.lineSeparator(),
                    "Break the cycle: remove one of these dependencies, or split a component. A dependency"
                            + " injected through a field or a setter counts as much as one through the constructor.",
                    cause);
        }
        if (cause instanceof InvalidComponentException invalid) {
            return new FailureAnalysis(invalid.getMessage().replace(" " + invalid.getAction(), ""),
                    invalid.getAction(), cause);
        }
        return new FailureAnalysis("Conductor could not run the application's components: " + cause.getMessage(),
                "Correct the components as the message above says.", cause);
    }

    private static FailureAnalysis setupFailed(ComponentSetupException setup) {
        Throwable reason = setup.getCause();
        StringBuilder description = new StringBuilder("Component '").append(setup.getComponent()).append("' ")
                .append(setup.isTimeout() ? "did not finish its setup in time." : "failed to set up.")
                .append(System.lineSeparator()).append(System.lineSeparator())
                .append("    Dependency path: ").append(String.join(" -> ", setup.getDependencyPath()))
                .append(System.lineSeparator())
                .append("    Cause: ").append(describe(reason, setup.isTimeout()))
                .append(System.lineSeparator()).append(System.lineSeparator())
                .append("The components that were already active were shut down again.");
        String action = setup.isTimeout()
                ? "Make the setup of '" + setup.getComponent() + "' finish sooner, or give it more time with"
                        + " @ConductorComponent(setupTimeout = \"...\") or the conductor.setup-timeout property."
                : "Fix the cause of the failed setup of '" + setup.getComponent() + "' shown above.";
        return new FailureAnalysis(description.toString(), action, setup);
    }

    private static FailureAnalysis setupCancelled(SetupCancelledException cancelled) {
        String description = "The setup of the components was cancelled before it completed: "
                + (cancelled.isInterrupted() ? "the thread starting the application was interrupted."
                        : "the components were shut down meanwhile.")
                + System.lineSeparator() + System.lineSeparator()
                + (cancelled.getRolledBack().isEmpty() ? "No component had become active."
                        : "The components already active were shut down again: "
                                + String.join(", ", cancelled.getRolledBack()) + ".");
        String action = "Nothing to correct if the application was being stopped while it started (SIGTERM,"
                + " System.exit(), a close of the context). Otherwise find out what "
                + (cancelled.isInterrupted() ? "interrupted the thread that starts the application."
                        : "shut the components down while they were setting up.");
        return new FailureAnalysis(description, action, cancelled);
    }

    private static String describe(Throwable reason, boolean timeout) {
        if (reason == null) {
            return "unknown";
        }
        if (timeout) {
            return reason.getMessage();
        }
        return reason.getClass().getName() + (reason.getMessage() == null ? "" : ": " + reason.getMessage());
    }
}
