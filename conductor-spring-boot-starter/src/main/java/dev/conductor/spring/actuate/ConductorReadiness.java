package dev.conductor.spring.actuate;

import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import dev.conductor.spring.autoconfigure.ConductorProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Keeps the application's readiness in step with its components. Around every setup it reports
 * {@link ReadinessState#REFUSING_TRAFFIC} (Spring Boot reports {@code ACCEPTING_TRAFFIC} once the application is
 * ready; after a restart of the components this does). While the application runs it checks the components'
 * health every {@code conductor.readiness.check-interval}: when it is {@code DOWN} or {@code OUT_OF_SERVICE} it
 * reports {@code REFUSING_TRAFFIC}, and {@code ACCEPTING_TRAFFIC} again once it is back up, unless someone else
 * changed the readiness in between. The same checks count a component's own {@link ComponentHealth} that is
 * {@code DOWN} for {@code conductor.supervision.health-failure-threshold} checks in a row as a runtime failure
 * (see {@link HealthFailures}). Checks stop when the context closes.
 */
final class ConductorReadiness implements ConductorLifecycle.SetupObserver, ApplicationListener<ApplicationEvent>,
        DisposableBean {

    private static final Log logger = LogFactory.getLog(ConductorReadiness.class);

    private final ApplicationEventPublisher publisher;

    private final Supplier<@Nullable ApplicationAvailability> availability;

    private final Supplier<Health> health;

    private final ConductorProperties.Readiness properties;

    private final HealthFailures healthFailures;

    private @Nullable ScheduledExecutorService scheduler;

    private boolean ready;

    private boolean closing;

    private boolean refusing;

    ConductorReadiness(ApplicationEventPublisher publisher, Supplier<@Nullable ApplicationAvailability> availability,
            Supplier<Health> health, ConductorProperties.Readiness properties) {
        this(publisher, availability, health, properties, HealthFailures.NONE);
    }

    ConductorReadiness(ApplicationEventPublisher publisher, Supplier<@Nullable ApplicationAvailability> availability,
            Supplier<Health> health, ConductorProperties.Readiness properties, HealthFailures healthFailures) {
        this.publisher = publisher;
        this.availability = availability;
        this.health = health;
        this.properties = properties;
        this.healthFailures = healthFailures;
    }

    /**
     * Refuses traffic from the thread that begins the setup: for a setup that begins early, the refresh's, so that
     * the listener beans the event needs are created there (and are already there for the setups after it).
     */
    @Override
    public void beforeSetup() {
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
    }

    @Override
    public void observe(Runnable setup) {
        setup.run();
        boolean restarted;
        synchronized (this) {
            restarted = ready && !closing;
            refusing = false;
        }
        if (restarted) {
            AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent) {
            started();
        }
        else if (event instanceof ContextClosedEvent) {
            stopChecking();
        }
    }

    /**
     * Checks the components' health once and changes the readiness if it went down or came back up.
     */
    void check() {
        synchronized (this) {
            if (!ready || closing || (!properties.isRefuseTrafficWhenDown() && !healthFailures.isEnabled())) {
                return;
            }
        }
        Health current = health.get();
        healthFailures.check(current);
        if (!properties.isRefuseTrafficWhenDown()) {
            return;
        }
        Status status = current.getStatus();
        boolean down = Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status);
        ReadinessState next = null;
        synchronized (this) {
            ReadinessState now = readinessState();
            if (down && !refusing && now != ReadinessState.REFUSING_TRAFFIC) {
                refusing = true;
                next = ReadinessState.REFUSING_TRAFFIC;
                logger.warn("Conductor: the components are " + status.getCode()
                        + ", so the application refuses traffic: " + current.getDetails());
            }
            else if (!down && refusing) {
                refusing = false;
                if (now == ReadinessState.REFUSING_TRAFFIC) {
                    next = ReadinessState.ACCEPTING_TRAFFIC;
                    logger.info("Conductor: the components are " + status.getCode()
                            + " again, so the application accepts traffic");
                }
            }
        }
        if (next != null) {
            AvailabilityChangeEvent.publish(publisher, this, next);
        }
    }

    private @Nullable ReadinessState readinessState() {
        ApplicationAvailability current = availability.get();
        return current != null ? current.getReadinessState() : null;
    }

    private synchronized void started() {
        ready = true;
        if ((!properties.isRefuseTrafficWhenDown() && !healthFailures.isEnabled()) || scheduler != null || closing) {
            return;
        }
        long interval = Math.max(1, properties.getCheckInterval().toMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "conductor-readiness");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::checkQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        }
        catch (RuntimeException ex) {
            logger.warn("Conductor: the readiness check failed", ex);
        }
    }

    private void stopChecking() {
        ScheduledExecutorService current;
        synchronized (this) {
            closing = true;
            current = scheduler;
            scheduler = null;
        }
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public void destroy() {
        stopChecking();
    }
}
