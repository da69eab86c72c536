package dev.conductor.samples.orders;

import dev.conductor.core.Component;
import dev.conductor.core.LeaderOnly;
import dev.conductor.core.Leadership;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorLeadership;
import dev.conductor.spring.actuate.ComponentHealth;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;

/**
 * Sends the events in the outbox table (each order's {@code ORDER_PROCESSED}, written with the order's change),
 * on one replica only: it is leader-only for the role {@value #ROLE}, so Conductor sets it up when this replica is
 * granted the role and shuts it down when the role is lost or given up, while the web API and the workers keep
 * running on every replica.
 *
 * <p>Every batch is fenced: in the batch's transaction it first raises the {@code leader_fence} row of the role to
 * this grant's fencing token, which only succeeds while the row holds no higher token. A replica that still
 * believes it leads after another one took over (paused past its lease, or cut off from the election's database)
 * finds a higher token there, and the database rejects its batch: its sends are not recorded. The row lock also
 * orders two relays' batches. Sending is at least once: a batch rolled back after its events went out is sent
 * again by the next leader, so a consumer de-duplicates by the outbox id (and can drop what carries a token lower
 * than one it has seen). Here "sending" is a log line; a real relay publishes to a broker or calls a service.
 */
@ConductorComponent
@LeaderOnly(OutboxRelay.ROLE)
class OutboxRelay implements Component, ComponentHealth {

    /** The role whose leader runs the relay. */
    static final String ROLE = "outbox";

    private static final int BATCH = 100;

    private static final Log logger = LogFactory.getLog(OutboxRelay.class);

    private final Database database;

    private final Leadership leadership;

    private final Duration interval;

    private final String replica;

    private final AtomicLong relayed = new AtomicLong();

    private final AtomicLong fencedOut = new AtomicLong();

    private volatile long token;

    private volatile ScheduledExecutorService timer;

    OutboxRelay(Database database, ConductorLeadership leaderships,
            @Value("${orders.outbox.interval:500ms}") Duration interval) {
        this.database = database;
        this.leadership = leaderships.of(ROLE);
        this.interval = interval;
        this.replica = ProcessHandle.current().pid() + "@" + hostName();
    }

    @Override
    public void setup() {
        token = leadership.fencingToken();
        // A grant that is stale already (another replica wrote with a higher token) is given up at once
        if (relay(token) < 0) {
            throw new IllegalStateException("The outbox fence holds a token above this replica's " + token
                    + ": another replica led the role since");
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::relayQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        timer = started;
        logger.info("Outbox relay active on " + replica + " with fencing token " + token);
    }

    @Override
    public void shutdown() throws InterruptedException {
        ScheduledExecutorService current = timer;
        timer = null;
        if (current != null) {
            current.shutdown();
            if (!current.awaitTermination(10, TimeUnit.SECONDS)) {
                current.shutdownNow();
            }
        }
        logger.info("Outbox relay stopped on " + replica + " (token " + token + ")");
    }

    private void relayQuietly() {
        try {
            relay(token);
        }
        catch (RuntimeException ex) {
            // the next run tries again; a database that stays away shows in the database's health
            logger.warn("Outbox relay failed; trying again in " + interval.toMillis() + " ms", ex);
        }
    }

    /**
     * Sends one batch of pending events under the fence, with {@code mine} as this replica's token.
     *
     * @return how many were sent, or {@code -1} when the fence holds a higher token (nothing was recorded)
     */
    int relay(long mine) {
        int sent = database.inTransaction(() -> {
            int fenced = database.jdbc()
                    .sql("UPDATE leader_fence SET token = ? WHERE role = ? AND token <= ?")
                    .params(mine, ROLE, mine)
                    .update();
            if (fenced == 0) {
                return -1;
            }
            List<PendingEvent> pending = database.jdbc()
                    .sql("SELECT id, order_id, event FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT " + BATCH)
                    .query((row, number) -> new PendingEvent(row.getLong("id"), row.getString("order_id"),
                            row.getString("event")))
                    .list();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (PendingEvent event : pending) {
                logger.info("Sent " + event.event() + " of order " + event.orderId() + " (outbox " + event.id()
                        + ", fencing token " + mine + ")");
                database.jdbc()
                        .sql("UPDATE outbox SET relayed_at = ?, relayed_by = ?, relayed_token = ?"
                                + " WHERE id = ? AND relayed_at IS NULL")
                        .params(now, replica, mine, event.id())
                        .update();
            }
            return pending.size();
        });
        if (sent < 0) {
            long count = fencedOut.incrementAndGet();
            logger.warn("Outbox batch rejected by the fence: token " + mine + " is stale (" + count
                    + " rejected so far); waiting for the election to take the role away");
        }
        else {
            relayed.addAndGet(sent);
        }
        return sent;
    }

    /** The grant's token, what this replica sent, and how many of its batches the fence rejected. */
    @Override
    public Health health() {
        return Health.up()
                .withDetail("fencingToken", token)
                .withDetail("relayed", relayed.get())
                .withDetail("fencedOut", fencedOut.get())
                .build();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.io.IOException ex) {
            return "localhost";
        }
    }

    private record PendingEvent(long id, String orderId, String event) {
    }
}
