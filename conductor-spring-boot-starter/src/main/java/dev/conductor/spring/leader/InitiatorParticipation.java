package dev.conductor.spring.leader;

import dev.conductor.core.LeaderElection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * This replica's part in one role's election: the initiator it started. Leaving stops it and waits (briefly) for
 * the lock to be released, so that a follower can take the role at once rather than after the lock expires.
 */
final class InitiatorParticipation implements LeaderElection.Participation {

    private static final Log logger = LogFactory.getLog(LockRegistryLeaderElection.class);

    /** How long leaving waits for the initiator's thread to release the lock. */
    private static final long RELEASE_WAIT_MILLIS = 5_000;

    private final String role;

    private final LockRegistryLeaderInitiator initiator;

    private final RoleCandidate candidate;

    InitiatorParticipation(String role, LockRegistryLeaderInitiator initiator, RoleCandidate candidate) {
        this.role = role;
        this.initiator = initiator;
        this.candidate = candidate;
    }

    @Override
    public void yieldLeadership() {
        candidate.yieldLeadership();
    }

    @Override
    public void close() {
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
