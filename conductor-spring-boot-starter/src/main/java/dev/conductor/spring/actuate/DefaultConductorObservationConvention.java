package dev.conductor.spring.actuate;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/**
 * Conductor's observations and their keys, in Micrometer's manner: low-cardinality keys (a bounded set of
 * values, fit for metric tags and span attributes alike) and high-cardinality keys (span attributes only).
 *
 * <table>
 * <caption>Observations</caption>
 * <tr><th>Name</th><th>Span name</th><th>Low cardinality</th><th>High cardinality</th></tr>
 * <tr><td>{@code conductor.setup}</td><td>{@code conductor setup}</td><td>{@code conductor.outcome}</td>
 * <td>{@code conductor.components}</td></tr>
 * <tr><td>{@code conductor.shutdown}</td><td>{@code conductor shutdown}</td><td>{@code conductor.outcome}</td>
 * <td>{@code conductor.components}</td></tr>
 * <tr><td>{@code conductor.restart}</td><td>{@code conductor restart}</td><td>{@code conductor.component},
 * {@code conductor.outcome}</td><td>{@code conductor.components}</td></tr>
 * <tr><td>{@code conductor.setup.component}</td><td>{@code setup <component>}</td><td>{@code conductor.component},
 * {@code conductor.tier}, {@code conductor.outcome}</td><td>{@code conductor.implementation},
 * {@code conductor.attempts}, {@code conductor.waited.ms}</td></tr>
 * <tr><td>{@code conductor.shutdown.component}</td><td>{@code shutdown <component>}</td><td>the same</td>
 * <td>{@code conductor.implementation}, {@code conductor.waited.ms}</td></tr>
 * </table>
 *
 * <p>{@code conductor.outcome} is {@code succeeded}, {@code failed}, {@code timed out} or {@code cancelled};
 * the failure itself is the observation's error. {@code conductor.waited.ms} is how long a component's step
 * waited, from the start of the whole operation, before it started.
 */
public class DefaultConductorObservationConvention implements ConductorObservationConvention {

    static final String COMPONENT = "conductor.component";

    static final String TIER = "conductor.tier";

    static final String OUTCOME = "conductor.outcome";

    static final String IMPLEMENTATION = "conductor.implementation";

    static final String ATTEMPTS = "conductor.attempts";

    static final String WAITED = "conductor.waited.ms";

    static final String COMPONENTS = "conductor.components";

    @Override
    public String getContextualName(ConductorObservationContext context) {
        return switch (context.getKind()) {
            case SETUP, SHUTDOWN, RESTART -> "conductor " + context.getKind().name().toLowerCase(Locale.ROOT);
            case COMPONENT_SETUP -> "setup " + context.getComponent();
            case COMPONENT_SHUTDOWN -> "shutdown " + context.getComponent();
        };
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ConductorObservationContext context) {
        KeyValues keys = KeyValues.of(KeyValue.of(OUTCOME, context.getOutcome() == null ? "unknown"
                : context.getOutcome()));
        if (context.getComponent() != null) {
            keys = keys.and(COMPONENT, context.getComponent());
        }
        if (context.getKind().isComponentStep() && context.getTier() >= 0) {
            keys = keys.and(TIER, String.valueOf(context.getTier()));
        }
        return keys;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ConductorObservationContext context) {
        if (!context.getKind().isComponentStep()) {
            return KeyValues.of(COMPONENTS, String.valueOf(context.getComponents()));
        }
        KeyValues keys = KeyValues.empty();
        if (context.getImplementation() != null) {
            keys = keys.and(IMPLEMENTATION, context.getImplementation());
        }
        if (context.getKind() == ConductorObservationContext.Kind.COMPONENT_SETUP) {
            keys = keys.and(ATTEMPTS, String.valueOf(context.getAttempts()));
        }
        if (context.getWaited() != null) {
            keys = keys.and(WAITED, String.format(Locale.ROOT, "%.3f", context.getWaited().toNanos() / 1e6));
        }
        return keys;
    }
}
