package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;
import org.jspecify.annotations.Nullable;

/**
 * The failure of a setup that began early, kept on the thread whose refresh it failed until the failure
 * analyzer, on the same thread, takes it: the refresh may fail with another exception, that of the bean the
 * failure interrupted.
 */
final class EarlyFailures {

    private static final ThreadLocal<ConductorException> FAILURE = new ThreadLocal<>();

    private EarlyFailures() {
    }

    static void remember(ConductorException failure) {
        FAILURE.set(failure);
    }

    static @Nullable ConductorException take() {
        ConductorException failure = FAILURE.get();
        FAILURE.remove();
        return failure;
    }
}
