package dev.conductor.spring.autoconfigure;

import dev.conductor.core.RetryPolicy;
import dev.conductor.spring.SetupRetry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ExceptionTypeFilter;

/**
 * Turns {@code conductor.setup-retry.*} and a component's {@link SetupRetry} into Conductor's {@link RetryPolicy}.
 * Which failures are retried follows Spring Framework's own retry policy: {@code includes} and {@code excludes}
 * match the exception and each of its causes (an {@link ExceptionTypeFilter} that traverses causes).
 */
final class RetryPolicies {

    private RetryPolicies() {
    }

    /**
     * The default policy, from the properties.
     *
     * @throws IllegalStateException when the properties do not make a policy, naming them
     */
    static RetryPolicy defaults(ConductorProperties.SetupRetry properties) {
        Duration maxDelay = properties.getMaxDelay();
        if (maxDelay != null && maxDelay.compareTo(properties.getDelay()) < 0) {
            throw new IllegalStateException("conductor.setup-retry.max-delay (" + shown(maxDelay) + ") is less than"
                    + " conductor.setup-retry.delay (" + shown(properties.getDelay()) + "). Raise"
                    + " conductor.setup-retry.max-delay, or lower conductor.setup-retry.delay.");
        }
        return build(properties.getMaxRetries(), properties.getDelay(), properties.getMultiplier(), maxDelay,
                properties.getJitter(), properties.getIncludes(), properties.getExcludes());
    }

    /**
     * The policy of the component {@code bean}: its annotation's attributes over the properties; {@code null} when
     * the annotation sets none (the default applies), or when an expression cannot be told yet.
     *
     * @throws InvalidComponentException when an attribute cannot be resolved, or does not make a policy
     */
    static @Nullable RetryPolicy of(String bean, SetupRetry annotation, ConductorProperties.SetupRetry properties,
            ComponentTimeouts resolver) {
        if (isEmpty(annotation)) {
            return null;
        }
        Double maxRetries = resolver.resolveNumber(bean, "setupRetry.maxRetries", annotation.maxRetries(), 0, true);
        Duration delay = resolver.resolveDelay(bean, "setupRetry.delay", annotation.delay());
        Double multiplier = resolver.resolveNumber(bean, "setupRetry.multiplier", annotation.multiplier(), 1, false);
        Duration maxDelay = resolver.resolveDelay(bean, "setupRetry.maxDelay", annotation.maxDelay());
        Duration jitter = resolver.resolveDelay(bean, "setupRetry.jitter", annotation.jitter());
        if (maxRetries != null && maxRetries > Integer.MAX_VALUE) {
            throw new InvalidComponentException(bean, "has @ConductorComponent(setupRetry = @SetupRetry(maxRetries = \""
                    + annotation.maxRetries() + "\")), more retries than Conductor counts",
                    "Use at most " + Integer.MAX_VALUE + " retries.");
        }
        if ((delay == null && !annotation.delay().isEmpty())
                || (maxDelay == null && !annotation.maxDelay().isEmpty())) {
            return null; // an expression that only the running context can tell: checked again then
        }
        Duration effectiveDelay = delay != null ? delay : properties.getDelay();
        Duration effectiveMaxDelay = maxDelay != null ? maxDelay : properties.getMaxDelay();
        if (effectiveMaxDelay != null && effectiveMaxDelay.compareTo(effectiveDelay) < 0) {
            throw new InvalidComponentException(bean, "retries its setup with a maxDelay (" + shown(effectiveMaxDelay)
                    + ") less than its delay (" + shown(effectiveDelay) + ")" + (maxDelay == null
                            ? ", conductor.setup-retry.max-delay being the maxDelay" : "")
                    + (delay == null ? ", conductor.setup-retry.delay being the delay" : ""),
                    "Give @SetupRetry a maxDelay of at least its delay.");
        }
        return build(maxRetries != null ? maxRetries.intValue() : properties.getMaxRetries(), effectiveDelay,
                multiplier != null ? multiplier : properties.getMultiplier(), effectiveMaxDelay,
                jitter != null ? jitter : properties.getJitter(),
                annotation.includes().length > 0 ? Arrays.asList(annotation.includes()) : properties.getIncludes(),
                annotation.excludes().length > 0 ? Arrays.asList(annotation.excludes()) : properties.getExcludes());
    }

    /** A duration as the properties take it: {@code 2s}, {@code 1500ms}. */
    static String shown(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private static boolean isEmpty(SetupRetry annotation) {
        return annotation.maxRetries().isEmpty() && annotation.delay().isEmpty() && annotation.multiplier().isEmpty()
                && annotation.maxDelay().isEmpty() && annotation.jitter().isEmpty()
                && annotation.includes().length == 0 && annotation.excludes().length == 0;
    }

    private static RetryPolicy build(int maxRetries, Duration delay, double multiplier, @Nullable Duration maxDelay,
            Duration jitter, List<Class<? extends Throwable>> includes, List<Class<? extends Throwable>> excludes) {
        if (maxRetries == 0) {
            return RetryPolicy.none();
        }
        RetryPolicy.Builder builder = RetryPolicy.builder().maxRetries(maxRetries).delay(delay)
                .multiplier(multiplier).jitter(jitter);
        if (maxDelay != null) {
            builder.maxDelay(maxDelay);
        }
        if (!includes.isEmpty() || !excludes.isEmpty()) {
            ExceptionTypeFilter filter = new ExceptionTypeFilter(List.copyOf(includes), List.copyOf(excludes));
            builder.retryIf(failure -> filter.match(failure, true));
        }
        return builder.build();
    }
}
