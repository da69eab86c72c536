package dev.conductor.spring;

import dev.conductor.core.LeadershipEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Published for every change of this replica's leadership of a role of the {@link dev.conductor.core.LeaderOnly}
 * components: granted, active (the role's components are set up), revoked, yielded, stopped (they are shut down).
 * Listen with {@code @EventListener}; listeners run on the thread that made the change, so keep them quick. The
 * election's own events (Spring Integration's {@code OnGrantedEvent}, {@code OnRevokedEvent}) are published too.
 */
public class LeadershipChangedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient LeadershipEvent event;

    public LeadershipChangedEvent(Object source, LeadershipEvent event) {
        super(source);
        this.event = event;
    }

    /** The change, with the role, its kind, the fencing token of the grant it is about, and any failure. */
    public LeadershipEvent getEvent() {
        return event;
    }

    /** The role. */
    public String getRole() {
        return event.role();
    }

    /** What happened. */
    public LeadershipEvent.Kind getKind() {
        return event.kind();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + event + "]";
    }
}
