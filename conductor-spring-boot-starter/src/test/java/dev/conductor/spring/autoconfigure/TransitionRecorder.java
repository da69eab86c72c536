package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A listener bean that records transitions as {@code "setup-finished database"}, in order. */
class TransitionRecorder implements LifecycleListener {

    private final ConcurrentLinkedQueue<String> transitions = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(LifecycleEvent event) {
        record(event.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + event.component());
    }

    void record(String transition) {
        transitions.add(transition);
    }

    List<String> transitions() {
        return new ArrayList<>(transitions);
    }

    int indexOf(String transition) {
        List<String> all = transitions();
        int index = all.indexOf(transition);
        if (index < 0) {
            throw new AssertionError("No '" + transition + "' in " + all);
        }
        return index;
    }

    boolean before(String first, String second) {
        return indexOf(first) < indexOf(second);
    }
}
