package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.LeadershipChangedEvent;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes the transitions as {@link ComponentLifecycleEvent}s and leadership changes as {@link LeadershipChangedEvent}s. */
final class EventPublishingListener implements LifecycleListener {

    private final Object source;

    private final ApplicationEventPublisher publisher;

    EventPublishingListener(Object source, ApplicationEventPublisher publisher) {
        this.source = source;
        this.publisher = publisher;
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        publisher.publishEvent(new ComponentLifecycleEvent(source, event));
    }

    @Override
    public void onLeadership(LeadershipEvent event) {
        publisher.publishEvent(new LeadershipChangedEvent(source, event));
    }
}
