package dev.conductor.core;

import java.util.List;
import java.util.Map;

/** Turns a failed setup and its rollback into the one exception {@link LifecycleEngine#setup()} throws. */
final class SetupFailures {

    private SetupFailures() {
    }

    static ConductorException describe(ComponentGraph graph, SetupPhase phase, Map<String, Throwable> rollback) {
        List<SetupPhase.Failure> failures = phase.failures();
        ConductorException exception;
        if (failures.isEmpty()) {
            exception = new ConductorException("Setup did not complete: " + phase.abortCause().getMessage()
                    + ". The components already active were shut down again.", phase.abortCause());
        }
        else {
            SetupPhase.Failure first = failures.get(0);
            exception = new ComponentSetupException(first.record().name(),
                    graph.dependencyPath(first.record().index), first.cause() instanceof StepTimeoutException,
                    first.cause());
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
}
