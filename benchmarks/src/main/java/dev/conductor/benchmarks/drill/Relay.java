package dev.conductor.benchmarks.drill;

import dev.conductor.core.Component;
import dev.conductor.core.Leadership;

/**
 * The drill's leader-only component: while its replica leads the role it writes a heartbeat through the
 * {@link Fence} every 20 ms, carrying the grant's fencing token, as an outbox relay would write its sends. Its
 * setup's first write must be taken (a replica whose grant is already stale gives the role up); a rejected
 * heartbeat is printed and counted. Prints {@code ACTIVE} and {@code STOPPED} lines for the harness.
 */
public final class Relay implements Component {

    static final long BEAT_MILLIS = 20;

    private final Fence fence;

    private final Leadership leadership;

    private volatile Thread beats;

    private long token;

    public Relay(Fence fence, Leadership leadership) {
        this.fence = fence;
        this.leadership = leadership;
    }

    @Override
    public void setup() throws Exception {
        token = leadership.fencingToken();
        if (!fence.write(token, "active")) {
            throw new IllegalStateException("The fence is above token " + token + ": another replica led since");
        }
        Thread thread = new Thread(this::beat, "drill-relay");
        thread.setDaemon(true);
        beats = thread;
        thread.start();
        DrillReplica.say("ACTIVE " + token);
    }

    private void beat() {
        int rejected = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(BEAT_MILLIS);
                if (!fence.write(token, "beat")) {
                    rejected++;
                    DrillReplica.say("REJECTED " + token + " " + rejected);
                }
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (Exception ex) {
                DrillReplica.say("FENCE-ERROR " + ex);
            }
        }
    }

    @Override
    public void shutdown() throws Exception {
        Thread thread = beats;
        thread.interrupt();
        thread.join(5000);
        boolean taken;
        try {
            taken = fence.write(token, "stopped");
        }
        finally {
            DrillReplica.say("STOPPED " + token);
        }
        if (!taken) {
            DrillReplica.say("REJECTED " + token + " stopped");
        }
    }
}
