package dev.conductor.spring;

import dev.conductor.core.LifecycleEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Published for every transition of a {@link ConductorComponent}: setup and shutdown started, finished and
 * failed, and a failed setup attempt that will be retried ({@link LifecycleEvent.Kind#SETUP_RETRYING}, with
 * {@link LifecycleEvent#attempt()} and {@link LifecycleEvent#retryDelay()}); each attempt starts with its own
 * {@code SETUP_STARTED}. Listen with {@code @EventListener}; listeners run on the thread that ran the transition, so keep them
 * quick.
 */
public class ComponentLifecycleEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient LifecycleEvent event;

    public ComponentLifecycleEvent(Object source, LifecycleEvent event) {
        super(source);
        this.event = event;
    }

    /** The transition, with the component's name, its duration, any failure and the attempt it is about. */
    public LifecycleEvent getEvent() {
        return event;
    }

    /** The bean name of the component. */
    public String getComponent() {
        return event.component();
    }

    /** What happened. */
    public LifecycleEvent.Kind getKind() {
        return event.kind();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + event + "]";
    }
}
