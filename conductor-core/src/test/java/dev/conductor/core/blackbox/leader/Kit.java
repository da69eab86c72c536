package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.DelayScheduler;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Test helpers: counting components, a manual election, an ordered log. */
final class Kit {

    private Kit() {
    }

    /** An ordered log shared by components and the election of one test. */
    static final class Log {
        final ConcurrentLinkedQueue<String> entries = new ConcurrentLinkedQueue<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        /** Leader-only components seen set up while the role's status said FOLLOWER (see Monitor). */
        final List<String> statusMismatches = new CopyOnWriteArrayList<>();

        void add(String entry) {
            entries.add(entry);
        }

        List<String> list() {
            return new ArrayList<>(entries);
        }

        int indexOf(String entry) {
            return list().indexOf(entry);
        }
    }

    /** A component that counts its calls and checks its neighbours. */
    static class Part implements Component {
        final String name;
        final Log log;
        final List<Part> deps = new ArrayList<>();
        final List<Part> dependents = new ArrayList<>();
        final AtomicInteger setupCalls = new AtomicInteger();
        final AtomicInteger setups = new AtomicInteger();
        final AtomicInteger shutdowns = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        volatile boolean active;
        final AtomicInteger changes = new AtomicInteger();
        volatile CountDownLatch setupGate;      // when set, setup waits for it
        volatile CountDownLatch setupEntered = new CountDownLatch(1);
        volatile CountDownLatch shutdownGate;   // when set, shutdown waits for it
        volatile CountDownLatch shutdownEntered = new CountDownLatch(1);
        volatile BooleanSupplier heldCheck;     // when set, must be true at setup start
        volatile RuntimeException failNext;
        volatile int workMillis;                // simulated work in setup and shutdown (not an order proof)

        Part(String name, Log log) {
            this.name = name;
            this.log = log;
        }

        Part dependsOn(Part... others) {
            for (Part o : others) {
                deps.add(o);
                o.dependents.add(this);
            }
            return this;
        }

        @Override
        public void setup() throws Exception {
            setupCalls.incrementAndGet();
            if (active) {
                log.violations.add(name + " set up while active");
            }
            for (Part d : deps) {
                if (!d.active) {
                    log.violations.add(name + " set up while dependency " + d.name + " is not active");
                }
            }
            BooleanSupplier held = heldCheck;
            if (held != null && !held.getAsBoolean()) {
                log.violations.add(name + " set up while its role is not held");
            }
            log.add(name + "+start");
            setupEntered.countDown();
            CountDownLatch gate = setupGate;
            if (gate != null) {
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(name + ": gate never opened");
                    }
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    log.add(name + "+interrupted");
                    throw e;
                }
            }
            if (workMillis > 0) {
                try {
                    Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(workMillis));
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    log.add(name + "+interrupted");
                    throw e;
                }
            }
            RuntimeException f = failNext;
            if (f != null) {
                failNext = null;
                log.add(name + "+failed");
                throw f;
            }
            active = true;
            changes.incrementAndGet();
            setups.incrementAndGet();
            log.add(name + "+");
        }

        @Override
        public void shutdown() throws Exception {
            for (Part d : dependents) {
                if (d.active) {
                    log.violations.add(name + " shut down while dependent " + d.name + " is active");
                }
            }
            if (!active) {
                log.violations.add(name + " shut down while not active");
            }
            log.add(name + "-start");
            shutdownEntered.countDown();
            CountDownLatch gate = shutdownGate;
            if (gate != null) {
                gate.await(30, TimeUnit.SECONDS);
            }
            if (workMillis > 0) {
                Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(workMillis));
            }
            active = false;
            changes.incrementAndGet();
            shutdowns.incrementAndGet();
            log.add(name + "-");
        }

        @Override
        public String toString() {
            return name + "[setups=" + setups + ", shutdowns=" + shutdowns + ", active=" + active + "]";
        }
    }

    /** A manual election: the test grants and revokes from any thread. */
    static final class ManualElection implements LeaderElection {
        final Log log;
        final Map<String, Candidate> candidates = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> joins = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> yields = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
        volatile Exception joinFailure;
        volatile RuntimeException yieldFailure;
        volatile RuntimeException closeFailure;
        volatile long grantInsideJoin;          // > 0: grant with this token from inside join
        final CountDownLatch joined = new CountDownLatch(1);

        ManualElection(Log log) {
            this.log = log;
        }

        static int count(Map<String, AtomicInteger> map, String role) {
            AtomicInteger n = map.get(role);
            return n == null ? 0 : n.get();
        }

        int joins(String role) {
            return count(joins, role);
        }

        int yields(String role) {
            return count(yields, role);
        }

        int closes(String role) {
            return count(closes, role);
        }

        @Override
        public Participation join(String role, Candidate candidate) throws Exception {
            log.add("join:" + role);
            joins.computeIfAbsent(role, r -> new AtomicInteger()).incrementAndGet();
            if (joinFailure != null) {
                throw joinFailure;
            }
            candidates.put(role, candidate);
            joined.countDown();
            if (grantInsideJoin > 0) {
                candidate.granted(grantInsideJoin);
            }
            return new Participation() {
                @Override
                public void yieldLeadership() {
                    log.add("yield:" + role);
                    yields.computeIfAbsent(role, r -> new AtomicInteger()).incrementAndGet();
                    if (yieldFailure != null) {
                        throw yieldFailure;
                    }
                }

                @Override
                public void close() {
                    log.add("close:" + role);
                    closes.computeIfAbsent(role, r -> new AtomicInteger()).incrementAndGet();
                    if (closeFailure != null) {
                        throw closeFailure;
                    }
                }
            };
        }

        Candidate candidate(String role) {
            Candidate c = candidates.get(role);
            if (c == null) {
                throw new AssertionError("role " + role + " was not joined");
            }
            return c;
        }

        void grant(String role, long token) {
            log.add("grant:" + role + ":" + token);
            candidate(role).granted(token);
        }

        void revoke(String role) {
            log.add("revoke:" + role);
            candidate(role).revoked();
        }
    }

    /** Records leadership and lifecycle events. */
    static final class Events implements LifecycleListener {
        final List<LeadershipEvent> leadership = new CopyOnWriteArrayList<>();
        final List<LifecycleEvent> lifecycle = new CopyOnWriteArrayList<>();
        final Log log;

        Events(Log log) {
            this.log = log;
        }

        @Override
        public void onEvent(LifecycleEvent event) {
            lifecycle.add(event);
        }

        @Override
        public void onLeadership(LeadershipEvent event) {
            leadership.add(event);
            if (log != null) {
                log.add("event:" + event.role() + ":" + event.kind());
            }
        }

        List<LeadershipEvent.Kind> kinds(String role) {
            return leadership.stream().filter(e -> e.role().equals(role)).map(LeadershipEvent::kind).toList();
        }
    }

    /**
     * The engine's executor, counting the tasks it was handed until they end, each on a new daemon thread. A call
     * into the engine hands it, before returning, the tasks it starts (a role's task; the setups and shutdowns a task
     * runs are handed on before that task ends): once the executor is quiet after such a call, everything the call
     * set going has ended, and a setup it would have made has shown.
     */
    static final class CountingExecutor implements Executor {
        private final AtomicInteger unfinished = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            unfinished.incrementAndGet();
            Thread thread = new Thread(() -> {
                try {
                    task.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            }, "engine-task");
            thread.setDaemon(true);
            try {
                thread.start();
            } catch (RuntimeException | Error refused) {
                unfinished.decrementAndGet();
                throw refused;
            }
        }

        boolean quiet() {
            return unfinished.get() == 0;
        }
    }

    /** Delays that end when the test says: each waits until {@link #passAll()} runs it on the calling thread. */
    static final class ManualDelays implements DelayScheduler {
        final List<Duration> asked = new CopyOnWriteArrayList<>();
        private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

        @Override
        public void schedule(Duration delay, Runnable action) {
            asked.add(delay);
            waiting.add(action);
        }

        int waiting() {
            return waiting.size();
        }

        /** Ends every delay waiting now: each action runs here, before this returns. */
        void passAll() {
            Runnable action;
            while ((action = waiting.poll()) != null) {
                action.run();
            }
        }
    }

    static ComponentGraph graph(Part... parts) {
        ComponentGraph.Builder b = ComponentGraph.builder();
        for (Part p : parts) {
            b.add(ComponentDefinition.of(p.name, p).dependsOn(p.deps.stream().map(d -> d.name).toList()));
        }
        return b.build();
    }
}
