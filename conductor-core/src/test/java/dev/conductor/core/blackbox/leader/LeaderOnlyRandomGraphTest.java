package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.ManualElection;
import dev.conductor.core.blackbox.leader.Kit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Seeded random graphs with one or two roles, random grants, revocations and yields. */
class LeaderOnlyRandomGraphTest {

    static final String[] ROLES = {"alpha", "beta"};

    record World(List<Part> parts, Map<Part, String> roles, LifecycleEngine engine, ManualElection election, Log log) {

        List<Part> of(String role) {
            return parts.stream().filter(p -> role.equals(roles.get(p))).toList();
        }

        List<Part> ordinary() {
            return parts.stream().filter(p -> !roles.containsKey(p)).toList();
        }

        boolean settled(String role, boolean leader) {
            Leadership.State want = leader ? Leadership.State.LEADER : Leadership.State.FOLLOWER;
            return engine.leadership(role).status().state() == want
                    && of(role).stream().allMatch(p -> p.active == leader);
        }
    }

    static World world(Random random) {
        Log log = new Log();
        ManualElection election = new ManualElection(log);
        int n = 3 + random.nextInt(7);
        List<Part> parts = new ArrayList<>();
        Map<Part, String> roles = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Part p = new Part("c" + i, log);
            String role = null;
            for (Part d : parts) {
                if (random.nextInt(3) != 0) {
                    continue;
                }
                String dr = roles.get(d);
                if (dr != null && role != null && !dr.equals(role)) {
                    continue;   // cannot depend on two roles
                }
                if (dr != null) {
                    role = dr;
                }
                p.dependsOn(d);
            }
            if (role == null && random.nextInt(3) == 0) {
                role = ROLES[random.nextInt(ROLES.length)];
            }
            if (role != null) {
                roles.put(p, role);
            }
            parts.add(p);
        }
        if (roles.isEmpty()) {   // at least one leader-only component
            Part p = new Part("c" + n, log);
            roles.put(p, ROLES[0]);
            parts.add(p);
        }
        LifecycleEngine.Builder b = LifecycleEngine.builder(Kit.graph(parts.toArray(Part[]::new)))
                .leaderElection(election).shutdownTimeout(Duration.ofSeconds(5));
        roles.forEach((p, r) -> b.leaderOnly(p.name, r));
        return new World(parts, roles, b.build(), election, log);
    }

    static int[] counts(List<Part> parts, boolean setups) {
        return parts.stream().mapToInt(p -> setups ? p.setups.get() : p.shutdowns.get()).toArray();
    }

    @Test
    @Timeout(180)
    void randomGraphsRandomHandOvers() throws Exception {
        long seed = Long.getLong("leader.seed", System.nanoTime());
        System.out.println("random graph seed " + seed + " (rerun with -Dleader.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int g = 0; g < 15; g++) {
            World w = world(random);
            String trace = "seed " + seed + " graph " + g + " " + w.engine().graph() + " roles " + names(w.roles());
            List<String> roles = w.roles().values().stream().distinct().toList();
            Map<String, Long> tokens = new HashMap<>();
            Map<String, Boolean> leader = new HashMap<>();
            try (Monitor m = new Monitor(w.engine(), w.roles(), w.log())) {
                w.engine().setup();
                int[] ordUp = counts(w.ordinary(), true);
                for (int step = 0; step < 12; step++) {
                    String role = roles.get(random.nextInt(roles.size()));
                    List<Part> mine = w.of(role);
                    List<Part> others = w.parts().stream().filter(p -> !mine.contains(p)).toList();
                    int[] mineUp = counts(mine, true);
                    int[] mineDown = counts(mine, false);
                    int[] othersUp = counts(others, true);
                    int[] othersDown = counts(others, false);
                    boolean held = leader.getOrDefault(role, false);
                    int op = random.nextInt(4);
                    boolean expectLeader;
                    if (op == 0 || (!held && op != 3)) {
                        long t = tokens.merge(role, 1L + random.nextInt(3), Long::sum);
                        w.election().grant(role, t);
                        expectLeader = true;
                    } else if (op == 1) {
                        w.election().revoke(role);
                        expectLeader = false;
                    } else if (op == 2) {
                        assertThat(w.engine().yieldLeadership(role)).as(trace).isEqualTo(held);
                        expectLeader = false;
                    } else {
                        w.election().revoke(role);   // possibly without a grant
                        expectLeader = false;
                    }
                    boolean want = expectLeader;
                    await().atMost(Duration.ofSeconds(10)).alias(trace + " step " + step)
                            .until(() -> w.settled(role, want));
                    int delta = (held != want) ? 1 : 0;
                    for (int i = 0; i < mine.size(); i++) {
                        String what = trace + " step " + step + " op " + op + " " + mine.get(i).name;
                        if (held && want) {
                            // a further grant with a greater token while leading: no double setup
                            assertThat(mine.get(i).setups.get() - mineUp[i]).as(what)
                                    .isEqualTo(mine.get(i).shutdowns.get() - mineDown[i]);
                        } else {
                            assertThat(mine.get(i).setups.get() - mineUp[i]).as(what).isEqualTo(want ? delta : 0);
                            assertThat(mine.get(i).shutdowns.get() - mineDown[i]).as(what).isEqualTo(want ? 0 : delta);
                        }
                    }
                    assertThat(counts(others, true)).as(trace + " others untouched").isEqualTo(othersUp);
                    assertThat(counts(others, false)).as(trace + " others untouched").isEqualTo(othersDown);
                    leader.put(role, want);
                    if (want) {
                        assertThat(w.engine().leadership(role).fencingToken()).isEqualTo(tokens.get(role));
                    }
                }
                assertThat(counts(w.ordinary(), true)).isEqualTo(ordUp);
                assertThat(w.ordinary()).allMatch(p -> p.active && p.shutdowns.get() == 0);
                // a concurrent burst over every role, then a settled check
                List<Thread> threads = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                for (String role : roles) {
                    long base = tokens.getOrDefault(role, 0L);
                    for (int t = 0; t < 2; t++) {
                        long threadSeed = random.nextLong();
                        int thread = t;
                        Thread th = new Thread(() -> {
                            Random r = new Random(threadSeed);
                            try {
                                go.await();
                            } catch (InterruptedException ex) {
                                return;
                            }
                            for (int i = 0; i < 30; i++) {
                                switch (r.nextInt(3)) {
                                    case 0 -> w.election().candidate(role).granted(base + 1 + i * 2L + thread);
                                    case 1 -> w.election().candidate(role).revoked();
                                    default -> w.engine().yieldLeadership(role);
                                }
                            }
                        });
                        threads.add(th);
                        th.start();
                    }
                    tokens.put(role, base + 1000);
                }
                go.countDown();
                for (Thread th : threads) {
                    th.join();
                }
                for (String role : roles) {
                    w.election().revoke(role);
                    await().atMost(Duration.ofSeconds(15)).alias(trace + " after burst").until(() -> w.settled(role, false));
                    for (Part p : w.of(role)) {
                        assertThat(p.setups.get()).as(trace + " " + p.name).isEqualTo(p.shutdowns.get());
                    }
                    w.election().grant(role, tokens.get(role) + 1);
                    await().atMost(Duration.ofSeconds(15)).alias(trace + " regrant").until(() -> w.settled(role, true));
                }
                assertThat(w.ordinary()).allMatch(p -> p.active && p.shutdowns.get() == 0 && p.setups.get() == 1);
                w.engine().shutdown();
            }
            assertThat(w.parts()).as(trace).noneMatch(p -> p.active);
            for (Part p : w.parts()) {
                assertThat(p.setups.get()).as(trace + " " + p.name).isEqualTo(p.shutdowns.get());
            }
            for (String role : roles) {
                assertThat(w.election().closes(role)).as(trace).isEqualTo(1);
            }
            assertThat(w.log().violations).as(trace).isEmpty();
        }
    }

    static Map<String, String> names(Map<Part, String> roles) {
        Map<String, String> m = new LinkedHashMap<>();
        roles.forEach((p, r) -> m.put(p.name, r));
        return m;
    }
}
