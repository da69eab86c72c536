package dev.conductor.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component that runs on one replica at a time: it is set up only while this replica holds the
 * leadership of {@link #value() the role}, and shut down (after its dependents) when the leadership is lost or
 * given up, while every other component keeps running. A scheduler, a consumer of a queue that is not
 * partitioned, an outbox relay.
 *
 * <pre>{@code
 * @LeaderOnly("outbox")
 * class OutboxRelay implements Component {
 *     private final Database database;
 *     private final Leadership leadership;   // the role's: put leadership.fencingToken() in every write
 *
 *     OutboxRelay(Database database, Leadership leadership) { ... }
 * }
 * }</pre>
 *
 * <p>A leader-only component may depend on ordinary components. A component that depends on a leader-only one
 * must be leader-only for the same role itself, or the graph is refused before anything is set up: it would
 * run on every replica while its dependency runs on one. The {@link LeaderElection} given to
 * {@link Conductor.Builder#leaderElection(LeaderElection)} decides who leads. With the {@link LifecycleEngine},
 * mark components with {@link LifecycleEngine.Builder#leaderOnly(String, String)} instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LeaderOnly {

    /** The role: a name shared by the replicas that compete for it, such as {@code "outbox"}. */
    String value();
}
