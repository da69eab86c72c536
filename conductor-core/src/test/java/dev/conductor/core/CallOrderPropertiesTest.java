package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random call orders from several threads and from inside components, on random graphs with random faults:
 * setup, shutdown and report from two or three threads at once, while some components call shutdown(), setup()
 * or report() from their own setup. Each try is a seed; {@code -Dconductor.property.tries=N} scales them (a
 * quarter of N here, since each try runs whole lifecycles several times).
 */
class CallOrderPropertiesTest {

    private static final int TRIES = Math.max(1, Integer.getInteger("conductor.property.tries", 1000) / 4);

    private enum Call { SETUP, SHUTDOWN, REPORT }

    private enum Inside { NOTHING, SHUTDOWN, SETUP, REPORT }

    @TestFactory
    Stream<DynamicTest> anyCallOrderLeavesNothingRunningAndNeverOverlapsOrMisordersCalls() {
        return LongStream.range(4_000_000, 4_000_000 + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
    }

    private static void check(long seed) throws Exception {
        RandomGraph random = new RandomGraph(seed, 0.03);
        Random choices = new Random(seed * 17);
        LifecycleEngine engine = LifecycleEngine.builder(random.graph().build())
                .setupTimeout(RandomGraph.GENEROUS_TIMEOUT).shutdownTimeout(RandomGraph.GENEROUS_TIMEOUT).build();
        Inside[] inside = new Inside[random.size];
        for (int i = 0; i < inside.length; i++) {
            inside[i] = choices.nextDouble() < 0.08 ? Inside.values()[1 + choices.nextInt(3)] : Inside.NOTHING;
        }
        random.insideSetup = index -> {
            switch (inside[index]) {
                case SHUTDOWN -> engine.shutdown();
                case REPORT -> engine.report().toText();
                case SETUP -> {
                    try {
                        engine.setup();
                        random.violations.add("c" + index + ": setup() from inside a setup was not refused");
                    }
                    catch (IllegalStateException expected) {
                        // refused at once
                    }
                }
                default -> { }
            }
        };
        int threads = 2 + choices.nextInt(2);
        List<List<Call>> plans = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Call> plan = new ArrayList<>();
            for (int c = 0, calls = 1 + choices.nextInt(4); c < calls; c++) {
                plan.add(Call.values()[choices.nextInt(Call.values().length)]);
            }
            plans.add(plan);
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        List<Thread> running = new ArrayList<>();
        for (List<Call> plan : plans) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                }
                catch (Exception ex) {
                    unexpected.add("barrier: " + ex);
                    return;
                }
                for (Call call : plan) {
                    try {
                        switch (call) {
                            case SETUP -> engine.setup();
                            case SHUTDOWN -> engine.shutdown();
                            case REPORT -> engine.report().toText();
                        }
                    }
                    catch (SetupCancelledException | ComponentSetupException | ComponentShutdownException expected) {
                        // a cancelled setup, or a fault of the graph
                    }
                    catch (Throwable ex) {
                        unexpected.add(call + ": " + ex);
                    }
                }
            });
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join(20_000);
            assertThat(thread.isAlive()).as("%s: a call never returned; plans %s", random, plans).isFalse();
        }
        AtomicReference<Throwable> last = new AtomicReference<>();
        try {
            engine.shutdown();
        }
        catch (ComponentShutdownException fault) {
            last.set(fault);
        }
        assertThat(unexpected).as("%s: unexpected exceptions; plans %s", random, plans).isEmpty();
        assertThat(random.violations).as("%s: violations; plans %s", random, plans).isEmpty();
        assertThat(random.active).as("%s: left running; plans %s", random, plans).isEmpty();
        assertThat(engine.isActive()).isFalse();
        for (RandomGraph.Node node : random.nodes) {
            assertThat(node.shutdowns.get()).as("%s: shutdowns of c%d; plans %s", random, node.index, plans)
                    .isEqualTo(node.setupsReturned.get());
        }
    }
}
