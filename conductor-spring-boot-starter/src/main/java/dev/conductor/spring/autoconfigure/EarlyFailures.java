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

    /**
     * Adds the remembered failure, if any, to the exception the refresh failed with as a suppressed exception
     * (unless it is among its causes already), so that a program catching what {@code SpringApplication.run()}
     * throws sees the real failure; keeps it for the failure analyzer.
     */
    static void suppressIn(Throwable refreshFailure) {
        ConductorException failure = FAILURE.get();
        if (failure == null) {
            return;
        }
        Throwable current = refreshFailure;
        for (int depth = 0; current != null && depth < 64; depth++, current = current.getCause()) {
            if (current == failure || java.util.Arrays.asList(current.getSuppressed()).contains(failure)) {
                return;
            }
        }
        refreshFailure.addSuppressed(failure);
    }

    static @Nullable ConductorException take() {
        ConductorException failure = FAILURE.get();
        FAILURE.remove();
        return failure;
    }
}
