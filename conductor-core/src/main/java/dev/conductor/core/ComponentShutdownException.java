package dev.conductor.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One or more components failed to shut down. Thrown after every other component has shut down; each failure
 * is available by component name and attached as a suppressed exception.
 */
public class ComponentShutdownException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Throwable> failures;

    ComponentShutdownException(Map<String, Throwable> failures) {
        super(message(failures), failures.size() == 1 ? failures.values().iterator().next() : null);
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        if (failures.size() > 1) {
            failures.values().forEach(this::addSuppressed);
        }
    }

    private static String message(Map<String, Throwable> failures) {
        return "Shutdown failed for " + failures.size() + (failures.size() == 1 ? " component: " : " components: ")
                + failures.entrySet().stream()
                        .map(failure -> failure.getKey() + " (" + describe(failure.getValue()) + ")")
                        .collect(Collectors.joining(", "))
                + ". Every other component was shut down.";
    }

    static String describe(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    }

    /** Each failed component's name with the reason its shutdown failed, in the order they failed. */
    public Map<String, Throwable> getFailures() {
        return failures;
    }
}
