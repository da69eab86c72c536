package dev.conductor.core;

import java.time.Instant;

/**
 * The live {@link Leadership} of one role on this replica: written by the engine's {@link LeaderRoles} (one
 * writer at a time, under the role's lock, which alone decides the state), read by anyone. The facade keeps one
 * per role across the engines it builds, so that a component given it before the engine existed reads the engine's.
 */
final class RoleLeadership implements Leadership {

    private final String role;

    private volatile Status status;

    RoleLeadership(String role) {
        this.role = role;
        this.status = new Status(role, State.FOLLOWER, 0, null, 0, 0, 0, null);
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public boolean isLeader() {
        State state = status.state();
        return state == State.STARTING || state == State.LEADER;
    }

    @Override
    public long fencingToken() {
        long token = status.fencingToken();
        if (token == 0 && status.grants() == 0) {
            throw new IllegalStateException("Role '" + role + "' was never granted to this replica, so it has no"
                    + " fencing token: read it from a component that is @LeaderOnly(\"" + role + "\"), which runs"
                    + " only while the role is held.");
        }
        return token;
    }

    @Override
    public Status status() {
        return status;
    }

    /** The role's election was joined: a follower from now, unless a grant came first. */
    void joined() {
        Status now = status;
        if (now.since() == null) {
            status = new Status(role, now.state(), now.fencingToken(), Instant.now(), now.grants(), now.revocations(),
                    now.yields(), now.lastFailure());
        }
    }

    void granted(long token, State state) {
        Status now = status;
        status = new Status(role, state, token, Instant.now(), now.grants() + 1, now.revocations(),
                now.yields(), now.lastFailure());
    }

    void state(State state) {
        Status now = status;
        if (now.state() != state) {
            status = new Status(role, state, now.fencingToken(), Instant.now(), now.grants(), now.revocations(),
                    now.yields(), now.lastFailure());
        }
    }

    void lost(boolean yielded, Throwable failure, State state) {
        Status now = status;
        status = new Status(role, state, now.fencingToken(), Instant.now(), now.grants(),
                now.revocations() + (yielded ? 0 : 1), now.yields() + (yielded ? 1 : 0),
                failure != null ? failure : now.lastFailure());
    }

    void failed(Throwable failure) {
        Status now = status;
        status = new Status(role, now.state(), now.fencingToken(), now.since(), now.grants(), now.revocations(),
                now.yields(), failure);
    }

    @Override
    public String toString() {
        Status now = status;
        return "Leadership[" + role + ": " + now.state() + (now.grants() == 0 ? "" : ", token " + now.fencingToken())
                + "]";
    }
}
