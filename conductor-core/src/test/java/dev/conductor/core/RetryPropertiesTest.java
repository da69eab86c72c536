package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Retries and deadlines on random graphs: components fail their first k attempts and then succeed, under a random
 * retry policy and, in some tries, random setup and shutdown deadlines. Each try is a seed;
 * {@code -Dconductor.property.tries=N} scales them (a quarter of N here).
 */
class RetryPropertiesTest {

    private static final int TRIES = Math.max(1, Integer.getInteger("conductor.property.tries", 1000) / 4);

    /** What a deadline may be overrun by: the timer's resolution on a loaded two-core machine, generously. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    @TestFactory
    Stream<DynamicTest> componentsBecomeActiveOnlyAfterTheirLastAttemptAndEverythingReturnsByItsDeadline() {
        return LongStream.range(6_000_000, 6_000_000 + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
    }

    private static void check(long seed) {
        RandomGraph random = new RandomGraph(seed, 0);
        Random choices = new Random(seed * 13);
        int maxRetries = choices.nextInt(4);
        random.failFirst = new int[random.size];
        for (int i = 0; i < random.size; i++) {
            random.failFirst[i] = choices.nextDouble() < 0.15 ? 1 + choices.nextInt(4) : 0;
        }
        RetryPolicy policy = RetryPolicy.builder().maxRetries(maxRetries)
                .delay(Duration.ofMillis(choices.nextInt(3))).multiplier(1 + choices.nextInt(2))
                .maxDelay(Duration.ofMillis(10)).jitter(Duration.ofMillis(choices.nextInt(2))).build();
        boolean deadlines = choices.nextBoolean();
        Duration setupDeadline = Duration.ofMillis(5 + choices.nextInt(60));
        Duration shutdownDeadline = Duration.ofMillis(5 + choices.nextInt(60));
        LifecycleEngine.Builder builder = LifecycleEngine.builder(random.graph().build()).retryPolicy(policy)
                .setupTimeout(RandomGraph.GENEROUS_TIMEOUT).shutdownTimeout(RandomGraph.GENEROUS_TIMEOUT);
        if (deadlines) {
            builder.setupDeadline(setupDeadline).shutdownDeadline(shutdownDeadline);
        }
        LifecycleEngine engine = builder.build();
        // once the shutdown deadline passes, the shutdowns still waiting start at once, out of order, as documented
        engine.shutdownDeadlinePassed = () -> random.outOfOrder = true;
        String context = random + ", " + policy + (deadlines ? ", deadlines " + setupDeadline + "/"
                + shutdownDeadline : "");
        long started = System.nanoTime();
        Throwable setupFailure = catchThrowable(engine::setup);
        Duration setupTook = Duration.ofNanos(System.nanoTime() - started);
        boolean everyoneCanSucceed = true;
        for (int i = 0; i < random.size; i++) {
            everyoneCanSucceed &= random.failFirst[i] <= maxRetries;
        }
        if (setupFailure == null) {
            assertThat(everyoneCanSucceed).as("%s: set up although a component fails too often", context).isTrue();
            assertThat(random.active).as("%s: active after setup", context).hasSize(random.size);
            for (RandomGraph.Node node : random.nodes) {
                assertThat(node.setups.get()).as("%s: attempts of c%d", context, node.index)
                        .isEqualTo(random.failFirst[node.index] + 1);
            }
        }
        else if (setupFailure instanceof ComponentSetupException failure) {
            int failed = Integer.parseInt(failure.getComponent().substring(1));
            assertThat(random.failFirst[failed]).as("%s: %s", context, failure.getMessage())
                    .isGreaterThan(maxRetries);
            assertThat(failure.getAttempts()).as("%s", context).isEqualTo(maxRetries + 1);
        }
        else {
            assertThat(setupFailure).as("%s", context).isInstanceOf(SetupDeadlineException.class);
            assertThat(deadlines).isTrue();
        }
        if (deadlines) {
            assertThat(setupTook).as("%s: setup returned late", context)
                    .isLessThanOrEqualTo(setupDeadline.plus(shutdownDeadline).plus(SLACK));
        }
        started = System.nanoTime();
        catchThrowable(engine::shutdown);
        Duration shutdownTook = Duration.ofNanos(System.nanoTime() - started);
        if (deadlines) {
            assertThat(shutdownTook).as("%s: shutdown returned late", context)
                    .isLessThanOrEqualTo(shutdownDeadline.plus(SLACK));
        }
        assertThat(random.violations).as("%s: ordering violations", context).isEmpty();
        org.awaitility.Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).untilAsserted(() -> {
            assertThat(random.active).as("%s: left running", context).isEmpty();
            for (RandomGraph.Node node : random.nodes) {
                assertThat(node.shutdowns).as("%s: shutdowns of c%d", context, node.index)
                        .hasValue(node.setupsReturned.get());
            }
        });
    }
}
