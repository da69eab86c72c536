package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flight Recorder events, read back from a real recording: a setup with a retry, a runtime failure and the
 * restart it leads to, an escalation, a failed setup and its rollback, and the shutdowns.
 */
@Timeout(60)
class FlightEventsTest {

    private static final List<String> NAMES = List.of("dev.conductor.ComponentSetup",
            "dev.conductor.ComponentShutdown", "dev.conductor.SetupRetry", "dev.conductor.RuntimeFailure",
            "dev.conductor.Restart", "dev.conductor.Escalation", "dev.conductor.Setup", "dev.conductor.Shutdown");

    @TempDir
    Path directory;

    /** database <- queue <- api; the queue's first setup fails and is retried; a runtime failure restarts it. */
    private LifecycleEngine shop(CountDownLatch restarted) {
        AtomicInteger queueSetups = new AtomicInteger();
        ComponentGraph graph = ComponentGraph.builder().add("database", new Probe())
                .add("queue", Probe.onSetup(() -> {
                    if (queueSetups.incrementAndGet() == 1) {
                        throw new IllegalStateException("broker not up yet");
                    }
                }), "database")
                .add("api", new Probe(), "queue")
                .build();
        return LifecycleEngine.builder(graph)
                .retryPolicy("queue", RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(1)).build())
                .supervision("queue", SupervisionPolicy.restart(3, Duration.ofMinutes(1), RetryPolicy.builder()
                        .delay(Duration.ofMillis(1)).build()))
                .listener(event -> {
                    if (event.kind() == LifecycleEvent.Kind.RESTART_FINISHED) {
                        restarted.countDown();
                    }
                })
                .build();
    }

    @Test
    void everyLifecycleStepIsAFlightRecorderEventWithItsFields() throws Exception {
        Path file = directory.resolve("conductor.jfr");
        try (Recording recording = new Recording()) {
            NAMES.forEach(name -> recording.enable(name).withoutThreshold());
            recording.start();

            CountDownLatch restarted = new CountDownLatch(1);
            LifecycleEngine shop = shop(restarted);
            shop.setup();
            shop.reportFailure("queue", new IllegalStateException("connection lost"));
            assertThat(restarted.await(20, TimeUnit.SECONDS)).isTrue();
            shop.shutdown();

            CountDownLatch escalated = new CountDownLatch(1);
            LifecycleEngine escalating = LifecycleEngine.builder(ComponentGraph.builder()
                    .add("cache", new Probe()).build())
                    .supervision("cache", SupervisionPolicy.escalate())
                    .onEscalation(failure -> escalated.countDown())
                    .build();
            escalating.setup();
            escalating.reportFailure("cache", new IllegalStateException("evicted everything"));
            assertThat(escalated.await(20, TimeUnit.SECONDS)).isTrue();

            LifecycleEngine failing = LifecycleEngine.builder(ComponentGraph.builder()
                    .add("database", new Probe())
                    .add("ledger", Probe.onSetup(() -> {
                        throw new IOException("disk full");
                    }), "database").build()).build();
            assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(failing::setup);

            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().startsWith("dev.conductor."))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .toList();

        assertThat(events).extracting(event -> event.getEventType().getName()).containsAll(NAMES);
        for (RecordedEvent event : events) {
            EventType type = event.getEventType();
            assertThat(type.getCategoryNames()).as(type.getName()).containsExactly("Conductor");
            assertThat(type.getLabel()).as(type.getName()).isNotBlank();
            assertThat(type.getDescription()).as(type.getName()).isNotBlank();
            assertThat(event.getStackTrace()).as(type.getName()).isNull();
        }

        // the setup: the queue's first attempt fails and is retried; every other component succeeds at once
        List<RecordedEvent> setups = named(events, "dev.conductor.ComponentSetup");
        RecordedEvent firstAttempt = only(setups, "queue", "retrying");
        assertThat(firstAttempt.getInt("attempt")).isEqualTo(1);
        assertThat(firstAttempt.getInt("tier")).isEqualTo(1);
        assertThat(firstAttempt.getString("implementation")).isEqualTo(Probe.class.getName());
        assertThat(firstAttempt.getString("failure"))
                .isEqualTo("java.lang.IllegalStateException: broker not up yet");
        assertThat(setups).filteredOn(event -> event.getString("component").equals("queue")
                && event.getString("outcome").equals("succeeded")).extracting(event -> event.getInt("attempt"))
                .containsExactly(2, 1); // the setup's second attempt, then the restart's first
        RecordedEvent database = setups.get(0);
        assertThat(database.getString("component")).isEqualTo("database");
        assertThat(database.getInt("tier")).isZero();
        assertThat(database.getString("failure")).isNull();
        RecordedEvent retry = single(events, "dev.conductor.SetupRetry");
        assertThat(retry.getString("component")).isEqualTo("queue");
        assertThat(retry.getInt("attempt")).isEqualTo(1);
        assertThat(retry.getDuration("retryDelay")).isEqualTo(Duration.ofMillis(1));
        assertThat(retry.getString("failure")).isEqualTo("java.lang.IllegalStateException: broker not up yet");

        // the runtime failure and its restart of the queue and the api
        RecordedEvent runtimeFailure = named(events, "dev.conductor.RuntimeFailure").get(0);
        assertThat(runtimeFailure.getString("component")).isEqualTo("queue");
        assertThat(runtimeFailure.getInt("tier")).isEqualTo(1);
        assertThat(runtimeFailure.getString("failure")).isEqualTo("java.lang.IllegalStateException: connection lost");
        RecordedEvent restart = single(events, "dev.conductor.Restart");
        assertThat(restart.getString("component")).isEqualTo("queue");
        assertThat(restart.getString("cause")).isEqualTo("java.lang.IllegalStateException: connection lost");
        assertThat(restart.getInt("components")).isEqualTo(2);
        assertThat(restart.getString("outcome")).isEqualTo("succeeded");
        assertThat(restart.getString("failure")).isNull();
        List<RecordedEvent> duringRestart = events.stream().filter(event -> !event.getStartTime()
                .isBefore(restart.getStartTime()) && !event.getEndTime().isAfter(restart.getEndTime())
                && event != restart).toList();
        assertThat(duringRestart).extracting(event -> event.getEventType().getName() + " "
                + event.getString("component")).containsExactlyInAnyOrder(
                        "dev.conductor.ComponentShutdown api", "dev.conductor.ComponentShutdown queue",
                        "dev.conductor.ComponentSetup queue", "dev.conductor.ComponentSetup api");

        // the escalation shuts everything down
        RecordedEvent escalation = single(events, "dev.conductor.Escalation");
        assertThat(escalation.getString("component")).isEqualTo("cache");
        assertThat(escalation.getString("implementation")).isEqualTo(Probe.class.getName());
        assertThat(escalation.getString("failure")).contains("evicted everything");

        // the failed setup: its component, the whole setup's outcome, and the rollback
        RecordedEvent ledger = only(setups, "ledger", "failed");
        assertThat(ledger.getString("failure")).isEqualTo("java.io.IOException: disk full");
        assertThat(ledger.getInt("attempt")).isEqualTo(1);
        List<RecordedEvent> wholeSetups = named(events, "dev.conductor.Setup");
        assertThat(wholeSetups).extracting(event -> event.getString("outcome"))
                .containsExactly("succeeded", "succeeded", "failed");
        assertThat(wholeSetups).extracting(event -> event.getInt("components")).containsExactly(3, 1, 2);
        RecordedEvent failedSetup = wholeSetups.get(2);
        assertThat(failedSetup.getString("failedComponent")).isEqualTo("ledger");
        assertThat(failedSetup.getString("failure")).contains("ledger").contains("disk full");
        assertThat(wholeSetups.get(0).getString("failedComponent")).isNull();
        assertThat(wholeSetups.get(0).getDuration()).isPositive();

        List<RecordedEvent> shutdowns = named(events, "dev.conductor.Shutdown");
        assertThat(shutdowns).extracting(event -> event.getInt("components") + " " + event.getBoolean("rollback")
                + " " + event.getString("outcome")).containsExactly("3 false succeeded", "1 false succeeded",
                        "2 true succeeded");
        assertThat(shutdowns).extracting(event -> event.getString("failedComponents")).containsOnlyNulls();
        // every component's shutdown: the shop's three twice over (restart, shutdown), the cache, the database
        assertThat(named(events, "dev.conductor.ComponentShutdown")).extracting(event -> event.getString("component")
                + " " + event.getString("outcome")).containsExactlyInAnyOrder("api succeeded", "queue succeeded",
                        "api succeeded", "queue succeeded", "database succeeded", "cache succeeded",
                        "database succeeded");
        assertThat(named(events, "dev.conductor.ComponentShutdown")).allSatisfy(event ->
                assertThat(event.getDuration().isNegative()).isFalse());
    }

    @Test
    void aWarmUpRecordsNothingLogsNothingAndCanRunConcurrently() throws Exception {
        Path file = directory.resolve("warm-up.jfr");
        java.util.logging.Logger engineLogger = java.util.logging.Logger.getLogger(LifecycleEngine.class.getName());
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Level level = engineLogger.getLevel();
        engineLogger.setLevel(java.util.logging.Level.ALL);
        engineLogger.addHandler(handler);
        try (Recording recording = new Recording()) {
            NAMES.forEach(name -> recording.enable(name).withoutThreshold());
            recording.start();

            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            Thread other = new Thread(() -> {
                try {
                    together.await(20, TimeUnit.SECONDS);
                    EarlySetup.warmUp();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            java.util.concurrent.atomic.AtomicReference<Throwable> otherFailed = new java.util.concurrent.atomic.AtomicReference<>();
            other.setUncaughtExceptionHandler((thread, ex) -> otherFailed.set(ex));
            other.start();
            together.await(20, TimeUnit.SECONDS);
            EarlySetup.warmUp();
            other.join(20_000);
            assertThat(otherFailed.get()).isNull();
            EarlySetup.warmUp();

            // a real engine in the same recording: its events are there, the warm-ups' are not
            LifecycleEngine real = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe())
                    .build()).build();
            real.setup();
            real.shutdown();
            recording.stop();
            recording.dump(file);
        }
        finally {
            engineLogger.removeHandler(handler);
            engineLogger.setLevel(level);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().startsWith("dev.conductor."))
                .toList();
        assertThat(events).extracting(event -> event.getEventType().getName())
                .contains("dev.conductor.ComponentSetup", "dev.conductor.ComponentShutdown");
        assertThat(events).noneMatch(event -> event.hasField("component")
                && String.valueOf(event.getString("component")).startsWith("warm-up"));
        assertThat(events).filteredOn(event -> event.getEventType().getName().equals("dev.conductor.Setup"))
                .hasSize(1);
        assertThat(logged).noneMatch(record -> String.valueOf(record.getMessage()).contains("warm-up")
                || java.util.Arrays.toString(record.getParameters()).contains("warm-up"));
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(event -> event.getEventType().getName().equals(name)).toList();
    }

    private static RecordedEvent single(List<RecordedEvent> events, String name) {
        List<RecordedEvent> named = named(events, name);
        assertThat(named).as(name).hasSize(1);
        return named.get(0);
    }

    private static RecordedEvent only(List<RecordedEvent> setups, String component, String outcome) {
        List<RecordedEvent> matching = setups.stream().filter(event -> event.getString("component").equals(component)
                && event.getString("outcome").equals(outcome)).toList();
        assertThat(matching).as(component + " " + outcome).hasSize(1);
        return matching.get(0);
    }
}
