package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Reports {@link ReadinessState#REFUSING_TRAFFIC} from the moment a restart is requested (before any component
 * shuts down) until it finished, and {@code ACCEPTING_TRAFFIC} again once it did
 * ({@code conductor.readiness.refuse-traffic-while-restarting}). A restart that failed leaves the application
 * refusing traffic: the component and its dependents are down.
 */
final class RestartReadiness implements LifecycleListener {

    private final ApplicationEventPublisher publisher;

    private final AtomicInteger restarting = new AtomicInteger();

    RestartReadiness(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        switch (event.kind()) {
            case RESTART_REQUESTED -> {
                if (restarting.getAndIncrement() == 0) {
                    AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
                }
            }
            case RESTART_FINISHED -> {
                if (restarting.decrementAndGet() == 0) {
                    AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
                }
            }
            case RESTART_FAILED -> restarting.decrementAndGet();
            default -> {
            }
        }
    }
}
