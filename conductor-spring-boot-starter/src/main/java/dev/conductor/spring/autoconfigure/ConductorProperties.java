package dev.conductor.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Conductor in a Spring Boot application, under {@code conductor.*}.
 */
@ConfigurationProperties("conductor")
public class ConductorProperties {

    /**
     * The default lifecycle phase: below the web server's start/stop phase ({@code Integer.MAX_VALUE - 2048}), so
     * every component is active before the server binds and shuts down only after the server stopped.
     */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 3072;

    /**
     * Whether Conductor sets up and shuts down the application's @ConductorComponent beans.
     */
    private boolean enabled = true;

    /**
     * How long a component's setup may take, unless the component sets its own timeout.
     */
    private Duration setupTimeout = Duration.ofMinutes(1);

    /**
     * How long a component's shutdown may take, unless the component sets its own timeout.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * The SmartLifecycle phase in which the components are set up (and, in reverse, shut down). Keep it below the
     * web server's phase so that components are active before the server takes traffic.
     */
    private int phase = DEFAULT_PHASE;

    /**
     * Whether the components are shut down when the application context is paused, and set up again when it is
     * restarted. Spring's test context cache pauses a cached context that the next test class does not use
     * (spring.test.context.cache.pause). Set it to false to keep the components of an idle test context running,
     * when setting them up again costs more than leaving them running.
     */
    private boolean pauseable = true;

    private final Readiness readiness = new Readiness();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getSetupTimeout() {
        return setupTimeout;
    }

    public void setSetupTimeout(Duration setupTimeout) {
        this.setupTimeout = setupTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public int getPhase() {
        return phase;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    public boolean isPauseable() {
        return pauseable;
    }

    public void setPauseable(boolean pauseable) {
        this.pauseable = pauseable;
    }

    public Readiness getReadiness() {
        return readiness;
    }

    /**
     * How the components' state shows in the application's readiness ({@code /actuator/health/readiness}). While
     * the components set up, the application always reports {@code REFUSING_TRAFFIC}; these settings take effect
     * when Spring Boot's health support (Actuator) is present.
     */
    public static class Readiness {

        /**
         * Whether the application reports REFUSING_TRAFFIC while a component is down at runtime (it failed, or its
         * own health check reports DOWN or OUT_OF_SERVICE), and ACCEPTING_TRAFFIC again once every component is up.
         */
        private boolean refuseTrafficWhenDown = true;

        /**
         * How often the components' health is checked for readiness while the application runs.
         */
        private Duration checkInterval = Duration.ofSeconds(10);

        public boolean isRefuseTrafficWhenDown() {
            return refuseTrafficWhenDown;
        }

        public void setRefuseTrafficWhenDown(boolean refuseTrafficWhenDown) {
            this.refuseTrafficWhenDown = refuseTrafficWhenDown;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }
    }
}
