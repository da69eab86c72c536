package dev.conductor.core.blackbox.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.core.Component;
import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: the other documented outcomes of the JFR events: timed out, cancelled, a failed restart, a failed shutdown. */
class FlightEventsFailureOutcomesBlackBoxTest {

    @TempDir
    Path dir;

    static class KBase implements Component {
    }

    static class KTop implements Component {
        KBase base;
    }

    static class KBroken implements Component {
        public void shutdown() throws Exception {
            throw new IOException("cannot close");
        }
    }

    interface Body {
        void run() throws Exception;
    }

    List<RecordedEvent> record(Body body) throws Exception {
        Path file = dir.resolve("r" + System.nanoTime() + ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.conductor.*");
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.conductor"))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).collect(Collectors.toList());
    }

    static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
    }

    static List<RecordedEvent> of(List<RecordedEvent> events, String type, String component) {
        return of(events, type).stream().filter(e -> component.equals(e.getString("component")))
                .collect(Collectors.toList());
    }

    @Test
    void timedOutSetupSaysTimedOut() throws Exception {
        Faults faults = new Faults();
        Conductor conductor = Conductor.builder().faults(faults).setupTimeout(Duration.ofMillis(200)).build();
        conductor.add(KTop.class);
        faults.hangSetup(KBase.class);
        List<RecordedEvent> events = record(() -> assertThatThrownBy(conductor::setup).isNotNull());
        faults.release();
        List<RecordedEvent> base = of(events, "dev.conductor.ComponentSetup", "KBase");
        assertThat(base).hasSize(1);
        assertThat(base.get(0).getString("outcome")).isEqualTo("timed out");
        assertThat(base.get(0).getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        RecordedEvent setup = of(events, "dev.conductor.Setup").get(0);
        assertThat(setup.getString("outcome")).isEqualTo("failed");
        assertThat(setup.getString("failedComponent")).isEqualTo("KBase");
        assertThat(of(events, "dev.conductor.ComponentSetup", "KTop")).isEmpty();
    }

    @Test
    void setupCancelledByAShutdownSaysCancelled() throws Exception {
        Faults faults = new Faults();
        List<LifecycleEvent> seen = new CopyOnWriteArrayList<>();
        Conductor conductor = Conductor.builder().faults(faults).listener(seen::add)
                .setupTimeout(Duration.ofSeconds(20)).build();
        conductor.add(KTop.class);
        faults.hangSetup(KBase.class);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        long[] took = new long[1];
        List<RecordedEvent> events = record(() -> {
            Thread setupThread = new Thread(() -> {
                try {
                    conductor.setup();
                } catch (RuntimeException expected) {
                    thrown.add(expected);
                }
            });
            setupThread.start();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.stream().noneMatch(e -> e.kind() == LifecycleEvent.Kind.SETUP_STARTED
                    && e.component().equals("KBase"))) {
                assertThat(System.nanoTime()).isLessThan(until);
                Thread.sleep(10);
            }
            Thread.sleep(100);
            long start = System.nanoTime();
            conductor.shutdown();
            setupThread.join(30_000);
            took[0] = (System.nanoTime() - start) / 1_000_000;
        });
        faults.release();
        assertThat(thrown).hasSize(1);
        assertThat(thrown.get(0)).isInstanceOf(dev.conductor.core.SetupCancelledException.class);
        assertThat(took[0]).as("cancelled at once, not after the 20 s timeout").isLessThan(10_000);
        List<RecordedEvent> setup = of(events, "dev.conductor.Setup");
        assertThat(setup).hasSize(1);
        assertThat(setup.get(0).getString("outcome")).isEqualTo("cancelled");
        assertThat(setup.get(0).getInt("components")).isEqualTo(2);
        assertThat(of(events, "dev.conductor.ComponentSetup", "KTop")).isEmpty();
    }

    @Test
    void failedRestartSaysFailed() throws Exception {
        Faults faults = new Faults();
        List<LifecycleEvent> seen = new CopyOnWriteArrayList<>();
        Conductor conductor = Conductor.builder().faults(faults).listener(seen::add)
                .supervision(SupervisionPolicy.restart(3, Duration.ofMinutes(1),
                        RetryPolicy.builder().delay(Duration.ZERO).build())).build();
        conductor.add(KTop.class);
        conductor.setup();
        List<RecordedEvent> events;
        try {
            events = record(() -> {
                faults.failNextSetups(KBase.class, 1, () -> new IOException("still gone"));
                faults.failWhileRunning(KBase.class, new IOException("gone"));
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (seen.stream().noneMatch(e -> e.kind() == LifecycleEvent.Kind.RESTART_FAILED
                        || e.kind() == LifecycleEvent.Kind.RESTART_FINISHED)) {
                    assertThat(System.nanoTime()).isLessThan(until);
                    Thread.sleep(20);
                }
                Thread.sleep(200);
            });
        } finally {
            conductor.shutdown();
        }
        List<RecordedEvent> restarts = of(events, "dev.conductor.Restart");
        assertThat(restarts).hasSizeGreaterThanOrEqualTo(1);
        RecordedEvent restart = restarts.get(0);
        assertThat(restart.getString("component")).isEqualTo("KBase");
        assertThat(restart.getInt("components")).isEqualTo(2);
        assertThat(restart.getString("outcome")).isEqualTo("failed");
        assertThat(restart.getString("failure")).contains("still gone");
        assertThat(restart.getString("cause")).contains("gone");
        List<RecordedEvent> setups = of(events, "dev.conductor.ComponentSetup", "KBase");
        assertThat(setups.get(0).getString("outcome")).isEqualTo("failed");
    }

    @Test
    void failedShutdownNamesTheComponent() throws Exception {
        Conductor conductor = new Conductor();
        conductor.add(KBroken.class);
        conductor.add(KTop.class);
        conductor.setup();
        List<RecordedEvent> events = record(() -> assertThatThrownBy(conductor::shutdown).isNotNull());
        List<RecordedEvent> broken = of(events, "dev.conductor.ComponentShutdown", "KBroken");
        assertThat(broken).hasSize(1);
        assertThat(broken.get(0).getString("outcome")).isEqualTo("failed");
        assertThat(broken.get(0).getString("failure")).contains("cannot close");
        assertThat(of(events, "dev.conductor.ComponentShutdown", "KBase").get(0).getString("outcome"))
                .isEqualTo("succeeded");
        RecordedEvent shutdown = of(events, "dev.conductor.Shutdown").get(0);
        assertThat(shutdown.getString("outcome")).isEqualTo("failed");
        assertThat(shutdown.getString("failedComponents")).contains("KBroken").doesNotContain("KBase");
        assertThat(shutdown.getInt("components")).isEqualTo(3);
        assertThat(shutdown.getBoolean("rollback")).isFalse();
    }

    static class KFakeBase extends KBase {
    }

    @Test
    void patchedComponentIsNamedForItsTypeWithTheReplacementAsImplementation() throws Exception {
        Conductor conductor = new Conductor();
        conductor.patch(KBase.class, KFakeBase.class);
        conductor.add(KTop.class);
        List<RecordedEvent> events = record(() -> {
            conductor.setup();
            conductor.shutdown();
        });
        List<RecordedEvent> base = of(events, "dev.conductor.ComponentSetup", "KBase");
        assertThat(base).hasSize(1);
        assertThat(base.get(0).getString("implementation")).contains("KFakeBase");
        assertThat(of(events, "dev.conductor.ComponentShutdown", "KBase").get(0).getString("implementation"))
                .contains("KFakeBase");
        assertThat(of(events, "dev.conductor.ComponentSetup", "KFakeBase")).isEmpty();
    }

    @Test
    void instantStepsAreKeptByTheJdksOwnConfigurationsNoThreshold() throws Exception {
        for (String configuration : List.of("default", "profile")) {
            Conductor conductor = new Conductor();
            conductor.add(KTop.class);
            Path file = dir.resolve(configuration + ".jfr");
            try (Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration(configuration))) {
                recording.start();
                conductor.setup();
                conductor.shutdown();
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.conductor")).collect(Collectors.toList());
            assertThat(of(events, "dev.conductor.ComponentSetup")).as(configuration).hasSize(2);
            assertThat(of(events, "dev.conductor.ComponentShutdown")).as(configuration).hasSize(2);
            assertThat(of(events, "dev.conductor.Setup")).as(configuration).hasSize(1);
            assertThat(of(events, "dev.conductor.Shutdown")).as(configuration).hasSize(1);
            assertThat(events).allSatisfy(e -> assertThat(e.getStackTrace()).isNull());
        }
    }

    @Test
    void spentRestartBudgetEscalates() throws Exception {
        Faults faults = new Faults();
        List<LifecycleEvent> seen = new CopyOnWriteArrayList<>();
        Conductor conductor = Conductor.builder().faults(faults).listener(seen::add)
                .supervision(SupervisionPolicy.restart(1, Duration.ofMinutes(1),
                        RetryPolicy.builder().delay(Duration.ZERO).build())).build();
        conductor.add(KTop.class);
        conductor.setup();
        List<RecordedEvent> events;
        try {
            events = record(() -> {
                faults.failWhileRunning(KBase.class, new IOException("first"));
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (seen.stream().noneMatch(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED)) {
                    assertThat(System.nanoTime()).isLessThan(until);
                    Thread.sleep(20);
                }
                faults.failWhileRunning(KBase.class, new IOException("second"));
                while (seen.stream().noneMatch(e -> e.kind() == LifecycleEvent.Kind.ESCALATED)) {
                    assertThat(System.nanoTime()).isLessThan(until);
                    Thread.sleep(20);
                }
                Thread.sleep(300);
            });
        } finally {
            conductor.shutdown();
        }
        assertThat(of(events, "dev.conductor.RuntimeFailure", "KBase")).hasSize(2);
        assertThat(of(events, "dev.conductor.Restart")).hasSize(1);
        List<RecordedEvent> escalations = of(events, "dev.conductor.Escalation");
        assertThat(escalations).hasSize(1);
        assertThat(escalations.get(0).getString("component")).isEqualTo("KBase");
        assertThat(escalations.get(0).getInt("tier")).isZero();
        assertThat(escalations.get(0).getString("failure")).contains("second");
    }
}
