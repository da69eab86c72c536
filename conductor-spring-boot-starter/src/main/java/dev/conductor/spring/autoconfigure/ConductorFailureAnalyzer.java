package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentGraphException;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.ConductorException;
import dev.conductor.core.SetupDeadlineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import dev.conductor.core.SetupCancelledException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed because of a component: which one, its dependency path, the cause, and what to
 * do.
 */
class ConductorFailureAnalyzer extends AbstractFailureAnalyzer<ConductorException> {

    /**
     * The failure, or else the failure of a setup that began early and interrupted the bean the context was
     * creating, which then failed the refresh with its own exception.
     */
    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = super.analyze(failure);
        ConductorException early = EarlyFailures.take();
        if (analysis == null && early != null) {
            return analyze(failure, early);
        }
        return analysis;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConductorException cause) {
        if (cause instanceof ComponentSetupException setup) {
            return setup.getAttempts() > 1 ? retriesExhausted(setup) : setupFailed(setup);
        }
        if (cause instanceof SetupDeadlineException deadline) {
            return deadlinePassed(deadline);
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

    private static FailureAnalysis retriesExhausted(ComponentSetupException setup) {
        String nl = System.lineSeparator();
        StringBuilder description = new StringBuilder("Component '").append(setup.getComponent()).append("' ")
                .append(setup.isTimeout() ? "did not finish its setup in time" : "failed to set up")
                .append(" after ").append(setup.getAttempts()).append(" attempts over ")
                .append(seconds(setup.getElapsed())).append('.').append(nl).append(nl)
                .append("    Dependency path: ").append(String.join(" -> ", setup.getDependencyPath())).append(nl)
                .append("    Cause: ").append(describe(setup.getCause(), setup.isTimeout())).append(nl);
        List<Throwable> earlier = earlierAttempts(setup);
        int shown = Math.min(earlier.size(), 5);
        for (int i = 0; i < shown; i++) {
            description.append("    Attempt ").append(i + 1).append(": ")
                    .append(describe(earlier.get(i), false)).append(nl);
        }
        if (earlier.size() > shown) {
            description.append("    (and ").append(earlier.size() - shown).append(" more earlier attempts)").append(nl);
        }
        description.append(nl).append("The components that were already active were shut down again.");
        String action = "Fix what the setup of '" + setup.getComponent() + "' needs (the causes above), or let it"
                + " try for longer: raise conductor.setup-retry.max-retries or conductor.setup-retry.delay (or"
                + " @ConductorComponent(setupRetry = @SetupRetry(...)) for this component alone)"
                + (setup.isTimeout() ? ", or give each attempt more time with conductor.setup-timeout" : "") + ".";
        return new FailureAnalysis(description.toString(), action, setup);
    }

    /** The failures of the attempts before the last, first first, as the engine attaches them. */
    private static List<Throwable> earlierAttempts(ComponentSetupException setup) {
        List<Throwable> earlier = new ArrayList<>();
        for (Throwable suppressed : setup.getSuppressed()) {
            if (suppressed instanceof ConductorException && suppressed.getCause() != null
                    && String.valueOf(suppressed.getMessage()).startsWith("Attempt ")) {
                earlier.add(suppressed.getCause());
            }
        }
        return earlier;
    }

    private static final String SETUP_OF = "Setup of component '";

    private static FailureAnalysis deadlinePassed(SetupDeadlineException deadline) {
        String nl = System.lineSeparator();
        StringBuilder description = new StringBuilder("The components did not finish their setup within the setup")
                .append(" deadline of ").append(seconds(deadline.getDeadline())).append('.').append(nl).append(nl)
                .append("    Still setting up: ").append(names(deadline.getInProgress())).append(nl)
                .append("    Still waiting for their dependencies: ").append(names(deadline.getWaiting())).append(nl);
        Map<String, Throwable> causes = new HashMap<>();
        for (Throwable suppressed : deadline.getSuppressed()) {
            String message = String.valueOf(suppressed.getMessage());
            if (suppressed instanceof ConductorException && suppressed.getCause() != null
                    && message.startsWith(SETUP_OF) && message.indexOf('\'', SETUP_OF.length()) > 0) {
                causes.put(message.substring(SETUP_OF.length(), message.indexOf('\'', SETUP_OF.length())),
                        suppressed.getCause());
            }
        }
        for (String component : deadline.getInProgress()) { // in the order the report lists them
            Throwable reason = causes.get(component);
            if (reason != null) {
                description.append("    ").append(component).append(": ")
                        .append(describe(reason, reason instanceof TimeoutException)).append(nl);
            }
        }
        description.append(nl).append("The components that were already active were shut down again.");
        String action = "Make the setup of " + names(deadline.getInProgress()) + " finish sooner, or raise"
                + " conductor.setup-deadline (now " + RetryPolicies.shown(deadline.getDeadline()) + ").";
        return new FailureAnalysis(description.toString(), action, deadline);
    }

    private static String names(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        int shown = Math.min(names.size(), 20);
        return String.join(", ", names.subList(0, shown))
                + (names.size() > shown ? ", and " + (names.size() - shown) + " more" : "");
    }

    /** {@code 850 ms}, {@code 2.5 s}, {@code 31 s}: as precise as a person reading it needs. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return Math.round(millis / 1000.0) + " s";
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
