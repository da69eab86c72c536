package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timeout watch looks at the components the phase's workers are running while workers start new ones: a
 * check that comes between a worker naming its next component and that component's deadline being set must not
 * take the record's old deadline (none for a setup, the setup's for a shutdown) and time it out at once. Many
 * quick components on many workers with a short timeout keep checks and starts interleaving; a component that
 * is timed out before its timeout has passed fails the test. (Genuine timeouts on a slow machine are fine.)
 */
@Timeout(120)
class TimeoutWatchRaceTest {

    private static final Duration TIMEOUT = Duration.ofMillis(5);

    @Test
    void noComponentIsTimedOutBeforeItsTimeoutHasPassed() {
        List<String> early = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            for (int round = 0; round < 40 && early.isEmpty(); round++) {
                ComponentGraph.Builder graph = ComponentGraph.builder();
                for (int i = 0; i < 20_000; i++) {
                    graph.add(ComponentDefinition.of("c" + i, new Component() { }));
                }
                LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(pool)
                        .setupTimeout(TIMEOUT).shutdownTimeout(TIMEOUT).listener(event -> {
                            if (event.failure() instanceof StepTimeoutException
                                    && event.duration().compareTo(TIMEOUT) < 0) {
                                early.add(event.component() + ": " + event.kind() + " after " + event.duration());
                            }
                        }).build();
                try {
                    engine.setup();
                }
                catch (ComponentSetupException genuineTimeout) {
                    continue; // rolled back: what was set up is shut down again
                }
                try {
                    engine.shutdown();
                }
                catch (ComponentShutdownException genuineTimeout) {
                    // a shutdown that really took longer than its timeout
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(early).isEmpty();
    }
}
