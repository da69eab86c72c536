package dev.conductor.core;

import java.util.Objects;

/**
 * A change of this replica's leadership of a role; see {@link LifecycleListener#onLeadership(LeadershipEvent)}.
 *
 * @param role the role
 * @param kind what happened
 * @param fencingToken the token of the grant this is about; 0 when the role was never granted
 * @param failure why, for a {@link Kind#YIELDED} after a failed setup or a refused grant; otherwise {@code null}
 */
public record LeadershipEvent(String role, Kind kind, long fencingToken, Throwable failure) {

    /** What happened to the role. */
    public enum Kind {
        /** The election granted the role: its components are set up next. */
        GRANTED,
        /** The role's components are set up: this replica leads. */
        ACTIVE,
        /** The election took the role back: its components are shut down next. */
        REVOKED,
        /**
         * This replica gave the role up: on shutdown (after its components were shut down), on request, or
         * because its components could not be set up (with the failure).
         */
        YIELDED,
        /** The role's components are shut down: this replica follows. */
        STOPPED
    }

    public LeadershipEvent {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String toString() {
        return "role '" + role + "' " + kind + (fencingToken == 0 ? "" : " (token " + fencingToken + ")")
                + (failure == null ? "" : ": " + failure);
    }
}
