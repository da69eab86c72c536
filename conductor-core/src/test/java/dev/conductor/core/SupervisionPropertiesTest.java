package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Restarts and supervision on random graphs: restarts of random components, some of whose setups fail, and
 * runtime failures under random supervision policies. Each try is a seed; {@code -Dconductor.property.tries=N}
 * scales them (a quarter of N here).
 */
class SupervisionPropertiesTest {

    private static final int TRIES = Math.max(1, Integer.getInteger("conductor.property.tries", 1000) / 4);

    @TestFactory
    Stream<DynamicTest> aRestartShutsDownAndSetsUpExactlyTheComponentAndItsDependentsOnceEach() {
        return LongStream.range(7_000_000, 7_000_000 + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> restarts(seed)));
    }

    @TestFactory
    Stream<DynamicTest> runtimeFailuresEndWithEverythingRunningAgainOrNothingRunning() {
        return LongStream.range(8_000_000, 8_000_000 + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> supervision(seed)));
    }

    private static boolean[] withDependents(RandomGraph random, int index) {
        boolean[] part = new boolean[random.size];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        part[index] = true;
        queue.add(index);
        while (!queue.isEmpty()) {
            for (int dependent : random.dependents.get(queue.poll())) {
                if (!part[dependent]) {
                    part[dependent] = true;
                    queue.add(dependent);
                }
            }
        }
        return part;
    }

    private static void restarts(long seed) {
        RandomGraph random = new RandomGraph(seed, 0);
        Random choices = new Random(seed * 19);
        LifecycleEngine engine = LifecycleEngine.builder(random.graph().build()).build();
        engine.setup();
        for (int round = 0, rounds = 1 + choices.nextInt(4); round < rounds; round++) {
            int target = choices.nextInt(random.size);
            boolean[] part = withDependents(random, target);
            int failing = -1;
            if (choices.nextDouble() < 0.3) {
                int candidate = choices.nextInt(random.size);
                if (part[candidate]) {
                    failing = candidate;
                    random.failNextSetup.add(candidate);
                }
            }
            int[] setupsBefore = new int[random.size];
            int[] returnedBefore = new int[random.size];
            int[] shutdownsBefore = new int[random.size];
            boolean[] wasActive = new boolean[random.size];
            for (int i = 0; i < random.size; i++) {
                setupsBefore[i] = random.nodes[i].setups.get();
                returnedBefore[i] = random.nodes[i].setupsReturned.get();
                shutdownsBefore[i] = random.nodes[i].shutdowns.get();
                wasActive[i] = random.active.contains(i);
            }
            Throwable failure = catchThrowable(() -> engine.restart(RandomGraph.name(target)));
            String context = random + ", restart of c" + target + (failing < 0 ? "" : ", c" + failing + " fails");
            assertThat(random.violations).as("%s: violations", context).isEmpty();
            if (failure instanceof IllegalStateException refused) {
                // a dependency outside the restart is down since a failed restart: nothing was touched
                assertThat(refused).as("%s", context).hasMessageContaining("which is not active");
                for (int i = 0; i < random.size; i++) {
                    assertThat(random.nodes[i].setups.get() + random.nodes[i].shutdowns.get())
                            .as("%s: calls on c%d", context, i).isEqualTo(setupsBefore[i] + shutdownsBefore[i]);
                }
                random.failNextSetup.clear();
                continue;
            }
            for (int i = 0; i < random.size; i++) {
                RandomGraph.Node node = random.nodes[i];
                int setups = node.setups.get() - setupsBefore[i];
                int setUp = node.setupsReturned.get() - returnedBefore[i];
                int shutdowns = node.shutdowns.get() - shutdownsBefore[i];
                if (!part[i]) {
                    assertThat(setups + shutdowns).as("%s: calls on c%d, outside the restart", context, i).isZero();
                    continue;
                }
                // shut down once for the restart if it ran, set up at most once, and shut down once more if it
                // was set up again and the restart then failed
                assertThat(setups).as("%s: setups of c%d", context, i).isLessThanOrEqualTo(1);
                assertThat(shutdowns).as("%s: shutdowns of c%d", context, i)
                        .isEqualTo((wasActive[i] ? 1 : 0) + (failure != null ? setUp : 0));
                if (failure == null) {
                    assertThat(setUp).as("%s: set up again: c%d", context, i).isEqualTo(1);
                }
            }
            if (failing < 0) {
                assertThat(failure).as("%s", context).isNull();
                for (int i = 0; i < random.size; i++) {
                    if (part[i]) {
                        assertThat(random.active).as("%s: active after the restart", context).contains(i);
                    }
                }
            }
            else {
                assertThat(failure).as("%s", context).isInstanceOf(ComponentSetupException.class);
                assertThat(random.active).as("%s: the failing part stays down", context).doesNotContain(failing);
                for (int i = 0; i < random.size; i++) {
                    if (part[i] && random.active.contains(i)) {
                        assertThat(engine.report().component(RandomGraph.name(i)).state()).isEqualTo(
                                ComponentState.ACTIVE);
                    }
                }
            }
        }
        engine.shutdown();
        assertThat(random.violations).as("%s: violations", random).isEmpty();
        assertThat(random.active).as("%s: left running", random).isEmpty();
        for (RandomGraph.Node node : random.nodes) {
            assertThat(node.shutdowns).as("%s: shutdowns of c%d", random, node.index).hasValue(node.setupsReturned.get());
        }
    }

    private static void supervision(long seed) {
        RandomGraph random = new RandomGraph(seed, 0);
        Random choices = new Random(seed * 23);
        boolean escalates = choices.nextDouble() < 0.3;
        SupervisionPolicy policy = escalates ? SupervisionPolicy.escalate()
                : SupervisionPolicy.restart(1 + choices.nextInt(3), Duration.ofHours(1),
                        RetryPolicy.builder().delay(Duration.ofMillis(choices.nextInt(3))).build());
        LifecycleEngine engine = LifecycleEngine.builder(random.graph().build()).supervision(policy).build();
        engine.setup();
        int failures = 1 + choices.nextInt(3);
        for (int f = 0; f < failures; f++) {
            int target = choices.nextInt(random.size);
            if (choices.nextDouble() < 0.2) {
                random.failNextSetup.add(target);
            }
            engine.reportFailure(RandomGraph.name(target), new IllegalStateException("c" + target + " broke"));
        }
        String context = random + ", " + policy + ", " + failures + " failures";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2)).untilAsserted(() -> {
            assertThat(engine.supervisionIdle()).as("%s: supervision idle", context).isTrue();
            boolean allActive = random.active.size() == random.size
                    && engine.report().components().stream().allMatch(c -> c.state() == ComponentState.ACTIVE);
            boolean allDown = !engine.isActive() && random.active.isEmpty();
            assertThat(allActive || allDown).as("%s: settled", context).isTrue();
        });
        if (escalates) {
            assertThat(engine.isActive()).as("%s: escalated", context).isFalse();
        }
        catchThrowable(engine::shutdown);
        assertThat(random.violations).as("%s: violations", context).isEmpty();
        assertThat(random.active).as("%s: left running", context).isEmpty();
        for (RandomGraph.Node node : random.nodes) {
            assertThat(node.shutdowns).as("%s: shutdowns of c%d", context, node.index)
                    .hasValue(node.setupsReturned.get());
        }
    }
}
