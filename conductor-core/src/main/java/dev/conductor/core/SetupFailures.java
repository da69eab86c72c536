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
        if (cancellation != null) {
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
