package dev.conductor.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

    /**
     * How long the whole setup of the components may take, from the first setup to the last; when it passes, the
     * setups still running are given up, the components already active are shut down again, and the application
     * fails to start. Each component's own setup timeout is capped by what remains. No deadline unless set.
     */
    private @Nullable Duration setupDeadline;

    /**
     * How long the whole shutdown of the components (or the rollback of a failed setup) may take. Each
     * component's shutdown timeout is capped by what remains; when it passes, Conductor stops waiting for the
     * shutdowns still running, starts those not started yet, logs every component that did not finish, and
     * returns. Fit it into the platform's grace period (Kubernetes' terminationGracePeriodSeconds). No deadline
     * unless set.
     */
    private @Nullable Duration shutdownDeadline;

    /**
     * When the components start their setup. 'auto': each as soon as its bean is fully initialized and the
     * components it depends on are active, while the context goes on creating its other beans, unless it depends
     * (directly or through plain beans) on a Lifecycle bean that is not running yet or on a SmartInitializingSingleton;
     * such a component (and what depends on it) starts with the context's lifecycle. 'always': every component as
     * soon as its bean and its dependencies are ready. 'never': every component with the context's lifecycle, as
     * before early start. A component's @ConductorComponent(earlyStart) overrides this.
     */
    private EarlyStart earlyStart = EarlyStart.AUTO;

    private final SetupRetry setupRetry = new SetupRetry();

    private final Readiness readiness = new Readiness();

    private final Supervision supervision = new Supervision();

    private final Leadership leadership = new Leadership();

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

    public EarlyStart getEarlyStart() {
        return earlyStart;
    }

    public void setEarlyStart(EarlyStart earlyStart) {
        this.earlyStart = earlyStart;
    }

    /** When the components start their setup: see {@code conductor.early-start}. */
    public enum EarlyStart {

        /** Early, unless a component depends on a bean that is only usable once the context's lifecycle started. */
        AUTO,

        /** Every component as soon as its bean and its dependencies are ready. */
        ALWAYS,

        /** Every component with the context's lifecycle. */
        NEVER
    }

    public boolean isPauseable() {
        return pauseable;
    }

    public void setPauseable(boolean pauseable) {
        this.pauseable = pauseable;
    }

    public @Nullable Duration getSetupDeadline() {
        return setupDeadline;
    }

    public void setSetupDeadline(@Nullable Duration setupDeadline) {
        this.setupDeadline = requirePositive(setupDeadline);
    }

    public @Nullable Duration getShutdownDeadline() {
        return shutdownDeadline;
    }

    public void setShutdownDeadline(@Nullable Duration shutdownDeadline) {
        this.shutdownDeadline = requirePositive(shutdownDeadline);
    }

    public SetupRetry getSetupRetry() {
        return setupRetry;
    }

    public Readiness getReadiness() {
        return readiness;
    }

    public Leadership getLeadership() {
        return leadership;
    }

    public Supervision getSupervision() {
        return supervision;
    }

    private static @Nullable Duration requirePositive(@Nullable Duration deadline) {
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("A deadline must be a positive duration, such as 30s or 2m");
        }
        return deadline;
    }

    private static Duration requireNotNegative(Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("It must be zero or a positive duration, such as 500ms or 2s");
        }
        return value;
    }

    private static double requireMultiplier(double multiplier) {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("It must be 1 (a fixed delay) or more");
        }
        return multiplier;
    }

    /**
     * How a component's failed setup is tried again, unless the component has a policy of its own
     * ({@code @ConductorComponent(setupRetry = @SetupRetry(...))}). The names, and the defaults other than
     * max-retries, are those of Spring Framework's {@code @Retryable}. Each attempt is bounded by the component's
     * setup timeout; while a component waits to retry, its dependents wait and the other components carry on.
     */
    public static class SetupRetry {

        /**
         * How many times a failed setup is tried again after the first attempt. 0, the default, fails the startup
         * at the first failure.
         */
        private int maxRetries;

        /**
         * The delay before the first retry.
         */
        private Duration delay = Duration.ofSeconds(1);

        /**
         * The factor each further delay is multiplied by: 1 for a fixed delay, 2 to double it every time.
         */
        private double multiplier = 1;

        /**
         * The longest delay between two attempts, however far the multiplier and the jitter would take it. No
         * limit unless set.
         */
        private @Nullable Duration maxDelay;

        /**
         * How far each delay may be moved at random, earlier or later (uniformly, never below 0 nor above the
         * maximum delay), so that instances started together do not retry in step.
         */
        private Duration jitter = Duration.ZERO;

        /**
         * The failures worth a retry: a setup is retried only when what it threw, or one of its causes, is one of
         * these types or a subtype. Any exception unless set.
         */
        private List<Class<? extends Throwable>> includes = new ArrayList<>();

        /**
         * The failures never worth a retry (a configuration error, say): a setup that threw one of these types or
         * a subtype, or an exception caused by one, fails at once.
         */
        private List<Class<? extends Throwable>> excludes = new ArrayList<>();

        public int getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("It must be 0 (no retries) or more");
            }
            this.maxRetries = maxRetries;
        }

        public Duration getDelay() {
            return delay;
        }

        public void setDelay(Duration delay) {
            this.delay = requireNotNegative(delay);
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = requireMultiplier(multiplier);
        }

        public @Nullable Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(@Nullable Duration maxDelay) {
            this.maxDelay = maxDelay == null ? null : requireNotNegative(maxDelay);
        }

        public Duration getJitter() {
            return jitter;
        }

        public void setJitter(Duration jitter) {
            this.jitter = requireNotNegative(jitter);
        }

        public List<Class<? extends Throwable>> getIncludes() {
            return includes;
        }

        public void setIncludes(List<Class<? extends Throwable>> includes) {
            this.includes = includes;
        }

        public List<Class<? extends Throwable>> getExcludes() {
            return excludes;
        }

        public void setExcludes(List<Class<? extends Throwable>> excludes) {
            this.excludes = excludes;
        }
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
         * How often the components' health is checked for readiness while the application runs; the same checks
         * count health failures (conductor.supervision.health-failure-threshold).
         */
        private Duration checkInterval = Duration.ofSeconds(10);

        /**
         * Whether the application reports REFUSING_TRAFFIC while a component is restarted by its supervision (or
         * through the conductor endpoint), from before its dependents shut down until they are all set up again.
         */
        private boolean refuseTrafficWhileRestarting = true;

        public boolean isRefuseTrafficWhileRestarting() {
            return refuseTrafficWhileRestarting;
        }

        public void setRefuseTrafficWhileRestarting(boolean refuseTrafficWhileRestarting) {
            this.refuseTrafficWhileRestarting = refuseTrafficWhileRestarting;
        }

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

    /**
     * What happens when a component fails while running (it reported the failure through ComponentFailures, or
     * its health was DOWN too many checks in a row), unless the component has a policy of its own
     * ({@code @ConductorComponent(supervision = @Supervision(...))}).
     */
    public static class Supervision {

        /**
         * What a runtime failure does: none records it (the component's health shows it), restart restarts the
         * component and its dependents while every other component keeps running, escalate shuts every component
         * down and acts as on-escalation says.
         */
        private Policy policy = Policy.NONE;

        /**
         * With the restart policy, how many restarts the window allows; the next failure within the window
         * escalates.
         */
        private int maxRestarts = 3;

        /**
         * With the restart policy, the window the restarts are counted in.
         */
        private Duration window = Duration.ofMinutes(1);

        /**
         * What an escalation does once every component is shut down: liveness reports LivenessState.BROKEN (so
         * Kubernetes restarts the pod), exit closes the application and exits the JVM with exit-code.
         */
        private OnEscalation onEscalation = OnEscalation.LIVENESS;

        /**
         * The JVM's exit code when on-escalation is exit.
         */
        private int exitCode = 1;

        /**
         * How many health checks in a row a component implementing ComponentHealth must report DOWN to count as a
         * runtime failure; 0 never counts health as a failure. The checks are those of the readiness
         * (conductor.readiness.check-interval), so a failure is noticed check-interval x threshold after the
         * health went down: 30 s with the defaults (10 s x 3). Shorten the check interval to notice sooner.
         */
        private int healthFailureThreshold = 3;

        private final Backoff backoff = new Backoff();

        public Policy getPolicy() {
            return policy;
        }

        public void setPolicy(Policy policy) {
            this.policy = policy;
        }

        public int getMaxRestarts() {
            return maxRestarts;
        }

        public void setMaxRestarts(int maxRestarts) {
            if (maxRestarts < 1) {
                throw new IllegalArgumentException("It must be 1 or more: use the escalate policy to restart nothing");
            }
            this.maxRestarts = maxRestarts;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("It must be a positive duration, such as 1m");
            }
            this.window = window;
        }

        public OnEscalation getOnEscalation() {
            return onEscalation;
        }

        public void setOnEscalation(OnEscalation onEscalation) {
            this.onEscalation = onEscalation;
        }

        public int getExitCode() {
            return exitCode;
        }

        public void setExitCode(int exitCode) {
            if (exitCode == 0) {
                throw new IllegalArgumentException("It must not be 0: an escalation is a failure");
            }
            this.exitCode = exitCode;
        }

        public int getHealthFailureThreshold() {
            return healthFailureThreshold;
        }

        public void setHealthFailureThreshold(int healthFailureThreshold) {
            if (healthFailureThreshold < 0) {
                throw new IllegalArgumentException("It must be 0 (health never counts as a failure) or more");
            }
            this.healthFailureThreshold = healthFailureThreshold;
        }

        public Backoff getBackoff() {
            return backoff;
        }

        /** The supervision policies. */
        public enum Policy {
            /** Record the failure and do nothing else. */
            NONE,
            /** Restart the component with its dependents, within the restart budget. */
            RESTART,
            /** Shut every component down. */
            ESCALATE
        }

        /** What an escalation does to the application. */
        public enum OnEscalation {
            /** Report LivenessState.BROKEN. */
            LIVENESS,
            /** Close the application and exit the JVM. */
            EXIT
        }

        /**
         * The delays before restarts in a row.
         */
        public static class Backoff {

            /**
             * The delay before the first restart in a row.
             */
            private Duration delay = Duration.ofSeconds(1);

            /**
             * The factor each further delay is multiplied by: 1 for a fixed delay.
             */
            private double multiplier = 1;

            /**
             * The longest delay before a restart. No limit unless set.
             */
            private @Nullable Duration maxDelay;

            public Duration getDelay() {
                return delay;
            }

            public void setDelay(Duration delay) {
                this.delay = requireNotNegative(delay);
            }

            public double getMultiplier() {
                return multiplier;
            }

            public void setMultiplier(double multiplier) {
                this.multiplier = requireMultiplier(multiplier);
            }

            public @Nullable Duration getMaxDelay() {
                return maxDelay;
            }

            public void setMaxDelay(@Nullable Duration maxDelay) {
                this.maxDelay = maxDelay == null ? null : requireNotNegative(maxDelay);
            }
        }
    }

    /**
     * Leader-only components ({@code @LeaderOnly}) and the election that decides who runs them.
     */
    public static class Leadership {

        /**
         * Components that are leader-only although their class or {@code @Bean} method is not annotated: the bean
         * name of each, mapped to its role.
         */
        private final Map<String, String> leaderOnly = new LinkedHashMap<>();

        /**
         * How long a leader waits between checks that it still holds its role's lock, and how long a candidate
         * tries for the lock at a time (Spring Integration's leader initiator).
         */
        private Duration heartbeat = Duration.ofMillis(500);

        /**
         * How long a candidate waits after failing to take a role's lock, or after losing it.
         */
        private Duration busyWait = Duration.ofMillis(50);

        private final Jdbc jdbc = new Jdbc();

        public Map<String, String> getLeaderOnly() {
            return leaderOnly;
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = requireNotNegative(heartbeat);
        }

        public Duration getBusyWait() {
            return busyWait;
        }

        public void setBusyWait(Duration busyWait) {
            this.busyWait = requireNotNegative(busyWait);
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        /**
         * The fencing tokens kept in the application's database, when it has a DataSource.
         */
        public static class Jdbc {

            /**
             * The table of the tokens, one row per role.
             */
            private String table = "CONDUCTOR_FENCING_TOKEN";

            /**
             * Whether to create the table when it does not exist.
             */
            private boolean createTable = true;

            public String getTable() {
                return table;
            }

            public void setTable(String table) {
                this.table = table;
            }

            public boolean isCreateTable() {
                return createTable;
            }

            public void setCreateTable(boolean createTable) {
                this.createTable = createTable;
            }
        }
    }
}
