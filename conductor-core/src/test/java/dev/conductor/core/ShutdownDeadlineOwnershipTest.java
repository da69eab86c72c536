package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At a shutdown deadline, a component's shutdown belongs to one phase and, within it, to one worker: the deadline
 * and a dependent settling at the same moment hand it over once; a shutdown that goes on after its phase gave up
 * never shuts down what a later phase set up again, and no later setup calls it before it has returned; a
 * deadline that fires just as its phase ends never gives up what the next phase runs. Deadlines here are short
 * and must pass; everything else waits for latches.
 */
@Timeout(60)
class ShutdownDeadlineOwnershipTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static final Duration DEADLINE = Duration.ofMillis(200);

    private final List<String> violations = new CopyOnWriteArrayList<>();

    private final RecordingListener listener = new RecordingListener();

    /** Counts its calls and records a shutdown that finds it not set up, or a call while another runs. */
    final class Counted implements Component {

        final String name;

        final AtomicInteger setups = new AtomicInteger();

        final AtomicInteger shutdowns = new AtomicInteger();

        private final AtomicInteger calls = new AtomicInteger();

        volatile boolean setUp;

        /** Runs inside each shutdown, after the checks. */
        volatile Probe.Action insideShutdown = () -> { };

        /** The thread of its last shutdown. */
        final AtomicReference<Thread> shutdownThread = new AtomicReference<>();

        Counted(String name) {
            this.name = name;
        }

        @Override
        public void setup() {
            setups.incrementAndGet();
            enter("setup");
            setUp = true;
            calls.decrementAndGet();
        }

        @Override
        public void shutdown() throws Exception {
            int call = shutdowns.incrementAndGet();
            shutdownThread.set(Thread.currentThread());
            enter("shutdown " + call);
            try {
                if (!setUp) {
                    violations.add(name + ": shutdown " + call + " called while not set up");
                }
                setUp = false;
                insideShutdown.run();
            }
            finally {
                calls.decrementAndGet();
            }
        }

        private void enter(String call) {
            if (calls.incrementAndGet() > 1) {
                violations.add(name + ": " + call + " called while another call runs");
            }
        }
    }

    /** Blocks until the latch opens, deaf to interrupts, as a badly written close() would. */
    static void awaitDeaf(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs each task on a new thread, except while holding: then keeps it until {@link #letGo()}. */
    static final class Workers implements Executor {

        private final List<Runnable> held = new ArrayList<>();

        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        private boolean holding;

        synchronized void hold() {
            holding = true;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (holding) {
                    held.add(task);
                    return;
                }
            }
            start(new Thread(task, "worker"));
        }

        private void start(Thread thread) {
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        /** Runs the held tasks at once, each on a thread of its own behind one barrier. */
        void letGo() {
            List<Runnable> tasks;
            synchronized (this) {
                holding = false;
                tasks = new ArrayList<>(held);
                held.clear();
            }
            CyclicBarrier together = new CyclicBarrier(Math.max(1, tasks.size()));
            for (Runnable task : tasks) {
                start(new Thread(() -> {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                    task.run();
                }, "held worker"));
            }
        }

        /** Waits until every thread it started has ended. */
        void awaitIdle() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(thread.isAlive()).as("a worker still running: %s", thread).isFalse();
            }
        }
    }

    /**
     * The deadline gives up a dependent that hangs, which frees its dependency, and at the same moment starts the
     * shutdown of every component still waiting: the dependency is handed to one worker, not one for each. The
     * workers asked for from the moment the deadline passes are held until it is over, then let go together, so
     * that two workers, were the dependency queued twice, would take it at the same moment (a double shutdown then
     * needs the two to interleave within a few instructions, which a loop only sometimes catches). The dependency's
     * one worker must also run it although the deadline has already moved it to shutting down.
     */
    @Test
    void aDependencyFreedByItsDependentAndByTheDeadlineAtOnceIsShutDownOnce() throws Exception {
        for (int round = 0; round < 100 && violations.isEmpty(); round++) {
            CountDownLatch release = new CountDownLatch(1);
            Workers workers = new Workers();
            ComponentGraph.Builder graph = ComponentGraph.builder();
            List<Counted> dependencies = new ArrayList<>();
            for (int pair = 0; pair < 2; pair++) {
                Counted dependency = new Counted("dependency" + pair);
                Counted hanging = new Counted("hanging" + pair);
                hanging.insideShutdown = () -> awaitDeaf(release);
                dependencies.add(dependency);
                graph.add("dependency" + pair, dependency).add("hanging" + pair, hanging, "dependency" + pair);
            }
            LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(workers).shutdownTimeout(HOUR)
                    .shutdownDeadline(Duration.ofMillis(5)).build();
            engine.shutdownDeadlinePassed = workers::hold;
            engine.setup();
            try {
                assertThat(catchThrowable(engine::shutdown)).isInstanceOf(ComponentShutdownException.class);
                workers.letGo();
            }
            finally {
                release.countDown();
            }
            workers.awaitIdle();
            for (Counted dependency : dependencies) {
                assertThat(dependency.shutdowns.get()).as("round %d: shutdowns of %s", round, dependency.name)
                        .isEqualTo(1);
            }
        }
        assertThat(violations).isEmpty();
    }

    /**
     * dependency <- middle <- top, all leader-only: when the role is revoked, top hangs in its shutdown, so the
     * deadline gives it up, which starts middle's shutdown, and starts dependency's at once. Middle's shutdown
     * returns only once the role is granted again and dependency is set up again: the phase that gave up long ago
     * must not take the new dependency for the one it was waiting to shut down.
     */
    @Test
    void aShutdownReturningAfterItsPhaseGaveUpNeverShutsDownWhatWasSetUpAgainSince() throws Exception {
        ManualElection election = new ManualElection();
        Counted dependency = new Counted("dependency");
        Counted middle = new Counted("middle");
        Counted top = new Counted("top");
        CountDownLatch topReleased = new CountDownLatch(1);
        CountDownLatch middleReleased = new CountDownLatch(1);
        top.insideShutdown = () -> awaitDeaf(topReleased);
        middle.insideShutdown = () -> awaitDeaf(middleReleased);
        Workers workers = new Workers();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("dependency", dependency)
                        .add("middle", middle, "dependency").add("top", top, "middle").build())
                .executor(workers).shutdownTimeout(HOUR).shutdownDeadline(DEADLINE).leaderElection(election)
                .leaderOnly("dependency", "relay").leaderOnly("middle", "relay").leaderOnly("top", "relay")
                .listener(listener).listener(event -> {
                    if (event.component().equals("dependency") && event.kind() == LifecycleEvent.Kind.SETUP_FINISHED
                            && dependency.setups.get() == 2) {
                        // set up again: now the shutdown of middle, which its old phase no longer waits for, returns
                        middleReleased.countDown();
                        join(middle.shutdownThread.get());
                    }
                }).build();
        engine.setup();
        election.grant("relay", 1);
        awaitRole(engine, Leadership.State.LEADER);
        election.revoke("relay");
        awaitRole(engine, Leadership.State.FOLLOWER);
        await().until(() -> dependency.shutdowns.get() == 1 && middle.shutdowns.get() == 1);
        // top's abandoned shutdown returns, so that top may be set up again
        topReleased.countDown();
        join(top.shutdownThread.get());

        election.grant("relay", 2);
        awaitRole(engine, Leadership.State.LEADER);
        assertThat(dependency.setups).hasValue(2);
        assertThat(dependency.shutdowns).as("dependency shut down again under its new dependents").hasValue(1);
        assertThat(dependency.setUp).isTrue();
        assertThat(engine.state("dependency")).isEqualTo(ComponentState.ACTIVE);
        assertThat(violations).isEmpty();
        engine.shutdown();
        assertThat(dependency.shutdowns).hasValue(2);
        assertThat(violations).isEmpty();
    }

    /**
     * A role's shutdown passes its deadline just as its hanging component returns (the test holds the deadline
     * where the timer found the phase still running), and a restart of another component starts meanwhile: the
     * deadline, going on, gives up only its own phase's shutdowns, not the restart's, which then finishes.
     */
    @Test
    void aDeadlineFiringAsItsPhaseEndsLeavesTheNextPhasesComponentsAlone() throws Exception {
        ManualElection election = new ManualElection();
        Counted leaderOnly = new Counted("leaderOnly");
        Counted other = new Counted("other");
        CountDownLatch leaderOnlyReleased = new CountDownLatch(1);
        CountDownLatch deadlineGoesOn = new CountDownLatch(1);
        CountDownLatch otherShuttingDown = new CountDownLatch(1);
        CountDownLatch otherReleased = new CountDownLatch(1);
        CountDownLatch deadlineHandled = new CountDownLatch(1);
        leaderOnly.insideShutdown = () -> awaitDeaf(leaderOnlyReleased);
        other.insideShutdown = () -> {
            otherShuttingDown.countDown();
            awaitDeaf(otherReleased);
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("leaderOnly", leaderOnly)
                        .add("other", other).build())
                .shutdownTimeout(HOUR).shutdownDeadline(DEADLINE).leaderElection(election)
                .leaderOnly("leaderOnly", "relay").listener(listener).build();
        engine.shutdownDeadlinePassed = () -> {
            leaderOnlyReleased.countDown(); // returns now: the phase ends while its deadline is being handled
            awaitDeaf(deadlineGoesOn);
            // the one timeout thread runs this once it has finished handling the deadline
            TimeoutScheduler.schedule(0, deadlineHandled::countDown);
        };
        engine.setup();
        election.grant("relay", 1);
        awaitRole(engine, Leadership.State.LEADER);
        election.revoke("relay");
        awaitRole(engine, Leadership.State.FOLLOWER);
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> engine.restart("other"));
        assertThat(otherShuttingDown.await(10, TimeUnit.SECONDS)).isTrue();
        deadlineGoesOn.countDown();
        assertThat(deadlineHandled.await(10, TimeUnit.SECONDS)).isTrue();
        otherReleased.countDown();
        assertThat(catchThrowable(() -> restart.get(10, TimeUnit.SECONDS))).as("the restart finished").isNull();
        assertThat(other.setups).hasValue(2);
        assertThat(listener.transitions()).doesNotContain("shutdown-failed other");
        assertThat(engine.state("other")).isEqualTo(ComponentState.ACTIVE);
        engine.shutdown();
        assertThat(violations).isEmpty();
    }

    /**
     * a <- b: b hangs in its shutdown, so the deadline gives it up and starts a's, which still runs when shutdown()
     * returns. A setup() meanwhile calls neither: it fails naming the shutdown that has not returned. Once both
     * have returned, the next setup() sets them up.
     */
    @Test
    void aShutdownTheDeadlineNoLongerWaitsForIsNotOverlappedByTheNextSetup() throws Exception {
        Counted a = new Counted("a");
        Counted b = new Counted("b");
        CountDownLatch aShuttingDown = new CountDownLatch(1);
        CountDownLatch aReleased = new CountDownLatch(1);
        CountDownLatch bReleased = new CountDownLatch(1);
        a.insideShutdown = () -> {
            aShuttingDown.countDown();
            awaitDeaf(aReleased);
        };
        b.insideShutdown = () -> awaitDeaf(bReleased);
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("a", a).add("b", b, "a").build())
                .executor(new Workers()).shutdownTimeout(HOUR).shutdownDeadline(DEADLINE).build();
        engine.setup();
        assertThat(catchThrowable(engine::shutdown)).isInstanceOf(ComponentShutdownException.class);
        assertThat(aShuttingDown.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(catchThrowable(engine::setup)).isInstanceOf(ComponentSetupException.class).hasMessageContaining(
                "'a' cannot start its setup: its shutdown from an earlier attempt, given up at its timeout or a"
                        + " deadline, has not returned yet");
        assertThat(a.setups).hasValue(1);
        assertThat(violations).isEmpty();

        aReleased.countDown();
        bReleased.countDown();
        join(a.shutdownThread.get());
        join(b.shutdownThread.get());
        engine.setup();
        assertThat(a.setups).hasValue(2);
        assertThat(b.setups).hasValue(2);
        engine.shutdown();
        assertThat(violations).isEmpty();
    }

    private static void awaitRole(LifecycleEngine engine, Leadership.State state) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.leadership("relay").status().state() == state && engine.leadershipIdle());
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        assertThat(thread.isAlive()).as("%s still running", thread).isFalse();
    }
}
