package dev.conductor.spring.actuate;

import dev.conductor.spring.ComponentFailures;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Counts, per component, the health checks in a row in which its own {@link ComponentHealth} reported
 * {@code DOWN}; at {@code conductor.supervision.health-failure-threshold} it reports a runtime failure through
 * {@link ComponentFailures} (so the component's supervision acts) and counts again from zero. Reads the details of
 * the {@code conductor} health contributor.
 */
class HealthFailures {

    static final HealthFailures NONE = new HealthFailures(0, null);

    private final int threshold;

    private final @Nullable ComponentFailures failures;

    private final Map<String, Integer> downInARow = new HashMap<>();

    HealthFailures(int threshold, @Nullable ComponentFailures failures) {
        this.threshold = threshold;
        this.failures = failures;
    }

    boolean isEnabled() {
        return threshold > 0 && failures != null;
    }

    synchronized void check(Health health) {
        ComponentFailures reporter = failures;
        if (reporter == null || threshold <= 0 || !(health.getDetails().get("components") instanceof Map<?, ?> components)) {
            return;
        }
        for (Map.Entry<?, ?> entry : components.entrySet()) {
            String component = String.valueOf(entry.getKey());
            Object own = entry.getValue() instanceof Map<?, ?> details ? details.get("health") : null;
            boolean down = own instanceof Map<?, ?> ownHealth
                    && Status.DOWN.getCode().equals(ownHealth.get("status"));
            if (!down) {
                downInARow.remove(component);
                continue;
            }
            int count = downInARow.merge(component, 1, Integer::sum);
            if (count >= threshold) {
                downInARow.remove(component);
                reporter.failed(component, new HealthCheckFailure("The health of component '" + component
                        + "' was DOWN in " + count + " checks in a row: " + ((Map<?, ?>) own).get("details")));
            }
        }
    }
}
