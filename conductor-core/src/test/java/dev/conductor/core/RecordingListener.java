package dev.conductor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Records every transition as text such as {@code "setup-started A"}, in the order they happened. */
final class RecordingListener implements LifecycleListener {

    private final ConcurrentLinkedQueue<LifecycleEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(LifecycleEvent event) {
        events.add(event);
    }

    List<LifecycleEvent> events() {
        return new ArrayList<>(events);
    }

    List<String> transitions() {
        List<String> transitions = new ArrayList<>();
        for (LifecycleEvent event : events) {
            transitions.add(event.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " "
                    + event.component());
        }
        return transitions;
    }

    int indexOf(String transition) {
        int index = transitions().indexOf(transition);
        if (index < 0) {
            throw new AssertionError("No '" + transition + "' in " + transitions());
        }
        return index;
    }

    boolean before(String first, String second) {
        return indexOf(first) < indexOf(second);
    }
}
