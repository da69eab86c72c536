package dev.conductor.spring.leader;

import dev.conductor.core.LeaderElection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;

/**
 * Spring Integration's side of one role: draws the fencing token while the initiator holds the lock, then tells
 * Conductor. A token that cannot be drawn fails the grant, which makes the initiator release the lock.
 */
final class RoleCandidate implements Candidate {

    private static final Log logger = LogFactory.getLog(LockRegistryLeaderElection.class);

    private final String role;

    private final String id;

    private final FencingTokens tokens;

    private final LeaderElection.Candidate candidate;

    private volatile @Nullable Context context;

    /** Counted down once the lock is released after a grant, so that leaving can wait for it. */
    private volatile CountDownLatch released = new CountDownLatch(0);

    RoleCandidate(String role, String id, FencingTokens tokens, LeaderElection.Candidate candidate) {
        this.role = role;
        this.id = id;
        this.tokens = tokens;
        this.candidate = candidate;
    }

    @Override
    public String getRole() {
        return role;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void onGranted(Context context) throws InterruptedException {
        long token;
        try {
            token = tokens.next(role);
        }
        catch (InterruptedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            logger.error("Conductor: no fencing token for role '" + role + "' from " + tokens + "; releasing the"
                    + " lock", ex);
            throw new IllegalStateException("No fencing token for role '" + role + "'", ex);
        }
        this.context = context;
        released = new CountDownLatch(1);
        candidate.granted(token);
    }

    @Override
    public void onRevoked(Context context) {
        this.context = null;
        candidate.revoked();
        released.countDown();
    }

    void yieldLeadership() {
        Context current = context;
        if (current != null) {
            current.yield();
        }
    }

    /** Waits, for at most {@code millis}, until the lock taken by the latest grant is released. */
    boolean awaitReleased(long millis) throws InterruptedException {
        return released.await(millis, TimeUnit.MILLISECONDS);
    }
}
