package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.LeadershipChangedEvent;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every transition to the context as a {@link ComponentLifecycleEvent}, and every change of a role's
 * leadership as a {@link LeadershipChangedEvent}. The transitions of the
 * components set up early, while the context is still creating beans, are held back and published, in order, when
 * {@link ConductorLifecycle#start()} begins: the context's listeners (beans themselves, created on first use) are
 * then all there, and none is created on a setup's thread while the context creates others.
 */
final class ContextEvents implements LifecycleListener {

    private final BeanFactory source;

    private final ApplicationEventPublisher publisher;

    /** The events held back; {@code null} once released. Guarded by this. */
    private List<ComponentLifecycleEvent> held = new ArrayList<>();

    ContextEvents(BeanFactory source, ApplicationEventPublisher publisher) {
        this.source = source;
        this.publisher = publisher;
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        ComponentLifecycleEvent published = new ComponentLifecycleEvent(source, event);
        synchronized (this) {
            if (held != null) {
                held.add(published);
                return;
            }
        }
        publisher.publishEvent(published);
    }

    /** Leadership changes come after the components' setup, when nothing is held back: published at once. */
    @Override
    public void onLeadership(LeadershipEvent event) {
        publisher.publishEvent(new LeadershipChangedEvent(source, event));
    }

    /** Publishes what was held back, in order, and from now on every event at once. */
    synchronized void release() {
        List<ComponentLifecycleEvent> pending = held;
        held = null;
        if (pending != null) {
            pending.forEach(publisher::publishEvent);
        }
    }
}
