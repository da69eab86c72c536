package dev.conductor.core;

/**
 * How a replica takes part in the election of a role's leader: the service provider interface for an existing
 * coordination engine (Apache Curator, Spring Integration's leader initiators, a database lock). Conductor joins
 * each role once its ordinary components are set up, sets the role's {@link LeaderOnly} components up when the
 * leadership is granted, shuts them down when it is revoked, and leaves the election on shutdown, after the role's
 * components are down, so that another replica takes over at once instead of waiting for a lease to expire.
 *
 * <p>An implementation calls its {@link Candidate} from any thread, at any time; the calls return at once (the
 * setup and shutdown of the role's components run on Conductor's own threads), so they never hold up a
 * heartbeat or a lock renewal.
 *
 * <pre>{@code
 * Conductor conductor = Conductor.builder()
 *         .leaderElection(new CuratorLeaderElection(curatorFramework, "/orders/leaders"))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface LeaderElection {

    /**
     * Starts competing for {@code role} on behalf of {@code candidate}. Returns at once; the grant, if any,
     * comes later (or from inside this call).
     *
     * @throws Exception when the replica cannot take part at all (a misconfigured backend): the setup fails
     */
    Participation join(String role, Candidate candidate) throws Exception;

    /**
     * Told of the leadership of one role. Calls may come from any thread; each returns at once.
     */
    interface Candidate {

        /**
         * This replica now leads the role. {@code fencingToken} must be greater than the token of every earlier
         * grant of the role, to any replica, so that a resource that remembers the highest token it saw can reject
         * the writes of a leader that no longer is one. A grant that repeats the token of the leadership this
         * replica holds now is ignored (an election may deliver a grant twice); any other grant whose token is not
         * greater than this replica's last one is refused, and the leadership given up.
         */
        void granted(long fencingToken);

        /** This replica no longer leads the role (lost, expired, disconnected). */
        void revoked();
    }

    /** This replica's part in the election of one role. */
    interface Participation extends AutoCloseable {

        /**
         * Gives the leadership up, if held, and stays a candidate: another replica (or this one, later) takes it.
         * Called after the role's components were shut down, or when they could not be set up.
         */
        void yieldLeadership();

        /** Leaves the election, giving the leadership up at once if held. Called on shutdown. */
        @Override
        void close();
    }

    /**
     * An election with one candidate, this replica, which is granted every role at once on joining: for a single
     * instance, a test, or a sample. The tokens grow from 1 with every grant; a yield grants the role again.
     */
    static LeaderElection standalone() {
        return new StandaloneElection();
    }
}
