package dev.conductor.spring.leader;

import dev.conductor.core.LeaderElection;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A {@link LeaderElection} on Spring Integration's {@link LockRegistryLeaderInitiator}: one initiator per role, on
 * the application's {@link LockRegistry} (JDBC, Redis, ZooKeeper, Hazelcast), the role's name as the lock's key.
 * The initiators publish Spring Integration's {@code OnGrantedEvent} and {@code OnRevokedEvent} as usual. A yield
 * stops the role's initiator, which releases the lock at once, and starts it again two heartbeats later (Spring
 * Integration's {@code Context.yield()} competes again at once and usually wins the lock back); leaving stops it
 * for good. Each grant's
 * fencing token comes from {@link FencingTokens}, drawn while the lock is held, before the grant is passed on.
 *
 * <p>The Spring Boot starter configures one when the application has a {@code LockRegistry} bean and Spring
 * Integration; define a {@code LeaderElection} bean of your own to use another.
 *
 * <p>As Spring Integration's own Javadoc says of its lock registries, there is never more than one leader, but
 * there may occasionally be no leader — and that holds only while no process pauses past the lock's time to live:
 * a paused leader wakes up believing it still leads until its next heartbeat fails. The fencing token is what keeps
 * its writes out meanwhile.
 */
public final class LockRegistryLeaderElection implements LeaderElection {

    private final LockRegistry<?> locks;

    private final FencingTokens tokens;

    private final @Nullable ApplicationEventPublisher publisher;

    private final Duration heartbeat;

    private final Duration busyWait;

    private final String id = UUID.randomUUID().toString();

    /**
     * An election on {@code locks}, with Spring Integration's default heartbeat (500 ms) and busy wait (50 ms).
     */
    public LockRegistryLeaderElection(LockRegistry<?> locks, FencingTokens tokens) {
        this(locks, tokens, null, Duration.ofMillis(LockRegistryLeaderInitiator.DEFAULT_HEART_BEAT_TIME),
                Duration.ofMillis(LockRegistryLeaderInitiator.DEFAULT_BUSY_WAIT_TIME));
    }

    /**
     * An election on {@code locks}.
     *
     * @param publisher publishes Spring Integration's leader events; {@code null} for none
     * @param heartbeat how long a leader waits between checks that it still holds the lock (and how long a
     *        candidate tries for it at a time)
     * @param busyWait how long a candidate waits after failing to take the lock, or after losing it
     */
    public LockRegistryLeaderElection(LockRegistry<?> locks, FencingTokens tokens,
            @Nullable ApplicationEventPublisher publisher, Duration heartbeat, Duration busyWait) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.publisher = publisher;
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.busyWait = Objects.requireNonNull(busyWait, "busyWait");
    }

    @Override
    public Participation join(String role, Candidate candidate) {
        RoleCandidate adapter = new RoleCandidate(role, id, tokens, candidate);
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks, adapter);
        initiator.setHeartBeatMillis(heartbeat.toMillis());
        initiator.setBusyWaitMillis(busyWait.toMillis());
        if (publisher != null) {
            initiator.setApplicationEventPublisher(publisher);
        }
        initiator.start();
        // out of the election long enough for another replica's next attempt at the lock
        return new InitiatorParticipation(role, initiator, adapter, heartbeat.multipliedBy(2).plus(busyWait));
    }

    @Override
    public String toString() {
        return "Spring Integration leader election on " + locks;
    }
}
