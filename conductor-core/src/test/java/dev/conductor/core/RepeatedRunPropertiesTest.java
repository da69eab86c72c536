package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Retries, deadlines and supervision together, over repeated runs (issue 21): random graphs with hanging setups and
 * shutdowns, setup retries, setup and shutdown deadlines, runtime failures (some reported from inside the setups of
 * a restart under way) under random supervision policies, and several setups and shutdowns of one engine in a row.
 * After every run: nothing is shut down under an active dependent (until a shutdown deadline passes, after which
 * the order is given up as documented); once a shutdown returns, no component is active and every shutdown has
 * started; once everything is quiet, every successful setup has been shut down exactly once. Each try is a seed;
 * {@code -Dconductor.property.tries=N} scales them (a quarter of N here).
 */
class RepeatedRunPropertiesTest {

    private static final int TRIES = Math.max(1, Integer.getInteger("conductor.property.tries", 1000) / 4);

    @TestFactory
    Stream<DynamicTest> repeatedRunsWithHangsDeadlinesAndFailuresDuringRestartsKeepEveryInvariant() {
        Long only = Long.getLong("conductor.property.seed");
        return (only != null ? LongStream.of(only) : LongStream.range(9_000_000, 9_000_000 + TRIES))
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
    }

    @TestFactory
    Stream<DynamicTest> eachRunOfAConductorEndsWithItsOwnEscalationOnly() {
        return LongStream.range(9_500_000, 9_500_000 + Math.max(1, TRIES / 5))
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runs(seed)));
    }

    private static void check(long seed) {
        Random choices = new Random(seed * 29);
        RandomGraph random = new RandomGraph(seed, choices.nextInt(3) * 0.05);
        SupervisionPolicy supervision = switch (choices.nextInt(4)) {
            case 0 -> SupervisionPolicy.none();
            case 1 -> SupervisionPolicy.escalate();
            default -> SupervisionPolicy.restart(1 + choices.nextInt(3), Duration.ofHours(1),
                    RetryPolicy.builder().delay(Duration.ofMillis(choices.nextInt(3))).build());
        };
        RetryPolicy retries = RetryPolicy.builder().maxRetries(choices.nextInt(3))
                .delay(Duration.ofMillis(choices.nextInt(3))).maxDelay(Duration.ofMillis(5))
                .jitter(Duration.ofMillis(choices.nextInt(2))).build();
        boolean setupDeadline = choices.nextInt(4) == 0;
        boolean shutdownDeadline = choices.nextBoolean();
        Duration deadline = Duration.ofMillis(5 + choices.nextInt(40));
        random.failFirst = new int[random.size];
        for (int i = 0; i < random.size; i++) {
            random.failFirst[i] = choices.nextDouble() < 0.1 ? 1 + choices.nextInt(2) : 0;
        }
        // When each component last finished a setup, and last reported a failure while active: a failure after its
        // last setup must have been acted on (a restart sets it up again) unless nothing was to act on it
        AtomicLong sequence = new AtomicLong();
        AtomicLongArray lastSetUp = new AtomicLongArray(random.size);
        AtomicLongArray lastFailure = new AtomicLongArray(random.size);
        LifecycleEngine.Builder builder = LifecycleEngine.builder(random.graph().build()).supervision(supervision)
                .retryPolicy(retries).setupTimeout(RandomGraph.GENEROUS_TIMEOUT)
                .shutdownTimeout(RandomGraph.GENEROUS_TIMEOUT)
                .listener(event -> {
                    int index = Integer.parseInt(event.component().substring(1));
                    if (event.kind() == LifecycleEvent.Kind.SETUP_FINISHED) {
                        lastSetUp.set(index, sequence.incrementAndGet());
                    }
                    else if (event.kind() == LifecycleEvent.Kind.RUNTIME_FAILURE) {
                        lastFailure.set(index, sequence.incrementAndGet());
                    }
                });
        if (setupDeadline) {
            builder.setupDeadline(deadline);
        }
        if (shutdownDeadline) {
            builder.shutdownDeadline(deadline);
        }
        LifecycleEngine engine = builder.build();
        engine.shutdownDeadlinePassed = () -> random.outOfOrder = true;
        // Some setups during a restart report a runtime failure of a random component: while a restart is under
        // way, and for the very component it set up again
        AtomicInteger failuresDuringRestarts = new AtomicInteger();
        double reportInsideSetup = choices.nextDouble() < 0.5 ? 0.3 : 0;
        long insideSeed = seed * 37;
        Random inside = new Random(insideSeed);
        random.insideSetup = index -> {
            boolean report;
            int target;
            synchronized (inside) {
                report = random.nodes[index].setups.get() > 1 && inside.nextDouble() < reportInsideSetup;
                // a dependency is active: if the restart set it up again, it fails again during the restart
                java.util.List<Integer> dependencies = random.dependencies.get(index);
                target = dependencies.isEmpty() || inside.nextInt(4) == 0 ? inside.nextInt(random.size)
                        : dependencies.get(inside.nextInt(dependencies.size()));
            }
            if (report && failuresDuringRestarts.incrementAndGet() <= 5) {
                engine.reportFailure(RandomGraph.name(target), new IOException("c" + target + " broke again"));
            }
        };
        String context = random + ", " + supervision + ", " + retries + (setupDeadline ? ", setup deadline "
                + deadline : "") + (shutdownDeadline ? ", shutdown deadline " + deadline : "");
        for (int run = 1, runs = 1 + choices.nextInt(3); run <= runs; run++) {
            String where = context + ", run " + run;
            random.outOfOrder = false;
            Throwable setupFailure = catchThrowable(engine::setup);
            if (setupFailure == null) {
                for (int f = 0, failures = choices.nextInt(4); f < failures; f++) {
                    int target = choices.nextInt(random.size);
                    if (choices.nextDouble() < 0.2) {
                        random.failNextSetup.add(target);
                    }
                    engine.reportFailure(RandomGraph.name(target), new IOException("c" + target + " broke"));
                }
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(engine::supervisionIdle);
                if (engine.isActive() && supervision.action() == SupervisionPolicy.Action.RESTART) {
                    for (StartupReport.ComponentReport component : engine.report().components()) {
                        int index = Integer.parseInt(component.name().substring(1));
                        if (component.state() == ComponentState.ACTIVE && component.unrecoveredFailure() == null) {
                            assertThat(lastFailure.get(index)).as("%s: the failure c%d reported after its last setup"
                                    + " was not acted on", where, index).isLessThan(lastSetUp.get(index));
                        }
                    }
                }
            }
            catchThrowable(engine::shutdown);
            // once a shutdown has returned, every shutdown has been started: nothing is active
            for (ComponentState state : engine.report().components().stream().map(c -> c.state()).toList()) {
                assertThat(state).as("%s: a component left active", where).isNotEqualTo(ComponentState.ACTIVE);
            }
            // what was started at the deadline and is no longer waited for ends within its own timeout
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .untilAsserted(() -> {
                        assertThat(random.busy()).as("%s: calls still running: %s", where, random.busyCalls())
                                .isFalse();
                        assertThat(random.active).as("%s: left running", where).isEmpty();
                    });
            assertThat(random.violations).as("%s: violations", where).isEmpty();
            random.failNextSetup.clear();
        }
        for (RandomGraph.Node node : random.nodes) {
            assertThat(node.shutdowns).as("%s: shutdowns of c%d", context, node.index)
                    .hasValue(node.setupsReturned.get());
        }
    }

    /** A broker that escalates when it reports a failure. */
    static final class Broker implements Component {
    }

    private static void runs(long seed) {
        Random choices = new Random(seed);
        Conductor conductor = Conductor.builder().supervision(SupervisionPolicy.escalate()).build();
        conductor.add(Broker.class);
        for (int run = 1, runs = 2 + choices.nextInt(4); run <= runs; run++) {
            boolean fails = choices.nextBoolean();
            String where = "seed " + seed + ", run " + run + (fails ? ", escalates" : "");
            Throwable ended = catchThrowable(() -> conductor.run(() -> {
                if (fails) {
                    conductor.reportFailure(Broker.class, new IOException("lost in run"));
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(30, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    catch (InterruptedException expected) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            if (fails) {
                assertThat(ended).as(where).isInstanceOf(ComponentFailedException.class);
            }
            else {
                assertThat(ended).as(where).isNull();
            }
            assertThat(Thread.interrupted()).as("%s: the caller left interrupted", where).isFalse();
            await().pollInSameThread().until(conductor::supervisionIdle);
            if (choices.nextBoolean()) {
                // an escalation between runs, outside any run: it interrupts nobody and ends no later run
                conductor.setup();
                conductor.reportFailure(Broker.class, new IOException("lost between runs"));
                await().pollInSameThread().until(conductor::supervisionIdle);
                assertThat(Thread.interrupted()).as("%s: interrupted between runs", where).isFalse();
            }
        }
    }
}
