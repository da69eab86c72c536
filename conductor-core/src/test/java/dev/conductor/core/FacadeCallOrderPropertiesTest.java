package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@link Conductor} facade under random call orders: add, patch, setup, shutdown, report and graph from two or
 * three threads at once, while components call shutdown(), add() and report() from inside their own setup. The
 * classes form a fixed family (constructor and field dependencies, an interface with two implementations); the
 * seed picks which are added, in which order, from which thread, and what the components do.
 */
class FacadeCallOrderPropertiesTest {

    private static final int TRIES = Math.max(1, Integer.getInteger("conductor.property.tries", 1000) / 4);

    /** What the components of one try do and record; reset for every try (the tries run one after another). */
    static final class World {

        static volatile Conductor conductor;

        static volatile Random inside;

        static final Set<Tracked> active = ConcurrentHashMap.newKeySet();

        static final List<String> violations = Collections.synchronizedList(new ArrayList<>());

        static final List<Tracked> created = Collections.synchronizedList(new ArrayList<>());
    }

    abstract static class Tracked implements Component {

        final AtomicInteger calls = new AtomicInteger();

        final AtomicInteger setupsReturned = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        Tracked() {
            World.created.add(this);
        }

        abstract List<Tracked> dependencies();

        @Override
        public void setup() {
            enter();
            try {
                for (Tracked dependency : dependencies()) {
                    if (!World.active.contains(dependency)) {
                        World.violations.add(name() + " set up before " + dependency.name() + " was active");
                    }
                }
                act();
                World.active.add(this);
                setupsReturned.incrementAndGet();
            }
            finally {
                calls.decrementAndGet();
            }
        }

        /** Calls back into the facade, as the seed picked. */
        private void act() {
            int choice;
            synchronized (World.inside) {
                choice = World.inside.nextInt(12);
            }
            Conductor conductor = World.conductor;
            switch (choice) {
                case 0 -> conductor.shutdown();
                case 1 -> conductor.report().toText();
                case 2 -> {
                    if (conductor.add(getClass()) != this) {
                        World.violations.add("add(" + name() + ") from its own setup returned another instance");
                    }
                }
                case 3 -> {
                    try {
                        conductor.add(Lonely.class);
                    }
                    catch (IllegalStateException refused) {
                        // a new type during a setup
                    }
                }
                default -> { }
            }
        }

        @Override
        public void shutdown() {
            enter();
            try {
                shutdowns.incrementAndGet();
                for (Tracked other : List.copyOf(World.created)) {
                    if (other.dependencies().contains(this) && World.active.contains(other)) {
                        World.violations.add(name() + " shut down while its dependent " + other.name() + " ran");
                    }
                }
                World.active.remove(this);
            }
            finally {
                calls.decrementAndGet();
            }
        }

        private void enter() {
            if (calls.incrementAndGet() > 1) {
                World.violations.add(name() + ": called while another call on it was running");
            }
        }

        String name() {
            return getClass().getSimpleName();
        }
    }

    static class Base extends Tracked {
        @Override
        List<Tracked> dependencies() {
            return List.of();
        }
    }

    static class ByConstructor extends Tracked {
        private final Base base;

        ByConstructor(Base base) {
            this.base = base;
        }

        @Override
        List<Tracked> dependencies() {
            return List.of(base);
        }
    }

    static class ByField extends Tracked {
        Base base;

        @Override
        List<Tracked> dependencies() {
            return base == null ? List.of() : List.of(base);
        }
    }

    static class Both extends Tracked {
        private final ByConstructor first;

        ByField second;

        Both(ByConstructor first) {
            this.first = first;
        }

        @Override
        List<Tracked> dependencies() {
            return second == null ? List.of(first) : List.of(first, second);
        }
    }

    interface Queue extends Component {
    }

    static class RealQueue extends Base implements Queue {
    }

    static class FakeQueue extends Base implements Queue {
    }

    static class Sender extends Tracked {
        Queue queue;

        @Override
        List<Tracked> dependencies() {
            return queue == null ? List.of() : List.of((Tracked) queue);
        }
    }

    static class Lonely extends Base {
    }

    private static final List<Class<? extends Tracked>> ADDABLE = List.of(Base.class, ByConstructor.class,
            ByField.class, Both.class, RealQueue.class, Sender.class, Lonely.class);

    private enum Call { ADD, PATCH, SETUP, SHUTDOWN, REPORT, GRAPH }

    @TestFactory
    Stream<DynamicTest> anyCallOrderOnTheFacadeLeavesNothingRunningAndNeverSetsAnInstanceUpTwice() {
        return LongStream.range(5_000_000, 5_000_000 + TRIES)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
    }

    private static void check(long seed) throws Exception {
        Random choices = new Random(seed);
        World.active.clear();
        World.violations.clear();
        World.created.clear();
        World.inside = new Random(seed * 7);
        Conductor conductor = new Conductor();
        World.conductor = conductor;
        int threads = 2 + choices.nextInt(2);
        List<List<String>> plans = new ArrayList<>();
        List<Runnable> runs = new ArrayList<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            List<String> plan = new ArrayList<>();
            List<Runnable> steps = new ArrayList<>();
            for (int c = 0, calls = 2 + choices.nextInt(5); c < calls; c++) {
                Call call = Call.values()[choices.nextInt(Call.values().length)];
                Class<? extends Tracked> type = ADDABLE.get(choices.nextInt(ADDABLE.size()));
                plan.add(call == Call.ADD ? "add " + type.getSimpleName() : call.toString());
                steps.add(() -> {
                    switch (call) {
                        case ADD -> {
                            Tracked added = conductor.add(type);
                            if (conductor.add(type) != added) {
                                World.violations.add("add(" + type.getSimpleName() + ") returned two instances");
                            }
                        }
                        case PATCH -> conductor.patch(Queue.class, FakeQueue.class);
                        case SETUP -> conductor.setup();
                        case SHUTDOWN -> conductor.shutdown();
                        case REPORT -> conductor.report().toText();
                        case GRAPH -> conductor.graph().tiers();
                    }
                });
            }
            plans.add(plan);
            runs.add(() -> steps.forEach(step -> {
                try {
                    step.run();
                }
                catch (SetupCancelledException | ComponentGraphException expected) {
                    // cancelled by a shutdown, or an incomplete graph (Sender without a Queue, say)
                }
                catch (IllegalStateException refused) {
                    if (!refused.getMessage().startsWith("Cannot ")) {
                        unexpected.add(refused.toString());
                    }
                }
                catch (Throwable ex) {
                    unexpected.add(ex.toString());
                }
            }));
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> running = new ArrayList<>();
        for (Runnable run : runs) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                }
                catch (Exception ex) {
                    unexpected.add(ex.toString());
                    return;
                }
                run.run();
            });
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join(20_000);
            assertThat(thread.isAlive()).as("seed %d: a call never returned; plans %s", seed, plans).isFalse();
        }
        conductor.shutdown();
        assertThat(unexpected).as("seed %d: unexpected exceptions; plans %s", seed, plans).isEmpty();
        assertThat(World.violations).as("seed %d: violations; plans %s", seed, plans).isEmpty();
        assertThat(World.active).as("seed %d: left running; plans %s", seed, plans).isEmpty();
        for (Tracked tracked : World.created) {
            assertThat(tracked.shutdowns.get()).as("seed %d: shutdowns of %s; plans %s", seed, tracked.name(), plans)
                    .isEqualTo(tracked.setupsReturned.get());
        }
    }
}
