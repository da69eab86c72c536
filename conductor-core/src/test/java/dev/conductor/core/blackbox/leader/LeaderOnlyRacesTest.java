package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.CountingExecutor;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hand-overs racing slow setups, restarts, and whole setups and shutdowns. */
class LeaderOnlyRacesTest {

    static final String ROLE = "outbox";

    final Log log = new Log();
    final ManualElection election = new ManualElection(log);
    final Part db = new Part("db", log);
    final Part web = new Part("web", log).dependsOn(db);
    final Part relay = new Part("relay", log).dependsOn(db);
    final Part report = new Part("report", log).dependsOn(relay);
    final Part mailer = new Part("mailer", log).dependsOn(report, web);
    final List<Part> roleParts = List.of(relay, report, mailer);
    final List<Part> all = List.of(db, web, relay, report, mailer);

    final CountingExecutor executor = new CountingExecutor();

    LifecycleEngine engine() {
        return LifecycleEngine.builder(Kit.graph(db, web, relay, report, mailer))
                .leaderOnly("relay", ROLE).leaderOnly("report", ROLE).leaderOnly("mailer", ROLE)
                .leaderElection(election).shutdownTimeout(Duration.ofSeconds(5)).executor(executor).build();
    }

    boolean settled(LifecycleEngine e, boolean leader) {
        Leadership.State want = leader ? Leadership.State.LEADER : Leadership.State.FOLLOWER;
        return e.leadership(ROLE).status().state() == want && roleParts.stream().allMatch(p -> p.active == leader)
                && db.active && web.active;
    }

    @Test
    @Timeout(120)
    void handOversRacingSlowSetupsAndRestartsOfTheOrdinaryDependency() throws Exception {
        long seed = System.nanoTime();
        System.out.println("races seed " + seed);
        all.forEach(p -> p.workMillis = 3);
        LifecycleEngine e = engine();
        e.setup();
        AtomicLong tokens = new AtomicLong();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try (Monitor m = new Monitor(e, Map.of(relay, ROLE, report, ROLE, mailer, ROLE), log)) {
            for (int t = 0; t < 3; t++) {
                Random r = new Random(seed + t);
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < 60; i++) {
                            switch (r.nextInt(4)) {
                                case 0, 1 -> {
                                    synchronized (tokens) {
                                        election.candidate(ROLE).granted(tokens.incrementAndGet());
                                    }
                                }
                                case 2 -> election.candidate(ROLE).revoked();
                                default -> e.yieldLeadership(ROLE);
                            }
                            Thread.sleep(r.nextInt(4));
                        }
                    } catch (Throwable x) {
                        errors.add(x);
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread restarter = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 8; i++) {
                        try {
                            e.restart("db");
                        } catch (IllegalStateException refused) {
                            // refused while something else runs: allowed
                        }
                    }
                } catch (Throwable x) {
                    errors.add(x);
                }
            });
            restarter.start();
            go.countDown();
            for (Thread th : threads) {
                th.join();
            }
            restarter.join();
            assertThat(errors).isEmpty();
            election.candidate(ROLE).revoked();
            await().atMost(Duration.ofSeconds(20)).until(() -> settled(e, false));
            for (Part p : all) {
                assertThat(p.setups.get() - p.shutdowns.get()).as(p.name).isEqualTo(roleParts.contains(p) ? 0 : 1);
            }
            synchronized (tokens) {
                election.candidate(ROLE).granted(tokens.incrementAndGet());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> settled(e, true));
            assertThat(e.leadership(ROLE).fencingToken()).isEqualTo(tokens.get());
        }
        e.shutdown();
        assertThat(all).noneMatch(p -> p.active);
        for (Part p : all) {
            assertThat(p.setups.get()).as(p.name).isEqualTo(p.shutdowns.get());
        }
        assertThat(log.violations).isEmpty();
    }

    @Test
    @Timeout(120)
    void tenCyclesWithGrantsRacingTheWholeSetupAndShutdown() throws Exception {
        cycles();
    }

    @Test
    @Timeout(300)
    void statusIsNeverFollowerWhileARoleComponentIsUp() throws Exception {
        for (int i = 0; i < 5 && log.statusMismatches.isEmpty(); i++) {
            cycles();
        }
        assertThat(log.statusMismatches).isEmpty();
    }

    void cycles() throws Exception {
        election.candidates.clear();
        all.forEach(p -> {
            p.setups.set(0);
            p.shutdowns.set(0);
        });
        election.closes.clear();
        long seed = System.nanoTime();
        System.out.println("setup/shutdown races seed " + seed);
        Random random = new Random(seed);
        all.forEach(p -> p.workMillis = 2);
        LifecycleEngine e = engine();
        AtomicLong tokens = new AtomicLong();
        try (Monitor m = new Monitor(e, Map.of(relay, ROLE, report, ROLE, mailer, ROLE), log)) {
            for (int cycle = 0; cycle < 10; cycle++) {
                AtomicBoolean stop = new AtomicBoolean();
                long threadSeed = random.nextLong();
                Thread granter = new Thread(() -> {
                    Random r = new Random(threadSeed);
                    while (!stop.get()) {
                        var c = election.candidates.get(ROLE);
                        if (c != null) {
                            if (r.nextInt(3) == 0) {
                                c.revoked();
                            } else {
                                synchronized (tokens) {
                                    c.granted(tokens.incrementAndGet());
                                }
                            }
                        }
                        try {
                            Thread.sleep(r.nextInt(5));
                        } catch (InterruptedException ex) {
                            return;
                        }
                    }
                });
                granter.start();
                e.setup();
                Thread.sleep(random.nextInt(30));   // let some hand-overs happen (not an order proof)
                e.shutdown();
                stop.set(true);
                granter.join();
                // every grant has returned, having handed the engine's executor what it set going: once that
                // has ended, a stray late setup has shown (no role setup fails in these cycles, so no backoff
                // waits on a timer)
                await().atMost(Duration.ofSeconds(10)).until(executor::quiet);
                assertThat(all).as("cycle " + cycle).noneMatch(p -> p.active);
                for (Part p : all) {
                    assertThat(p.setups.get()).as("cycle " + cycle + " " + p.name).isEqualTo(p.shutdowns.get());
                }
                assertThat(db.setups.get()).isEqualTo(cycle + 1);
                assertThat(election.closes(ROLE)).isEqualTo(cycle + 1);
                election.candidates.remove(ROLE);
            }
        }
        assertThat(log.violations).isEmpty();
    }
}
