package dev.conductor.spring;

import dev.conductor.core.Leadership;

/**
 * This replica's leadership of each role of the {@link dev.conductor.core.LeaderOnly} components, for a component
 * to read its fencing token from. Inject it (it is lazy: it does not make a component depend on Conductor's
 * lifecycle) and look the role up.
 *
 * <pre>{@code
 * @ConductorComponent
 * @LeaderOnly("outbox")
 * class OutboxRelay implements Component {
 *     private final Leadership leadership;
 *
 *     OutboxRelay(ConductorLeadership leaderships, JdbcClient jdbc) {
 *         this.leadership = leaderships.of("outbox");
 *         ...
 *     }
 *
 *     void relay(long id) {
 *         jdbc.sql("UPDATE outbox SET sent = true, token = :token WHERE id = :id AND token <= :token")
 *                 .param("token", leadership.fencingToken()).param("id", id).update();
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ConductorLeadership {

    /**
     * The role's leadership on this replica, live. Before the components are first set up it reads as a follower
     * that was never granted the role.
     *
     * @throws IllegalArgumentException when read after the components were set up, for a role no component has
     */
    Leadership of(String role);
}
