package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.Events;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Grants, revocations and yields from several threads at once, and repeated cycles. */
class LeaderOnlyConcurrencyTest {

    static final String ROLE = "outbox";

    final Log log = new Log();
    final ManualElection election = new ManualElection(log);
    final Events events = new Events(null);
    final Part db = new Part("db", log);
    final Part web = new Part("web", log).dependsOn(db);
    final Part relay = new Part("relay", log).dependsOn(db);
    final Part report = new Part("report", log).dependsOn(relay);
    final Part mailer = new Part("mailer", log).dependsOn(report, web);   // ordinary web: allowed for a leader-only
    final List<Part> roleParts = List.of(relay, report, mailer);

    LifecycleEngine engine() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report, mailer))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE).leaderOnly("mailer", ROLE)
                .leaderElection(election).listener(events).shutdownTimeout(Duration.ofSeconds(5)).build();
    }

    boolean settledLeader(LifecycleEngine e) {
        return e.leadership(ROLE).status().state() == Leadership.State.LEADER
                && roleParts.stream().allMatch(p -> p.active);
    }

    boolean settledFollower(LifecycleEngine e) {
        return e.leadership(ROLE).status().state() == Leadership.State.FOLLOWER
                && roleParts.stream().noneMatch(p -> p.active);
    }

    void storm(boolean ordered, long seed) throws Exception {
        System.out.println("storm seed " + seed + (ordered ? " (tokens delivered in order)" : ""));
        LifecycleEngine e = engine();
        e.setup();
        AtomicLong tokens = new AtomicLong();
        Object order = new Object();
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Monitor m = new Monitor(e, Map.of(relay, ROLE, report, ROLE, mailer, ROLE), log)) {
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 150; i++) {
                            int op = random.nextInt(10);
                            if (op < 5) {
                                if (ordered) {
                                    synchronized (order) {
                                        election.candidate(ROLE).granted(tokens.incrementAndGet());
                                    }
                                } else {
                                    election.candidate(ROLE).granted(tokens.incrementAndGet());
                                }
                            } else if (op < 8) {
                                election.candidate(ROLE).revoked();
                            } else {
                                e.yieldLeadership(ROLE);
                            }
                            if (random.nextInt(4) == 0) {
                                Thread.yield();
                            }
                        }
                    } catch (Throwable x) {
                        errors.add(x);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            assertThat(errors).isEmpty();
            election.candidate(ROLE).revoked();
            await().atMost(Duration.ofSeconds(20)).until(() -> settledFollower(e));
            for (Part p : roleParts) {
                assertThat(p.setups.get()).as(p.name).isEqualTo(p.shutdowns.get());
            }
            election.candidate(ROLE).granted(tokens.incrementAndGet() + 1000);
            await().atMost(Duration.ofSeconds(20)).until(() -> settledLeader(e));
            assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(tokens.get() + 1000);
        }
        for (Part p : roleParts) {
            assertThat(p.setups.get()).as(p.name).isEqualTo(p.shutdowns.get() + 1);
        }
        assertThat(db.setups.get() + web.setups.get()).isEqualTo(2);
        assertThat(db.shutdowns.get() + web.shutdowns.get()).isZero();
        e.shutdown();
        assertThat(election.closes(ROLE)).isEqualTo(1);
        assertThat(List.of(db, web, relay, report, mailer)).noneMatch(p -> p.active);
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(90)
    void stormWithTokensDeliveredInOrder() throws Exception {
        storm(true, System.nanoTime());
    }

    @Test
    @Timeout(90)
    void stormWithTokensOutOfOrder() throws Exception {
        storm(false, System.nanoTime());
    }

    @Test
    @Timeout(120)
    void tenCyclesWithRandomHandOversEachSetsUpAndShutsDownOnce() throws Exception {
        long seed = System.nanoTime();
        System.out.println("cycles seed " + seed);
        Random random = new Random(seed);
        LifecycleEngine e = engine();
        long token = 0;
        int joins = 0;
        try (Monitor m = new Monitor(e, Map.of(relay, ROLE, report, ROLE, mailer, ROLE), log)) {
            for (int cycle = 0; cycle < 10; cycle++) {
                int dbSetups = db.setups.get();
                e.setup();
                assertThat(election.joins(ROLE)).isEqualTo(++joins);
                boolean leader = false;
                int handOvers = random.nextInt(5);
                for (int h = 0; h < handOvers; h++) {
                    int[] before = roleParts.stream().mapToInt(p -> p.setups.get()).toArray();
                    int[] beforeDown = roleParts.stream().mapToInt(p -> p.shutdowns.get()).toArray();
                    if (!leader) {
                        election.grant(ROLE, ++token);
                        await().atMost(Duration.ofSeconds(10)).until(() -> settledLeader(e));
                        leader = true;
                        for (int i = 0; i < roleParts.size(); i++) {
                            assertThat(roleParts.get(i).setups.get()).as("cycle " + cycle + " " + roleParts.get(i).name)
                                    .isEqualTo(before[i] + 1);
                            assertThat(roleParts.get(i).shutdowns.get()).isEqualTo(beforeDown[i]);
                        }
                        assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(token);
                    } else {
                        int yieldsBefore = election.yields(ROLE);
                        if (random.nextBoolean()) {
                            election.revoke(ROLE);
                        } else {
                            assertThat(e.yieldLeadership(ROLE)).isTrue();
                            await().atMost(Duration.ofSeconds(10)).until(() -> election.yields(ROLE) == yieldsBefore + 1);
                        }
                        await().atMost(Duration.ofSeconds(10)).until(() -> settledFollower(e));
                        leader = false;
                        for (int i = 0; i < roleParts.size(); i++) {
                            assertThat(roleParts.get(i).shutdowns.get()).as("cycle " + cycle + " " + roleParts.get(i).name)
                                    .isEqualTo(beforeDown[i] + 1);
                            assertThat(roleParts.get(i).setups.get()).isEqualTo(before[i]);
                        }
                    }
                    assertThat(db.setups.get()).isEqualTo(dbSetups + 1);
                    assertThat(db.shutdowns.get()).isEqualTo(dbSetups);
                }
                e.shutdown();
                assertThat(election.closes(ROLE)).isEqualTo(joins);
                assertThat(List.of(db, web, relay, report, mailer)).noneMatch(p -> p.active);
                for (Part p : List.of(db, web, relay, report, mailer)) {
                    assertThat(p.setups.get()).as(p.name).isEqualTo(p.shutdowns.get());
                }
                assertThat(e.leadership(ROLE).isLeader()).isFalse();
            }
        }
        assertThat(db.setups.get()).isEqualTo(10);
        assertThat(log.violations).isEmpty();
    }
}
