package dev.conductor.spring.leader;

import dev.conductor.core.LeaderElection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * This replica's part in one role's election: the initiator it started. Leaving stops it and waits (briefly) for
 * the lock to be released, so that a follower can take the role at once rather than after the lock expires; a
 * yield stops it for a pause.
 */
final class InitiatorParticipation implements LeaderElection.Participation {

    private static final Log logger = LogFactory.getLog(LockRegistryLeaderElection.class);

    /** How long leaving waits for the initiator's thread to release the lock. */
    private static final long RELEASE_WAIT_MILLIS = 5_000;

    private final String role;

    private final LockRegistryLeaderInitiator initiator;

    private final RoleCandidate candidate;

    /** How long a yielding replica stays out of the election, so that another one can take the lock. */
    private final Duration yieldPause;

    private volatile boolean closed;

    InitiatorParticipation(String role, LockRegistryLeaderInitiator initiator, RoleCandidate candidate,
            Duration yieldPause) {
        this.role = role;
        this.initiator = initiator;
        this.candidate = candidate;
        this.yieldPause = yieldPause;
    }

    /**
     * Stops the initiator, which releases the lock, and starts it again after a pause: Spring Integration's
     * {@code Context.yield()} would compete again at once, and usually win the lock back before another replica,
     * which polls for it, has tried.
     */
    @Override
    public void yieldLeadership() {
        synchronized (this) {
            if (closed) {
                return;
            }
            initiator.stop();
        }
        CompletableFuture.delayedExecutor(yieldPause.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                if (!closed) {
                    initiator.start();
                }
            }
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            initiator.destroy();
            if (!candidate.awaitReleased(RELEASE_WAIT_MILLIS)) {
                logger.warn("Conductor: the lock of role '" + role + "' was not released within "
                        + RELEASE_WAIT_MILLIS + " ms of leaving; another replica takes the role once it expires");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not stop the leader initiator of role '" + role + "'", ex);
        }
    }

    @Override
    public String toString() {
        return "Spring Integration election of role '" + role + "'";
    }
}
