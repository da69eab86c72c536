package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the engine on random DAGs of up to 60 components, with random faults: setups and shutdowns
 * that throw or hang past their timeouts. Each try is a seed; {@code -Dconductor.property.tries=N} sets how
 * many (1,000 by default).
 */
class LifecyclePropertiesTest {

    private static final int TRIES = Integer.getInteger("conductor.property.tries", 1000);

    private static Stream<DynamicTest> tries(long base, java.util.function.LongConsumer property) {
        return LongStream.range(base, base + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> property.accept(seed)));
    }

    @TestFactory
    Stream<DynamicTest> withoutFaultsEverythingSetsUpByDependencyAndShutsDownInReverse() {
        return tries(1_000_000, seed -> {
            RandomGraph random = new RandomGraph(seed, 0);
            LifecycleEngine engine = LifecycleEngine.builder(random.graph().build())
                    .setupTimeout(RandomGraph.GENEROUS_TIMEOUT).build();
            engine.setup();
            assertThat(random.active).as("%s: active after setup", random).hasSize(random.size);
            engine.shutdown();
            assertInvariants(random);
            for (RandomGraph.Node node : random.nodes) {
                assertThat(node.shutdowns).as("%s: shutdowns of c%d", random, node.index).hasValue(1);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> withFaultsNothingIsLeftRunningAndTheErrorNamesTheFailure() {
        return tries(2_000_000, seed -> {
            RandomGraph random = new RandomGraph(seed, 0.06);
            LifecycleEngine engine = LifecycleEngine.builder(random.graph().build())
                    .setupTimeout(RandomGraph.GENEROUS_TIMEOUT).shutdownTimeout(RandomGraph.GENEROUS_TIMEOUT)
                    .build();
            Throwable setupFailure = catchThrowable(engine::setup);
            Set<String> failedSetups = new HashSet<>();
            for (int i = 0; i < random.size; i++) {
                if (random.hasSetupFault(i) && random.nodes[i].setups.get() > 0) {
                    failedSetups.add(RandomGraph.name(i));
                }
            }
            if (failedSetups.isEmpty()) {
                assertThat(setupFailure).as("%s: setup failure", random).isNull();
                Throwable shutdownFailure = catchThrowable(engine::shutdown);
                Set<String> failedShutdowns = new HashSet<>();
                for (int i = 0; i < random.size; i++) {
                    if (random.hasShutdownFault(i)) {
                        failedShutdowns.add(RandomGraph.name(i));
                    }
                }
                if (failedShutdowns.isEmpty()) {
                    assertThat(shutdownFailure).as("%s: shutdown failure", random).isNull();
                }
                else {
                    assertThat(shutdownFailure).as("%s", random).isInstanceOf(ComponentShutdownException.class);
                    assertThat(((ComponentShutdownException) shutdownFailure).getFailures().keySet())
                            .as("%s: failed shutdowns", random).isEqualTo(failedShutdowns);
                }
            }
            else {
                assertThat(setupFailure).as("%s", random).isInstanceOf(ComponentSetupException.class);
                ComponentSetupException failure = (ComponentSetupException) setupFailure;
                assertThat(failedSetups).as("%s: the failed component", random).contains(failure.getComponent());
                assertThat(failure.getMessage()).contains("'" + failure.getComponent() + "'");
                assertThat(failure.getDependencyPath()).last().isEqualTo(failure.getComponent());
                assertThat(engine.isActive()).isFalse();
            }
            assertInvariants(random);
            assertThat(random.active).as("%s: left running", random).isEmpty();
        });
    }

    private static void assertInvariants(RandomGraph random) {
        assertThat(random.violations).as("%s: ordering violations", random).isEmpty();
        for (RandomGraph.Node node : random.nodes) {
            assertThat(node.setups.get()).as("%s: setups of c%d", random, node.index).isLessThanOrEqualTo(1);
            assertThat(node.shutdowns).as("%s: shutdowns of c%d, which set up %s", random, node.index,
                    node.setupsReturned.get() == 1 ? "successfully" : "unsuccessfully or never")
                    .hasValue(node.setupsReturned.get());
        }
    }

    @TestFactory
    Stream<DynamicTest> aCycleIsReportedInOrderBeforeAnySetup() {
        return tries(3_000_000, seed -> {
            RandomGraph random = new RandomGraph(seed, 0);
            Random choices = new Random(seed);
            int top = choices.nextInt(random.size);
            int bottom = top;
            int steps = choices.nextInt(5);
            for (int step = 0; step < steps && !random.dependencies.get(bottom).isEmpty(); step++) {
                List<Integer> next = random.dependencies.get(bottom);
                bottom = next.get(choices.nextInt(next.size()));
            }
            random.dependencies.get(bottom).add(top); // closes a cycle: top needs ... needs bottom, which needs top
            ComponentGraph.Builder builder = random.graph();
            assertThatExceptionOfType(ComponentGraphException.class).as("%s", random).isThrownBy(builder::build)
                    .satisfies(ex -> {
                        List<String> cycle = ex.getCycle();
                        assertThat(cycle).as("%s", random).isNotEmpty();
                        assertThat(ex.getMessage()).contains(String.join(" -> ", cycle) + " -> " + cycle.get(0));
                        List<String> closed = new ArrayList<>(cycle);
                        closed.add(cycle.get(0));
                        for (int i = 0; i + 1 < closed.size(); i++) {
                            int from = Integer.parseInt(closed.get(i).substring(1));
                            int to = Integer.parseInt(closed.get(i + 1).substring(1));
                            assertThat(random.dependencies.get(from)).as("%s: %s", random, closed).contains(to);
                        }
                    });
            for (RandomGraph.Node node : random.nodes) {
                assertThat(node.setups).hasValue(0);
            }
        });
    }
}
