package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentSetupException;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.StartupReport;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.SetupRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.metrics.StartupStep;

/**
 * {@code conductor.setup-retry.*}, {@code @SetupRetry}, {@code conductor.setup-deadline} and
 * {@code conductor.shutdown-deadline} in a real {@code SpringApplication}: what is retried, how it shows in the
 * log, the events, the report and the metrics, and how an exhausted retry or a passed deadline is explained.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SetupRetryAndDeadlineTests {

    /** How many attempts of {@link FlakyDatabase} fail before one succeeds. */
    static volatile int failingAttempts;

    /** What {@link FlakyDatabase} throws on a failing attempt; given the attempt number. */
    static volatile java.util.function.IntFunction<RuntimeException> failure;

    static final AtomicInteger DATABASE_ATTEMPTS = new AtomicInteger();

    static final AtomicInteger SHUTDOWNS = new AtomicInteger();

    static volatile CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void reset() {
        failingAttempts = 0;
        failure = attempt -> new UncheckedIOException(new ConnectException("connection refused (attempt " + attempt
                + ")"));
        DATABASE_ATTEMPTS.set(0);
        SHUTDOWNS.set(0);
        release = new CountDownLatch(1);
    }

    private static ConfigurableApplicationContext run(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).properties(properties).run();
    }

    /** Fails its first {@link #failingAttempts} setups, as a database that is not reachable yet. */
    @ConductorComponent("database")
    static class FlakyDatabase implements Component {

        static final AtomicInteger CREATED = new AtomicInteger();

        FlakyDatabase() {
            CREATED.incrementAndGet();
        }

        @Override
        public void setup() {
            int attempt = DATABASE_ATTEMPTS.incrementAndGet();
            if (attempt <= failingAttempts) {
                throw failure.apply(attempt);
            }
        }

        @Override
        public void shutdown() {
            SHUTDOWNS.incrementAndGet();
        }
    }

    @ConductorComponent("webApi")
    static class WebApi implements Component {

        WebApi(FlakyDatabase database) {
        }

        @Override
        public void shutdown() {
            SHUTDOWNS.incrementAndGet();
        }
    }

    /** Records every event; the metrics registry is real. */
    static class Events {

        final List<LifecycleEvent> all = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ComponentLifecycleEvent event) {
            all.add(event.getEvent());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ ConductorAutoConfiguration.class,
            dev.conductor.spring.actuate.ConductorMetricsAutoConfiguration.class })
    @Import({ FlakyDatabase.class, WebApi.class })
    static class RetryingApplication {

        @Bean
        Events events() {
            return new Events();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void aSetupThatFailsItsFirstAttemptsIsRetriedAsThePropertiesSayWhileItsDependentsWait(CapturedOutput output) {
        failingAttempts = 2;
        try (ConfigurableApplicationContext context = run(RetryingApplication.class,
                "conductor.setup-retry.max-retries=3", "conductor.setup-retry.delay=10ms",
                "conductor.setup-retry.multiplier=2")) {
            assertThat(DATABASE_ATTEMPTS).hasValue(3);
            List<LifecycleEvent> events = context.getBean(Events.class).all;
            List<LifecycleEvent> retries = events.stream()
                    .filter(event -> event.kind() == LifecycleEvent.Kind.SETUP_RETRYING).toList();
            assertThat(retries).extracting(LifecycleEvent::component, LifecycleEvent::attempt,
                    LifecycleEvent::retryDelay)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("database", 1, Duration.ofMillis(10)),
                            org.assertj.core.groups.Tuple.tuple("database", 2, Duration.ofMillis(20)));
            assertThat(retries.get(0).failure()).hasRootCauseMessage("connection refused (attempt 1)");
            assertThat(events.stream().filter(event -> event.component().equals("database")).map(event ->
                    event.kind() + "#" + event.attempt())).containsExactly("SETUP_STARTED#1", "SETUP_RETRYING#1",
                            "SETUP_STARTED#2", "SETUP_RETRYING#2", "SETUP_STARTED#3", "SETUP_FINISHED#3");
            int databaseUp = indexOf(events, "database", LifecycleEvent.Kind.SETUP_FINISHED);
            assertThat(indexOf(events, "webApi", LifecycleEvent.Kind.SETUP_STARTED))
                    .as("the web API waits for the database's last attempt").isGreaterThan(databaseUp);

            StartupReport.ComponentReport database = context.getBean(ConductorLifecycle.class).getEngine().report()
                    .component("database");
            assertThat(database.attempts()).extracting(StartupReport.Attempt::number).containsExactly(1, 2, 3);
            assertThat(database.attempts()).extracting(StartupReport.Attempt::delayBeforeNext)
                    .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), null);
            assertThat(new dev.conductor.spring.actuate.ConductorEndpoint(context.getBean(ConductorLifecycle.class))
                    .conductor().components()).filteredOn(component -> component.name().equals("database"))
                    .singleElement().extracting("setupAttempts").isEqualTo(3);
            assertThat(context.getBean(MeterRegistry.class).get("conductor.component.setup.retries")
                    .tags("component", "database", "exception", "UncheckedIOException").counter().count())
                    .isEqualTo(2);
        }
        assertThat(output).contains("WARN").contains("Conductor: component 'database' failed attempt 1 at its setup"
                + " after ").contains(" ms (java.io.UncheckedIOException: java.net.ConnectException: connection"
                        + " refused (attempt 1)); attempt 2 in 10 ms")
                .contains("; attempt 3 in 20 ms")
                .containsPattern("Conductor: Set up 2 components in .*\\n  tier 0: database \\d+ [mu]?s \\(3 attempts\\)");
    }

    @Test
    void theStartupStepOfAComponentSpansAllItsAttempts() {
        failingAttempts = 2;
        BufferingApplicationStartup startup = new BufferingApplicationStartup(64);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RetryingApplication.class)
                .web(WebApplicationType.NONE).applicationStartup(startup)
                .properties("conductor.setup-retry.max-retries=2", "conductor.setup-retry.delay=0ms").run()) {
            List<StartupTimeline.TimelineEvent> steps = startup.getBufferedTimeline().getEvents().stream()
                    .filter(event -> event.getStartupStep().getName().equals("conductor.component.setup"))
                    .filter(event -> tag(event, "component").equals("database")).toList();
            assertThat(steps).singleElement().satisfies(step -> assertThat(tag(step, "attempts")).isEqualTo("3"));
        }
    }

    private static String tag(StartupTimeline.TimelineEvent event, String key) {
        for (StartupStep.Tag tag : event.getStartupStep().getTags()) {
            if (tag.getKey().equals(key)) {
                return tag.getValue();
            }
        }
        return "";
    }

    private static int indexOf(List<LifecycleEvent> events, String component, LifecycleEvent.Kind kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).component().equals(component) && events.get(i).kind() == kind) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " of " + component + " in " + events);
    }

    @Test
    void withoutTheRetryPropertiesTheFirstFailureFailsTheStartup() {
        failingAttempts = 1;
        assertThatException().isThrownBy(() -> run(RetryingApplication.class).close());
        assertThat(DATABASE_ATTEMPTS).hasValue(1);
    }

    @Test
    void exhaustedRetriesFailTheStartupAfterTheRollbackAndTheAnalyzerCountsTheAttempts(CapturedOutput output) {
        failingAttempts = Integer.MAX_VALUE;
        // in the lifecycle's start, so that webApi exists when the database fails (see ConductorStartupFailureTests)
        Throwable thrown = catchStartupFailure(() -> run(RetryingApplication.class,
                "conductor.setup-retry.max-retries=2", "conductor.setup-retry.delay=0ms", "conductor.early-start=never"));
        ComponentSetupException setup = NestedExceptionUtils.getMostSpecificCause(thrown) instanceof
                ComponentSetupException direct ? direct : find(thrown, ComponentSetupException.class);
        assertThat(setup.getAttempts()).isEqualTo(3);
        assertThat(DATABASE_ATTEMPTS).hasValue(3);
        assertThat(SHUTDOWNS).as("a component whose setup failed is never shut down").hasValue(0);
        assertThat(output).contains("""
                Description:

                Component 'database' failed to set up after 3 attempts over %s.

                    Dependency path: webApi -> database
                    Cause: java.io.UncheckedIOException: java.net.ConnectException: connection refused (attempt 3)
                    Attempt 1: java.io.UncheckedIOException: java.net.ConnectException: connection refused (attempt 1)
                    Attempt 2: java.io.UncheckedIOException: java.net.ConnectException: connection refused (attempt 2)

                The components that were already active were shut down again.

                Action:

                Fix what the setup of 'database' needs (the causes above), or let it try for longer: raise\
                 conductor.setup-retry.max-retries or conductor.setup-retry.delay (or\
                 @ConductorComponent(setupRetry = @SetupRetry(...)) for this component alone)."""
                .formatted(ConductorFailureAnalyzer.seconds(setup.getElapsed())));
    }

    @Test
    void theElapsedTimeReadsAsAPersonNeedsIt() {
        assertThat(ConductorFailureAnalyzer.seconds(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(ConductorFailureAnalyzer.seconds(Duration.ofMillis(2_540))).isEqualTo("2.5 s");
        assertThat(ConductorFailureAnalyzer.seconds(Duration.ofMillis(30_600))).isEqualTo("31 s");
    }

    @Test
    void excludedFailuresAreNotRetriedWhenTheyAreTheCauseAsInSpringsOwnRetryPolicy() {
        failingAttempts = Integer.MAX_VALUE;
        failure = attempt -> new IllegalStateException("bad settings", new IllegalArgumentException("no such user"));
        assertThatException().isThrownBy(() -> run(RetryingApplication.class, "conductor.setup-retry.max-retries=5",
                "conductor.setup-retry.delay=0ms", "conductor.setup-retry.excludes=java.lang.IllegalArgumentException"));
        assertThat(DATABASE_ATTEMPTS).hasValue(1);
    }

    @Test
    void onlyIncludedFailuresAreRetriedAlsoWhenTheyAreTheCause() {
        failingAttempts = 2;
        try (ConfigurableApplicationContext context = run(RetryingApplication.class,
                "conductor.setup-retry.max-retries=5", "conductor.setup-retry.delay=0ms",
                "conductor.setup-retry.includes=java.net.ConnectException")) {
            assertThat(DATABASE_ATTEMPTS).as("the ConnectException is the cause, and it is retried").hasValue(3);
        }
        reset();
        failingAttempts = 2;
        failure = attempt -> new IllegalStateException("schema is newer than the application");
        assertThatException().isThrownBy(() -> run(RetryingApplication.class, "conductor.setup-retry.max-retries=5",
                "conductor.setup-retry.delay=0ms", "conductor.setup-retry.includes=java.net.ConnectException"));
        assertThat(DATABASE_ATTEMPTS).hasValue(1);
    }

    @Test
    void aRetryPropertyOutOfRangeFailsTheBindingNamingIt(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(RetryingApplication.class, "conductor.setup-retry.multiplier=0.5"));
        assertThat(output).contains("    Property: conductor.setup-retry.multiplier" + System.lineSeparator()
                + "    Value: \"0.5\"")
                .contains("    Reason: java.lang.IllegalArgumentException: It must be 1 (a fixed delay) or more");
        assertThat(DATABASE_ATTEMPTS).hasValue(0);
    }

    @Test
    void aMaxDelayBelowTheDelayFailsTheStartupNamingBothProperties(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(RetryingApplication.class, "conductor.setup-retry.max-retries=1",
                "conductor.setup-retry.delay=2s", "conductor.setup-retry.max-delay=500ms"));
        assertThat(output).contains("conductor.setup-retry.max-delay (500ms) is less than conductor.setup-retry.delay"
                + " (2s). Raise conductor.setup-retry.max-delay, or lower conductor.setup-retry.delay.");
        assertThat(DATABASE_ATTEMPTS).hasValue(0);
    }

    /**
     * Retries as its annotation says; the properties give no retries. Its delay, an expression, is only known once
     * the context runs: the early check must not hold the maxDelay against the default delay (1 s).
     */
    @ConductorComponent(value = "queue", setupRetry = @SetupRetry(maxRetries = "${test.queue.retries:2}",
            delay = "#{'0ms'}", maxDelay = "500ms"))
    static class RetryingQueue implements Component {

        static final AtomicInteger ATTEMPTS = new AtomicInteger();

        @Override
        public void setup() {
            if (ATTEMPTS.incrementAndGet() <= 2) {
                throw new IllegalStateException("broker not up yet");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConductorAutoConfiguration.class })
    @Import({ FlakyDatabase.class, RetryingQueue.class })
    static class OwnPolicyApplication {
    }

    @Test
    void aComponentsOwnPolicyComesFromItsAnnotationWithPlaceholdersAndExpressions() {
        RetryingQueue.ATTEMPTS.set(0);
        try (ConfigurableApplicationContext context = run(OwnPolicyApplication.class)) {
            assertThat(RetryingQueue.ATTEMPTS).hasValue(3);
        }
        RetryingQueue.ATTEMPTS.set(0);
        DATABASE_ATTEMPTS.set(0);
        failingAttempts = 1;
        assertThatException().as("the database has no policy of its own, and the properties give none")
                .isThrownBy(() -> run(OwnPolicyApplication.class).close());
        assertThat(DATABASE_ATTEMPTS).hasValue(1);
        RetryingQueue.ATTEMPTS.set(0);
        // the database must not fail here: its failure would stop the startup, the queue's retry with it
        failingAttempts = 0;
        assertThatException().as("fewer retries from the placeholder's property")
                .isThrownBy(() -> run(OwnPolicyApplication.class, "test.queue.retries=1").close());
        assertThat(RetryingQueue.ATTEMPTS).hasValue(2);
    }

    @ConductorComponent(value = "cache", setupRetry = @SetupRetry(maxRetries = "3", multiplier = "0.5"))
    static class BadMultiplier implements Component {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ FlakyDatabase.class, BadMultiplier.class })
    static class BadMultiplierApplication {
    }

    @Test
    void anAnnotationAttributeThatIsNoNumberFailsTheStartupBeforeAnyComponentIsCreated(CapturedOutput output) {
        FlakyDatabase.CREATED.set(0);
        assertThatException().isThrownBy(() -> run(BadMultiplierApplication.class));
        assertThat(FlakyDatabase.CREATED).as("checked before any singleton is created").hasValue(0);
        assertThat(output).contains("""
                Description:

                Component 'cache' has @ConductorComponent(setupRetry = @SetupRetry(multiplier = "0.5")), which is not\
                 a number of at least 1.

                Action:

                Use a number such as "3".""");
        assertThat(DATABASE_ATTEMPTS).hasValue(0);
    }

    /** Blocks its setup until interrupted. */
    @ConductorComponent("migration")
    static class HangingMigration implements Component {

        @Override
        public void setup() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    /** Needs the migration, so it waits. */
    @ConductorComponent("reports")
    static class Reports implements Component {

        Reports(HangingMigration migration) {
        }
    }

    /** Always fails, and retries as long as the deadline lets it. */
    @ConductorComponent(value = "broker", setupRetry = @SetupRetry(maxRetries = "1000", delay = "20ms"))
    static class UnreachableBroker implements Component {

        @Override
        public void setup() throws ConnectException {
            throw new ConnectException("broker unreachable");
        }
    }

    /** Sets up at once, and is shut down again by the rollback. */
    @ConductorComponent("clock")
    static class Clock implements Component {

        @Override
        public void shutdown() {
            SHUTDOWNS.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Clock.class, HangingMigration.class, Reports.class, UnreachableBroker.class })
    static class SlowApplication {
    }

    @Test
    void theSetupDeadlineFailsTheStartupNamingWhatWasInProgressAndWhatWaited(CapturedOutput output) {
        long started = System.nanoTime();
        assertThatException().isThrownBy(() -> run(SlowApplication.class, "conductor.setup-deadline=2s"));
        // 2 s: long enough that the clock is active and the broker has failed once, also on a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("far less than the setup timeout (1 min)")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(SHUTDOWNS).as("the clock was active, and shut down again").hasValue(1);
        assertThat(output).contains("""
                Description:

                The components did not finish their setup within the setup deadline of 2.0 s.

                    Still setting up: migration, broker
                    Still waiting for their dependencies: reports
                    migration: 'migration' did not finish its setup before the setup deadline (2000 ms)
                    broker: java.net.ConnectException: broker unreachable

                The components that were already active were shut down again.

                Action:

                Make the setup of migration, broker finish sooner, or raise conductor.setup-deadline (now 2s).""");
    }

    /** Its shutdown hangs, not even answering an interrupt, until the test releases it. */
    @ConductorComponent("exporter")
    static class HangingExporter implements Component {

        @Override
        public void shutdown() {
            boolean released = false;
            while (!released) {
                try {
                    released = release.await(1, TimeUnit.HOURS);
                }
                catch (InterruptedException ignored) {
                    // a shutdown that ignores interrupts: the worst case
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ FlakyDatabase.class, WebApi.class, HangingExporter.class })
    static class HangingShutdownApplication {
    }

    @Test
    void theShutdownDeadlineEndsTheShutdownWhileAComponentHangsAndTheOthersAreShutDown(CapturedOutput output) {
        ConfigurableApplicationContext context = run(HangingShutdownApplication.class,
                "conductor.shutdown-timeout=1h", "conductor.shutdown-deadline=2s"); // long enough for the two others to begin
        try {
            context.close(); // returns only because of the deadline: the exporter's shutdown never does by itself
            assertThat(release.getCount()).as("the exporter is still hanging").isEqualTo(1);
            assertThat(SHUTDOWNS).as("the web API and the database were shut down").hasValue(2);
            assertThat(output).contains("exporter");
            assertThat(output.getOut() + output.getErr()).containsPattern("ERROR .*Conductor: .*'exporter'");
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void configurationMetadataDescribesTheRetryAndDeadlineProperties() throws IOException {
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(
                    "\"conductor.setup-retry.max-retries\"", "\"conductor.setup-retry.delay\"",
                    "\"conductor.setup-retry.multiplier\"", "\"conductor.setup-retry.max-delay\"",
                    "\"conductor.setup-retry.jitter\"", "\"conductor.setup-retry.includes\"",
                    "\"conductor.setup-retry.excludes\"", "\"conductor.setup-deadline\"",
                    "\"conductor.shutdown-deadline\"", "How many times a failed setup is tried again");
        }
    }

    private static Throwable catchStartupFailure(Runnable startup) {
        try {
            startup.run();
        }
        catch (RuntimeException ex) {
            return ex;
        }
        throw new AssertionError("the application started");
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable current = thrown; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + thrown, thrown);
    }
}
