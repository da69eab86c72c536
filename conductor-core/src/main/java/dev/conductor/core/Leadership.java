package dev.conductor.core;

import java.time.Instant;

/**
 * This replica's leadership of one role, live: whether it leads, since when, and the fencing token of its latest
 * grant. A {@link LeaderOnly} component takes it as a constructor parameter or field (with the {@link Conductor}
 * facade it is given its own role's), or looks it up with {@link Conductor#leadership(String)}, and puts
 * {@link #fencingToken()} in every write to a shared resource, which rejects a token lower than the highest it
 * has seen: so a replica that was paused or cut off past its lease, and still believes it leads, cannot
 * overwrite the work of the replica that leads now.
 *
 * <pre>{@code
 * jdbc.update("UPDATE outbox SET sent = true, token = ? WHERE id = ? AND token <= ?",
 *         leadership.fencingToken(), id, leadership.fencingToken());
 * }</pre>
 *
 * <p>Safe to read from any thread.
 */
public interface Leadership {

    /** Where this replica is in the role's leadership. The order follows the transitions of one term. */
    enum State {
        /** Not the leader: the role's components are down. A follower is healthy and ready. */
        FOLLOWER,
        /** Granted: the role's components are being set up (after those of an earlier grant are shut down). */
        STARTING,
        /** The leader: the role's components are set up. */
        LEADER,
        /**
         * Revoked or given up (on request, because the components could not be set up, or by the shutdown of the
         * whole graph): the role's components are being shut down. {@code FOLLOWER} follows once they all are.
         */
        STOPPING
    }

    /** The role's name. */
    String role();

    /** Whether this replica holds the role: granted, and neither revoked nor given up since. */
    boolean isLeader();

    /**
     * The fencing token of this replica's latest grant of the role: greater than that of every earlier grant to
     * any replica, as far as the election guarantees it (see its documentation).
     *
     * @throws IllegalStateException when the role was never granted to this replica
     */
    long fencingToken();

    /** A snapshot of the role's leadership on this replica. */
    Status status();

    /**
     * The role's leadership on this replica at one moment.
     *
     * @param role the role
     * @param state where this replica is
     * @param fencingToken the token of the latest grant; 0 when never granted
     * @param since when the current state began; {@code null} before the role was first joined
     * @param grants how often the role was granted to this replica
     * @param revocations how often the election took it back
     * @param yields how often this replica gave it up (on shutdown, on request, or because its components could
     *        not be set up)
     * @param lastFailure why the role's components last failed to set up, or the election failed; {@code null}
     *        if never
     */
    record Status(String role, State state, long fencingToken, Instant since, long grants, long revocations,
            long yields, Throwable lastFailure) {

        /** How often this replica handed the role over: revocations plus yields. */
        public long handOvers() {
            return revocations + yields;
        }
    }
}
