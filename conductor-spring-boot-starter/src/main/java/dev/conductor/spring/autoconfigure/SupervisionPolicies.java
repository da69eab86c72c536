package dev.conductor.spring.autoconfigure;

import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import dev.conductor.spring.Supervision;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code conductor.supervision.*} and a component's {@link Supervision} into Conductor's
 * {@link SupervisionPolicy}.
 */
final class SupervisionPolicies {

    private SupervisionPolicies() {
    }

    /** The default policy, from the properties. */
    static SupervisionPolicy defaults(ConductorProperties.Supervision properties) {
        return build(properties.getPolicy(), properties.getMaxRestarts(), properties.getWindow(),
                properties.getBackoff().getDelay(), properties.getBackoff().getMultiplier(),
                properties.getBackoff().getMaxDelay());
    }

    /**
     * The policy of the component {@code bean}: its annotation's attributes over the properties; {@code null} when
     * the annotation sets none (the default applies).
     *
     * @throws InvalidComponentException when an attribute cannot be resolved or parsed
     */
    static @Nullable SupervisionPolicy of(String bean, Supervision annotation,
            ConductorProperties.Supervision properties, ComponentTimeouts resolver) {
        if (annotation.policy().isEmpty() && annotation.maxRestarts().isEmpty() && annotation.window().isEmpty()
                && annotation.delay().isEmpty() && annotation.multiplier().isEmpty()
                && annotation.maxDelay().isEmpty()) {
            return null;
        }
        String policyText = resolver.resolveText(bean, "supervision.policy", annotation.policy());
        ConductorProperties.Supervision.Policy policy = properties.getPolicy();
        if (policyText != null) {
            try {
                policy = ConductorProperties.Supervision.Policy.valueOf(policyText.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidComponentException(bean, "has @ConductorComponent(supervision = @Supervision(policy"
                        + " = \"" + annotation.policy() + "\")), which is not a supervision policy",
                        "Use \"none\", \"restart\" or \"escalate\".");
            }
        }
        Double maxRestarts = resolver.resolveNumber(bean, "supervision.maxRestarts", annotation.maxRestarts(), 1,
                true);
        Duration window = resolver.resolve(bean, "supervision.window", annotation.window());
        Duration delay = resolver.resolveDelay(bean, "supervision.delay", annotation.delay());
        Double multiplier = resolver.resolveNumber(bean, "supervision.multiplier", annotation.multiplier(), 1, false);
        Duration maxDelay = resolver.resolveDelay(bean, "supervision.maxDelay", annotation.maxDelay());
        if (maxRestarts != null && maxRestarts > Integer.MAX_VALUE) {
            throw new InvalidComponentException(bean, "has @ConductorComponent(supervision = @Supervision(maxRestarts"
                    + " = \"" + annotation.maxRestarts() + "\")), more restarts than Conductor counts",
                    "Use at most " + Integer.MAX_VALUE + " restarts.");
        }
        ConductorProperties.Supervision.Backoff backoff = properties.getBackoff();
        return build(policy, maxRestarts != null ? maxRestarts.intValue() : properties.getMaxRestarts(),
                window != null ? window : properties.getWindow(), delay != null ? delay : backoff.getDelay(),
                multiplier != null ? multiplier : backoff.getMultiplier(),
                maxDelay != null ? maxDelay : backoff.getMaxDelay());
    }

    private static SupervisionPolicy build(ConductorProperties.Supervision.Policy policy, int maxRestarts,
            Duration window, Duration delay, double multiplier, @Nullable Duration maxDelay) {
        return switch (policy) {
            case NONE -> SupervisionPolicy.none();
            case ESCALATE -> SupervisionPolicy.escalate();
            case RESTART -> {
                RetryPolicy.Builder backoff = RetryPolicy.builder().delay(delay).multiplier(multiplier);
                if (maxDelay != null) {
                    if (maxDelay.compareTo(delay) < 0) {
                        throw new IllegalStateException("The supervision backoff's max-delay ("
                                + RetryPolicies.shown(maxDelay) + ") is less than its delay ("
                                + RetryPolicies.shown(delay) + "). Raise conductor.supervision.backoff.max-delay"
                                + " (or @Supervision(maxDelay)), or lower the delay.");
                    }
                    backoff.maxDelay(maxDelay);
                }
                yield SupervisionPolicy.restart(maxRestarts, window, backoff.build());
            }
        };
    }
}
