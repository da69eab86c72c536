package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.ConductorLeadership;
import org.springframework.beans.factory.ObjectProvider;

/** The leaderships of the lifecycle's engine, looked up at each call: components get one before the engine exists. */
final class LifecycleLeadership implements ConductorLeadership {

    private final ObjectProvider<ConductorLifecycle> lifecycle;

    LifecycleLeadership(ObjectProvider<ConductorLifecycle> lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public Leadership of(String role) {
        return new RoleView(role);
    }

    /** One role, read from the engine once there is one. */
    private final class RoleView implements Leadership {

        private final String role;

        RoleView(String role) {
            this.role = role;
        }

        private Leadership current() {
            ConductorLifecycle current = lifecycle.getIfAvailable();
            LifecycleEngine engine = current == null ? null : current.getEngine();
            return engine == null ? null : engine.leadership(role);
        }

        @Override
        public String role() {
            return role;
        }

        @Override
        public boolean isLeader() {
            Leadership current = current();
            return current != null && current.isLeader();
        }

        @Override
        public long fencingToken() {
            Leadership current = current();
            if (current == null) {
                throw new IllegalStateException("Role '" + role + "' was never granted to this replica: the"
                        + " components have not been set up yet");
            }
            return current.fencingToken();
        }

        @Override
        public Status status() {
            Leadership current = current();
            return current != null ? current.status() : new Status(role, State.FOLLOWER, 0, null, 0, 0, 0, null);
        }

        @Override
        public String toString() {
            Leadership current = current();
            return current != null ? current.toString() : "Leadership[" + role + ": not set up]";
        }
    }
}
