package dev.conductor.core;

import java.time.Duration;
import java.util.Map;

/**
 * The retry policies of one engine, by component name, and what waits out the delays between attempts (the
 * shared timer; tests put in one they drive themselves).
 */
final class Retries {

    /** The engine's own {@link DelayScheduler}s. */
    interface Delays extends DelayScheduler {

        Delays TIMER = (delay, action) -> TimeoutScheduler.schedule(Durations.saturatedNanos(delay), action);
    }

    static final Retries NONE = new Retries(RetryPolicy.none(), Map.of(), Delays.TIMER);

    private final RetryPolicy defaultPolicy;

    private final Map<String, RetryPolicy> byName;

    final DelayScheduler delays;

    Retries(RetryPolicy defaultPolicy, Map<String, RetryPolicy> byName, DelayScheduler delays) {
        this.defaultPolicy = defaultPolicy;
        this.byName = new java.util.concurrent.ConcurrentHashMap<>(byName);
        this.delays = delays;
    }

    /** The policy of a component added to a growing graph. */
    void put(String name, RetryPolicy policy) {
        byName.put(name, policy);
    }

    RetryPolicy policyFor(ComponentRecord record) {
        RetryPolicy own = byName.isEmpty() ? null : byName.get(record.name());
        return own != null ? own : defaultPolicy;
    }

    /** Whether no component can ever retry, so that the engine need not look. */
    boolean none() {
        return defaultPolicy.maxRetries() == 0 && byName.values().stream().allMatch(p -> p.maxRetries() == 0);
    }
}
