package dev.conductor.spring.actuate;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentState;
import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.StartupReport;
import dev.conductor.core.StartupReport.ComponentReport;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code conductor} health contributor: {@code UP} when every component is active and every
 * {@link ComponentHealth} among them reports {@code UP}; {@code DOWN} when a component failed (in its setup or
 * shutdown, or while running: reported through {@code ComponentFailures} with nothing to restart it, the policy
 * {@code none} or a refused restart, until a restart or a new setup) or reports {@code DOWN};
 * {@code OUT_OF_SERVICE} while components are not active (setting up, shutting down). The leader-only components
 * of a role are {@code UP} whatever their state unless active: a follower, or a replica handing a role over, is
 * healthy and serves. Its details, shown under Spring Boot's {@code show-details} rules, hold each component's
 * state, setup duration, own health, failure and role, and each role's state, fencing token, since when, and
 * hand-overs. {@link ConductorReadiness} follows it: a {@code DOWN} here refuses traffic (Spring Boot's
 * {@code readiness} group), while liveness is left alone.
 */
final class ConductorHealthIndicator implements HealthIndicator {

    private static final StatusAggregator STATUS_AGGREGATOR = StatusAggregator.getDefault();

    private final ConductorLifecycle lifecycle;

    ConductorHealthIndicator(ConductorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public Health health() {
        LifecycleEngine engine = lifecycle.getEngine();
        if (engine == null) {
            return Health.outOfService().withDetail("reason", "The components have not been set up yet").build();
        }
        StartupReport report = engine.report();
        Set<Status> statuses = new LinkedHashSet<>();
        Map<String, Object> components = new LinkedHashMap<>();
        for (ComponentReport component : report.components()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", component.state().name());
            if (component.setupDuration() != null) {
                details.put("setupDurationMs", component.setupDuration().toMillis());
            }
            String role = engine.roleOf(component.name());
            if (role != null) {
                details.put("role", role);
            }
            Status status = switch (component.state()) {
                case ACTIVE -> ownHealth(engine.graph().definition(component.name()).component(), details);
                // a follower is healthy and serves: its leader-only components are down, or being handed over,
                // because another replica runs them (a role that failed to set up was given up, see "roles")
                default -> role != null && engine.isActive() ? Status.UP
                        : component.state() == ComponentState.FAILED ? Status.DOWN : Status.OUT_OF_SERVICE;
            };
            if (component.state() == ComponentState.FAILED && component.failure() != null) {
                details.put("failure", String.valueOf(component.failure()));
            }
            else if (component.state() == ComponentState.ACTIVE && component.unrecoveredFailure() != null
                    && !(component.unrecoveredFailure() instanceof HealthCheckFailure)) {
                // It reported a failure that its supervision does not recover it from: down until a restart. (One
                // counted from its own health follows that health, which is in the status already.)
                status = Status.DOWN;
                details.put("failure", String.valueOf(component.unrecoveredFailure()));
            }
            details.put("status", status.getCode());
            statuses.add(status);
            components.put(component.name(), details);
        }
        Status status = statuses.isEmpty() ? Status.UP : STATUS_AGGREGATOR.getAggregateStatus(statuses);
        Health.Builder health = Health.status(status).withDetail("components", components);
        if (!engine.leaderships().isEmpty()) {
            Map<String, Object> roles = new LinkedHashMap<>();
            for (Leadership leadership : engine.leaderships()) {
                Leadership.Status role = leadership.status();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("state", role.state().name());
                details.put("leader", leadership.isLeader());
                if (role.grants() > 0) {
                    details.put("fencingToken", role.fencingToken());
                }
                if (role.since() != null) {
                    details.put("since", role.since().toString());
                }
                details.put("handOvers", role.handOvers());
                roles.put(role.role(), details);
            }
            health.withDetail("roles", roles);
        }
        return health.build();
    }

    private static Status ownHealth(Component component, Map<String, Object> details) {
        if (!(component instanceof ComponentHealth checked)) {
            return Status.UP;
        }
        Health health;
        try {
            health = checked.health();
        }
        catch (RuntimeException ex) {
            health = Health.down(ex).build();
        }
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("status", health.getStatus().getCode());
        if (!health.getDetails().isEmpty()) {
            own.put("details", health.getDetails());
        }
        details.put("health", own);
        return health.getStatus();
    }
}
