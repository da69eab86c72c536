package dev.conductor.core.blackbox;

import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.core.SupervisionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A test's DelayScheduler drives restart backoff (with jitter) and the restart window. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartBackoffBlackBoxTest {

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    private long restartsFinished() {
        return events.stream().filter(e -> e.kind() == LifecycleEvent.Kind.RESTART_FINISHED).count();
    }

    @Test
    void restartDelaysAreTheBackoffsWithJitterAndTheWindowFollowsTheTestsClock() throws Exception {
        CapturingDelays delays = new CapturingDelays(true);
        Probe a = new Probe("a");
        CountDownLatch escalated = new CountDownLatch(1);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("a", a)).build())
                .supervision(SupervisionPolicy.restart(2, Duration.ofMinutes(1), RetryPolicy.builder()
                        .delay(Duration.ofSeconds(1)).jitter(Duration.ofMillis(200)).build()))
                .delays(delays)
                .onEscalation(e -> escalated.countDown())
                .listener(events::add)
                .build();
        engine.setup();
        for (int i = 1; i <= 2; i++) {
            int n = i;
            engine.reportFailure("a", new IllegalStateException("failure " + i));
            await().atMost(Duration.ofSeconds(10)).until(() -> restartsFinished() == n
                    && engine.state("a") == ComponentState.ACTIVE);
        }
        // two restarts within the window: a third failure an hour later (by the test's clock) is a new window
        delays.now += TimeUnit.HOURS.toNanos(1);
        engine.reportFailure("a", new IllegalStateException("failure 3, much later"));
        await().atMost(Duration.ofSeconds(10)).until(() -> restartsFinished() == 3
                && engine.state("a") == ComponentState.ACTIVE);
        assertThat(escalated.getCount()).isEqualTo(1);
        assertThat(delays.requested).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(1200)));
        // within the same window, the budget is spent: the next two failures escalate at the second
        engine.reportFailure("a", new IllegalStateException("failure 4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> restartsFinished() == 4
                && engine.state("a") == ComponentState.ACTIVE);
        engine.reportFailure("a", new IllegalStateException("failure 5"));
        assertThat(escalated.await(10, TimeUnit.SECONDS)).as("the spent budget escalates").isTrue();
        assertThat(a.violations).isEmpty();
    }
}
