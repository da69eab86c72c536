package dev.conductor.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Records the times of the application's start in a {@link BootTimes}, from Spring Boot's events (registered in
 * {@code META-INF/spring.factories}, so it hears {@code ApplicationStartingEvent} before any context exists). Once
 * the context is initialized, it registers the {@code BootTimes} in it, two lifecycle beans that note when the
 * lifecycle phases begin and when the web server's phase begins, and, unless the application buffers its startup
 * steps itself, a wrapper around its {@code ApplicationStartup} that notes three steps of the refresh. Nothing
 * here changes what the application does, except that when the refresh failed because a setup that began early
 * failed, that failure is added to the exception the refresh failed with (as a suppressed exception).
 */
final class BootEvents implements SmartApplicationListener {

    /** The web server's start/stop phase in Spring Boot: the marker before it runs just before the server starts. */
    static final int WEB_SERVER_PHASE = Integer.MAX_VALUE - 2048;

    private static final String WEB_SERVER_INITIALIZED = "org.springframework.boot.web.server.context"
            + ".WebServerInitializedEvent";

    /** Whether a {@code SpringApplication} has run in this JVM before: then the JVM's start is not this run's. */
    private static final AtomicBoolean ranBefore = new AtomicBoolean();

    private final BootTimes times = new BootTimes();

    /** Whether this is the JVM's first {@code SpringApplication} run, as of its {@code ApplicationStartingEvent}. */
    private volatile boolean firstRun = true;

    private volatile @Nullable ApplicationContext context;

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return true;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent) {
            firstRun = !ranBefore.getAndSet(true);
            times.event("starting");
        }
        else if (event instanceof ApplicationEnvironmentPreparedEvent) {
            times.event("environment");
        }
        else if (event instanceof ApplicationContextInitializedEvent initialized) {
            attach(initialized.getApplicationContext());
        }
        else if (event instanceof ApplicationPreparedEvent) {
            times.event("prepared");
        }
        else if (event instanceof ContextRefreshedEvent refreshed && refreshed.getApplicationContext() == context) {
            times.event("refreshed");
        }
        else if (event instanceof ApplicationStartedEvent) {
            times.event("started");
        }
        else if (event instanceof ApplicationReadyEvent) {
            times.event("ready");
            if (times.setUp()) {
                BootLog.ready(times, firstRun); // no line without components
            }
        }
        else if (event instanceof ApplicationFailedEvent failed) {
            EarlyFailures.suppressIn(failed.getException());
        }
        else if (isWebServerInitialized(event.getClass())) {
            times.event("web-server");
        }
    }

    private static boolean isWebServerInitialized(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            if (current.getName().equals(WEB_SERVER_INITIALIZED)) {
                return true;
            }
        }
        return false;
    }

    private void attach(ConfigurableApplicationContext initialized) {
        if (context != null) {
            return;
        }
        context = initialized;
        times.attach(initialized.getBeanFactory());
        ApplicationStartup startup = initialized.getApplicationStartup();
        if (startup instanceof BufferingApplicationStartup buffering) {
            times.buffering(buffering); // wrapping it would hide it from Boot's startup endpoint
        }
        else {
            initialized.setApplicationStartup(new ObservedStartup(startup, times));
        }
        initialized.getBeanFactory().registerSingleton(BootTimes.BEAN_NAME, times);
        initialized.getBeanFactory().registerSingleton("conductorBootLifecycleMark",
                new PhaseMark(Integer.MIN_VALUE, times, "lifecycle"));
        initialized.getBeanFactory().registerSingleton("conductorBootWebServerMark",
                new PhaseMark(WEB_SERVER_PHASE - 1, times, "web-server-starting"));
    }

    /**
     * A lifecycle bean that only notes when its phase begins to start (no lambda: every application with the
     * starter makes two, components or not, and on a cold JVM each lambda's class costs).
     */
    static final class PhaseMark implements SmartLifecycle {

        private final int phase;

        private final BootTimes times;

        private final String event;

        private volatile boolean running;

        PhaseMark(int phase, BootTimes times, String event) {
            this.phase = phase;
            this.times = times;
            this.event = event;
        }

        @Override
        public void start() {
            times.event(event);
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    /** The application's {@code ApplicationStartup}, noting when three steps of the refresh begin and end. */
    static final class ObservedStartup implements ApplicationStartup {

        private final ApplicationStartup delegate;

        private final BootTimes times;

        ObservedStartup(ApplicationStartup delegate, BootTimes times) {
            this.delegate = delegate;
            this.times = times;
        }

        @Override
        public StartupStep start(String name) {
            StartupStep step = delegate.start(name);
            return switch (name) {
                case BootTimes.REFRESH_STEP, BootTimes.POST_PROCESS_STEP, BootTimes.WEB_SERVER_CREATE_STEP ->
                    new TimedStep(name, step, times, System.nanoTime());
                default -> step;
            };
        }
    }

    /** A step that notes its end, and otherwise is the application's. */
    private static final class TimedStep implements StartupStep {

        /** The step's name: a no-op step (the default startup's) answers a name of its own. */
        private final String name;

        private final StartupStep step;

        private final BootTimes times;

        private final long start;

        TimedStep(String name, StartupStep step, BootTimes times, long start) {
            this.name = name;
            this.step = step;
            this.times = times;
            this.start = start;
        }

        @Override
        public String getName() {
            return step.getName();
        }

        @Override
        public long getId() {
            return step.getId();
        }

        @Override
        public @Nullable Long getParentId() {
            return step.getParentId();
        }

        @Override
        public StartupStep tag(String key, String value) {
            step.tag(key, value);
            return this;
        }

        @Override
        public StartupStep tag(String key, Supplier<String> value) {
            step.tag(key, value);
            return this;
        }

        @Override
        public Tags getTags() {
            return step.getTags();
        }

        @Override
        public void end() {
            times.step(name, start, System.nanoTime());
            step.end();
        }
    }
}
