package dev.conductor.spring.autoconfigure;

import dev.conductor.core.BootTimeline;
import dev.conductor.core.LifecycleEngine;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;

/**
 * When the stages of the application's start happened, on the clock of {@link System#nanoTime()}, for the
 * picture of the whole start ({@link BootTimeline}): the JVM's start, Spring Boot's events, the context
 * refresh's own startup steps, the start of the lifecycle phases and of the web server, Conductor's setup, and
 * ready. Recorded by {@link BootEvents} for every application started with {@code SpringApplication}; an
 * application context started otherwise has none.
 *
 * <p>The refresh's steps ({@code spring.context.refresh}, {@code spring.context.beans.post-process},
 * {@code spring.boot.webserver.create}) come from the application's {@code BufferingApplicationStartup} when it
 * has one, and otherwise from a thin wrapper around its {@code ApplicationStartup} that notes when those three
 * begin and end; without them, the stages are bounded by Conductor's own timestamps.
 */
public final class BootTimes implements ConductorLifecycle.SetupObserver {

    /** The bean name it is registered under. */
    public static final String BEAN_NAME = "conductorBootTimes";

    static final String REFRESH_STEP = "spring.context.refresh";

    static final String POST_PROCESS_STEP = "spring.context.beans.post-process";

    static final String WEB_SERVER_CREATE_STEP = "spring.boot.webserver.create";

    /**
     * The JVM's start on the clock of {@code System.nanoTime()}, to the millisecond the JVM reports; read when
     * first needed (the JVM's management classes cost a cold start milliseconds), {@code 0} until then.
     */
    private volatile long jvmStart;

    private final Map<String, Long> events = new ConcurrentHashMap<>();

    private final Map<String, long[]> steps = new ConcurrentHashMap<>();

    private volatile @Nullable BeanFactory beanFactory;

    private volatile @Nullable BufferingApplicationStartup buffering;

    BootTimes() {
    }

    void attach(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The application records its steps in a buffer: read them from there rather than wrapping it. */
    void buffering(BufferingApplicationStartup startup) {
        this.buffering = startup;
    }

    /** Notes an event the first time it happens. */
    void event(String name) {
        events.putIfAbsent(name, System.nanoTime());
    }

    /** Notes the start and end of a startup step, the first time it runs. */
    void step(String name, long start, long end) {
        steps.putIfAbsent(name, new long[] { start, end });
    }

    /** Whether Conductor has set components up in this application (it has a setup to show). */
    boolean setUp() {
        return events.containsKey("setup");
    }

    @Override
    public void observe(Runnable setup) {
        events.put("setup", System.nanoTime()); // the latest setup, whose report the picture shows
        setup.run();
    }

    /**
     * The whole start as it stands now: what happened so far, with Conductor's last setup when there was one.
     */
    public BootTimeline timeline() {
        BootTimeline.Builder builder = BootTimeline.builder();
        Long starting = events.get("starting");
        Long environment = events.get("environment");
        Long prepared = events.get("prepared");
        long[] refresh = step(REFRESH_STEP);
        long[] postProcess = step(POST_PROCESS_STEP);
        long[] serverCreate = step(WEB_SERVER_CREATE_STEP);
        Long lifecycle = events.get("lifecycle");
        Long refreshed = events.get("refreshed");
        Long serverStarting = events.get("web-server-starting");
        Long serverStarted = events.get("web-server");
        Long started = events.get("started");
        Long ready = events.get("ready");

        builder.mark("JVM start", Duration.ZERO);
        if (starting != null) {
            builder.stage("JVM start to SpringApplication.run", Duration.ZERO, at(starting), 0);
            Long end = refresh != null ? Long.valueOf(refresh[0]) : prepared;
            if (end != null) {
                builder.stage("environment and context prepared", at(starting), at(end), 0);
            }
            if (environment != null) {
                builder.stage("environment", at(starting), at(environment), 1);
            }
        }
        Long refreshStart = refresh != null ? Long.valueOf(refresh[0]) : prepared;
        Long refreshEnd = refresh != null ? Long.valueOf(refresh[1]) : refreshed;
        if (refreshStart != null && refreshEnd != null) {
            builder.stage("context refresh", at(refreshStart), at(refreshEnd), 0);
        }
        if (postProcess != null) {
            builder.stage("bean definitions", at(postProcess[0]), at(postProcess[1]), 1);
        }
        Long creationStart = postProcess != null ? Long.valueOf(postProcess[1]) : refreshStart;
        if (creationStart != null && lifecycle != null && lifecycle >= creationStart) {
            builder.stage("bean creation", at(creationStart), at(lifecycle), 1);
        }
        if (serverCreate != null) {
            builder.stage("web server created", at(serverCreate[0]), at(serverCreate[1]), 2);
        }
        if (lifecycle != null && refreshEnd != null && refreshEnd >= lifecycle) {
            builder.stage("lifecycle start", at(lifecycle), at(refreshEnd), 1);
        }
        if (serverStarting != null && serverStarted != null && serverStarted >= serverStarting) {
            builder.stage("web server start", at(serverStarting), at(serverStarted), 2);
        }
        if (started != null && ready != null && ready >= started) {
            builder.stage("runners", at(started), at(ready), 0);
        }
        if (ready != null) {
            builder.mark("ready", at(ready));
        }
        Long setup = events.get("setup");
        LifecycleEngine engine = engine();
        if (setup != null && engine != null) {
            builder.setup(engine.report(), at(setup));
        }
        return builder.build();
    }

    private @Nullable LifecycleEngine engine() {
        BeanFactory factory = beanFactory;
        if (factory == null) {
            return null;
        }
        ConductorLifecycle lifecycle = factory.getBeanProvider(ConductorLifecycle.class).getIfAvailable();
        return lifecycle == null ? null : lifecycle.getEngine();
    }

    private long @Nullable [] step(String name) {
        long[] own = steps.get(name);
        if (own != null) {
            return own;
        }
        BufferingApplicationStartup startup = buffering;
        if (startup == null) {
            return null;
        }
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        for (StartupTimeline.TimelineEvent event : startup.getBufferedTimeline().getEvents()) {
            if (event.getStartupStep().getName().equals(name)) {
                return new long[] { nowNanos - Duration.between(event.getStartTime(), now).toNanos(),
                        nowNanos - Duration.between(event.getEndTime(), now).toNanos() };
            }
        }
        return null;
    }

    /** A time on the picture's axis: from the JVM's start, never before it. */
    private Duration at(long nanos) {
        return Duration.ofNanos(Math.max(0, nanos - jvmStart()));
    }

    private long jvmStart() {
        long start = jvmStart;
        if (start == 0) {
            // the same at any moment: the uptime and the nanosecond clock both go on from the JVM's start
            start = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
            jvmStart = start;
        }
        return start;
    }
}
