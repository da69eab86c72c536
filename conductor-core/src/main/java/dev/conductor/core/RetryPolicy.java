package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * How often, and after how long, a component's failed setup is tried again: for a dependency that is not
 * reachable yet, such as a database that starts after the application. Immutable; the names are those of Spring
 * Framework's {@code @Retryable}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxRetries(4)                         // 5 attempts in all
 *         .delay(Duration.ofSeconds(1))          // before the first retry
 *         .multiplier(2)                         // 1 s, 2 s, 4 s, 8 s ...
 *         .maxDelay(Duration.ofSeconds(10))      // ... but never more than 10 s
 *         .jitter(Duration.ofMillis(200))        // plus or minus up to 200 ms
 *         .excludes(IllegalArgumentException.class)   // a configuration error is not worth retrying
 *         .build();
 * }</pre>
 *
 * <p>Each attempt is bounded by the component's setup timeout, and an attempt that times out counts as a failed
 * one. Between attempts nothing is shut down: a setup that fails cleans up after itself; a setup that returns
 * successfully after its timeout passed is shut down before the next attempt (and, when that shutdown fails, not
 * tried again), so an instance is never set up twice. While a component
 * waits to retry, its dependents wait with it and every other branch of the graph carries on; a cancellation
 * ({@code shutdown()}, an interrupt, the setup deadline) ends the waiting at once. A failure that implements
 * {@link NotRetryable} is never retried, nor is an interrupt.
 */
public final class RetryPolicy {

    private static final RetryPolicy NONE = new RetryPolicy(new Builder());

    private final int maxRetries;

    private final Duration delay;

    private final double multiplier;

    private final Duration maxDelay;

    private final Duration jitter;

    private final List<Class<? extends Throwable>> includes;

    private final List<Class<? extends Throwable>> excludes;

    private final Predicate<? super Throwable> predicate;

    private RetryPolicy(Builder builder) {
        this.maxRetries = builder.maxRetries;
        this.delay = builder.delay;
        this.multiplier = builder.multiplier;
        this.maxDelay = builder.maxDelay;
        this.jitter = builder.jitter;
        this.includes = List.copyOf(builder.includes);
        this.excludes = List.copyOf(builder.excludes);
        this.predicate = builder.predicate;
    }

    /** No retries: the first failure fails the setup. The default. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** Starts a policy: by default 3 retries, 1 second apart, any exception. */
    public static Builder builder() {
        return new Builder().maxRetries(3);
    }

    /** How many times a failed setup is tried again after the first attempt. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The delay before the first retry. */
    public Duration delay() {
        return delay;
    }

    /** The factor each further delay is multiplied by. */
    public double multiplier() {
        return multiplier;
    }

    /** The longest delay, whatever the multiplier. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The most a delay is moved, earlier or later, at random (uniformly, within zero and {@link #maxDelay()}). */
    public Duration jitter() {
        return jitter;
    }

    /**
     * Whether a setup that failed with {@code failure} on attempt {@code attempt} (1 for the first) is tried
     * again.
     */
    public boolean shouldRetry(int attempt, Throwable failure) {
        if (attempt > maxRetries || failure instanceof NotRetryable || failure instanceof InterruptedException
                || failure instanceof Error) {
            return false;
        }
        if (!includes.isEmpty() && !anyInChain(failure, includes)) {
            return false;
        }
        if (!excludes.isEmpty() && anyInChain(failure, excludes)) {
            return false;
        }
        return predicate.test(failure);
    }

    /** Whether the failure or one of its causes is one of the types, as Spring Framework's retry policy matches. */
    private static boolean anyInChain(Throwable failure, List<Class<? extends Throwable>> types) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable current = failure; current != null && seen.add(current); current = current.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(current)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The delay after attempt {@code attempt} failed, jitter included: the delay without jitter moved at random,
     * uniformly, by up to {@link #jitter()} earlier or later, but never below zero nor above {@link #maxDelay()}.
     */
    public Duration delayAfter(int attempt) {
        double nanos = delay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long max = maxDelay.toNanos();
        long planned = (long) Math.min(nanos, max);
        long spread = jitter.toNanos();
        if (spread == 0) {
            return Duration.ofNanos(planned);
        }
        // Drawn within the range that the bounds leave, rather than drawn and then clamped: a clamp would put
        // every draw beyond a bound on the bound itself, and instances would again retry in step there.
        long earliest = Math.max(0, planned - spread);
        long latest = Math.min(max, planned > Long.MAX_VALUE - spread ? Long.MAX_VALUE : planned + spread);
        return Duration.ofNanos(earliest == latest ? earliest
                : ThreadLocalRandom.current().nextLong(earliest, latest == Long.MAX_VALUE ? latest : latest + 1));
    }

    @Override
    public String toString() {
        return maxRetries == 0 ? "no retries" : maxRetries + " retries, delay " + Durations.format(delay)
                + (multiplier != 1 ? " x" + multiplier : "") + ", at most " + Durations.format(maxDelay)
                + (jitter.isZero() ? "" : ", jitter " + Durations.format(jitter));
    }

    /**
     * Marks an exception that retrying cannot cure, such as a configuration error: a setup that throws it fails
     * at once, whatever the policy.
     */
    public interface NotRetryable {
    }

    /** Configures a {@link RetryPolicy}. */
    public static final class Builder {

        private int maxRetries;

        private Duration delay = Duration.ofSeconds(1);

        private double multiplier = 1;

        private Duration maxDelay = Duration.ofDays(365);

        private Duration jitter = Duration.ZERO;

        private final List<Class<? extends Throwable>> includes = new ArrayList<>();

        private final List<Class<? extends Throwable>> excludes = new ArrayList<>();

        private Predicate<? super Throwable> predicate = failure -> true;

        private Builder() {
        }

        /** How many retries after the first attempt; 0 for none. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative, but was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The delay before the first retry; 1 second unless set. */
        public Builder delay(Duration delay) {
            this.delay = requireNotNegative(delay, "delay");
            return this;
        }

        /** The factor each further delay is multiplied by; 1 (a fixed delay) unless set. */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("The multiplier must be at least 1, but was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** The longest delay between attempts, whatever the multiplier. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = requireNotNegative(maxDelay, "maxDelay");
            return this;
        }

        /**
         * Moves each delay at random, uniformly, by up to this much earlier or later (never below zero nor above
         * the maximum delay), so that instances do not retry in step; none unless set.
         */
        public Builder jitter(Duration jitter) {
            this.jitter = requireNotNegative(jitter, "jitter");
            return this;
        }

        /**
         * Retries only these failures (and their subclasses): a failure is retried when it or one of its causes is
         * one of them, as in Spring Framework's retry policy and the starter's {@code conductor.setup-retry.includes}.
         * Any failure unless set.
         */
        @SafeVarargs
        public final Builder includes(Class<? extends Throwable>... types) {
            includes.addAll(List.of(types));
            return this;
        }

        /**
         * Never retries these failures (and their subclasses): a failure is not retried when it or one of its causes
         * is one of them, even when it is also included.
         */
        @SafeVarargs
        public final Builder excludes(Class<? extends Throwable>... types) {
            excludes.addAll(List.of(types));
            return this;
        }

        /** Retries a failure only when this also says so. */
        public Builder retryIf(Predicate<? super Throwable> predicate) {
            this.predicate = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        public RetryPolicy build() {
            if (maxDelay.compareTo(delay) < 0) {
                throw new IllegalArgumentException("maxDelay (" + Durations.format(maxDelay) + ") must not be less"
                        + " than delay (" + Durations.format(delay) + ")");
            }
            return new RetryPolicy(this);
        }

        private static Duration requireNotNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, but was " + value);
            }
            return value;
        }
    }
}
