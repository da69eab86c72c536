package dev.conductor.spring.actuate;

import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the components' lifecycle in Micrometer: a timer {@value #SETUP_TIMER} and a timer
 * {@value #SHUTDOWN_TIMER} per component, tagged {@code component} and {@code outcome} ({@code success} or
 * {@code failure}), a counter {@value #SETUP_RETRIES_COUNTER} of the failed setup attempts that were tried again
 * (tags {@code component} and {@code exception}, the simple name of the failure's class), and a gauge
 * {@value #ACTIVE_GAUGE} of the components active now, and a counter {@value #RESTARTS_COUNTER} of the restarts of a
 * component by its supervision or through the endpoint (tags {@code component} and {@code outcome}, {@code success}
 * or {@code failure}), and a counter {@value #LEADERSHIP_COUNTER} of the hand-overs of the roles of leader-only
 * components on this replica (tags {@code role} and {@code kind}: {@code granted}, {@code revoked} or
 * {@code yielded}).
 */
final class ConductorMetrics implements LifecycleListener {

    static final String SETUP_TIMER = "conductor.component.setup";

    static final String SHUTDOWN_TIMER = "conductor.component.shutdown";

    static final String SETUP_RETRIES_COUNTER = "conductor.component.setup.retries";

    static final String ACTIVE_GAUGE = "conductor.components.active";

    static final String RESTARTS_COUNTER = "conductor.component.restarts";

    static final String LEADERSHIP_COUNTER = "conductor.leadership.handovers";

    private final MeterRegistry registry;

    private final AtomicInteger active = new AtomicInteger();

    ConductorMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(ACTIVE_GAUGE, active, AtomicInteger::get)
                .description("The number of Conductor components that are set up and not shutting down")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        switch (event.kind()) {
            case SETUP_FINISHED -> {
                active.incrementAndGet();
                record(SETUP_TIMER, "The time a Conductor component's setup took", event, "success");
            }
            case SETUP_FAILED -> record(SETUP_TIMER, "The time a Conductor component's setup took", event, "failure");
            case SHUTDOWN_STARTED -> active.decrementAndGet();
            case SHUTDOWN_FINISHED ->
                record(SHUTDOWN_TIMER, "The time a Conductor component's shutdown took", event, "success");
            case SHUTDOWN_FAILED ->
                record(SHUTDOWN_TIMER, "The time a Conductor component's shutdown took", event, "failure");
            case SETUP_RETRYING -> Counter.builder(SETUP_RETRIES_COUNTER)
                    .description("The failed setup attempts of a Conductor component that were tried again")
                    .tag("component", event.component())
                    .tag("exception", event.failure().getClass().getSimpleName())
                    .register(registry)
                    .increment();
            case RESTART_FINISHED -> countRestart(event, "success");
            case RESTART_FAILED -> countRestart(event, "failure");
            default -> {
            }
        }
    }

    @Override
    public void onLeadership(LeadershipEvent event) {
        if (event.kind() == LeadershipEvent.Kind.GRANTED || event.kind() == LeadershipEvent.Kind.REVOKED
                || event.kind() == LeadershipEvent.Kind.YIELDED) {
            Counter.builder(LEADERSHIP_COUNTER)
                    .description("The changes of this replica's leadership of a role: granted, revoked, yielded")
                    .tag("role", event.role())
                    .tag("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }

    private void countRestart(LifecycleEvent event, String outcome) {
        Counter.builder(RESTARTS_COUNTER)
                .description("The restarts of a Conductor component with its dependents")
                .tag("component", event.component())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private void record(String name, String description, LifecycleEvent event, String outcome) {
        Timer.builder(name)
                .description(description)
                .tag("component", event.component())
                .tag("outcome", outcome)
                .register(registry)
                .record(event.duration());
    }
}
