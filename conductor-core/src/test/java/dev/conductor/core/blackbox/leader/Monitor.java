package dev.conductor.core.blackbox.leader;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.blackbox.leader.Kit.Log;
import dev.conductor.core.blackbox.leader.Kit.Part;

import java.util.Map;

/**
 * Watches, on a thread of its own, that no leader-only component is seen active while its role's leadership is
 * FOLLOWER ("the role's components are down"), from consistent snapshots only; what it sees goes to
 * {@code Log.statusMismatches}, asserted by LeaderOnlyRacesTest's statusIsNeverFollowerWhileARoleComponentIsUp.
 */
final class Monitor implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    Monitor(LifecycleEngine engine, Map<Part, String> roles, Log log) {
        thread = new Thread(() -> {
            while (!stop) {
                for (Map.Entry<Part, String> e : roles.entrySet()) {
                    Part p = e.getKey();
                    int v1 = p.changes.get();
                    boolean active = p.active;
                    Leadership.State state = engine.leadership(e.getValue()).status().state();
                    int v2 = p.changes.get();
                    if (v1 == v2 && active && state == Leadership.State.FOLLOWER) {
                        // read again to be sure the state did not just move on
                        if (p.changes.get() == v1 && p.active
                                && engine.leadership(e.getValue()).status().state() == Leadership.State.FOLLOWER) {
                            log.statusMismatches.add(p.name + " active while role " + e.getValue() + " is FOLLOWER"
                                    + " (engine state " + engine.state(p.name) + ", " + p + ", "
                                    + engine.leadership(e.getValue()).status() + ", last log "
                                    + tail(log) + ")");
                        }
                    }
                }
                Thread.onSpinWait();
            }
        }, "leader-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    static java.util.List<String> tail(Log log) {
        java.util.List<String> l = log.list();
        return l.subList(Math.max(0, l.size() - 12), l.size());
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
