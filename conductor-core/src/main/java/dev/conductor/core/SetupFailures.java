package dev.conductor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a failed setup and its rollback into the one exception {@link LifecycleEngine#setup()} throws. */
final class SetupFailures {

    private SetupFailures() {
    }

    static ConductorException describe(ComponentGraph graph, SetupPhase phase, Map<String, Throwable> rollback) {
        List<SetupPhase.Failure> failures = phase.failures();
        ConductorException exception;
        Throwable cancellation = phase.cancellation();
        if (phase.deadlineFailure() != null) {
            exception = phase.deadlineFailure();
            for (SetupPhase.Failure failure : failures) {
                phase.deadlineFailure().failed(failure.record().name(), failure.cause());
                exception.addSuppressed(new ConductorException("Setup of component '" + failure.record().name()
                        + "' ended with: " + ComponentShutdownException.describe(failure.cause()), failure.cause()));
            }
        }
        else if (cancellation != null) {
            exception = new SetupCancelledException(cancellation instanceof InterruptedException
                    ? "the calling thread was interrupted" : "shutdown() was called", rolledBack(phase),
                    cancellation);
            for (SetupPhase.Failure failure : failures) { // consequences of the cancellation, mostly interrupts
                exception.addSuppressed(new ConductorException("Setup of component '" + failure.record().name()
                        + "' ended with: " + ComponentShutdownException.describe(failure.cause()), failure.cause()));
            }
        }
        else {
            SetupPhase.Failure first = failures.get(0);
            ComponentRecord record = first.record();
            List<StartupReport.Attempt> earlier = record.failedAttempts;
            exception = earlier == null
                    ? new ComponentSetupException(record.name(), graph.dependencyPath(record.index),
                            first.cause() instanceof StepTimeoutException, first.cause())
                    : new ComponentSetupException(record.name(), graph.dependencyPath(record.index),
                            first.cause() instanceof StepTimeoutException, first.cause(), earlier.size() + 1,
                            java.time.Duration.ofNanos(record.setupEnd - record.setupStart),
                            earlier.stream().map(StartupReport.Attempt::failure).toList());
            if (earlier != null) {
                for (StartupReport.Attempt attempt : earlier) {
                    exception.addSuppressed(new ConductorException("Attempt " + attempt.number() + " at the setup of '"
                            + record.name() + "' failed: " + ComponentShutdownException.describe(attempt.failure()),
                            attempt.failure()));
                }
            }
            for (SetupPhase.Failure other : failures.subList(1, failures.size())) {
                exception.addSuppressed(new ConductorException("Setup of component '" + other.record().name()
                        + "' failed as well: " + ComponentShutdownException.describe(other.cause()), other.cause()));
            }
        }
        if (!rollback.isEmpty()) {
            exception.addSuppressed(new ComponentShutdownException(rollback));
        }
        return exception;
    }

    /** The components the rollback shut down (or tried to). */
    private static List<String> rolledBack(SetupPhase phase) {
        List<String> names = new ArrayList<>();
        for (ComponentRecord record : phase.lifecycle.records) {
            if (record.shutdownStart >= 0) {
                names.add(record.name());
            }
        }
        return names;
    }
}
