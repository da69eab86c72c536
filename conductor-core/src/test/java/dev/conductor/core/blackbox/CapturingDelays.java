package dev.conductor.core.blackbox;

import dev.conductor.core.DelayScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every delay the engine asks for; runs it at once, or holds it until the test passes it. */
final class CapturingDelays implements DelayScheduler {

    final List<Duration> requested = new CopyOnWriteArrayList<>();
    final BlockingQueue<Runnable> waiting = new LinkedBlockingQueue<>();
    private final boolean immediate;
    volatile long now;

    CapturingDelays(boolean immediate) {
        this.immediate = immediate;
    }

    @Override
    public void schedule(Duration delay, Runnable action) {
        requested.add(delay);
        if (immediate) {
            Thread thread = new Thread(action, "capturing-delays");
            thread.setDaemon(true);
            thread.start();
        } else {
            waiting.add(action);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Runs the next delayed action, waiting for it up to 10 s. */
    boolean passNext() throws InterruptedException {
        Runnable action = waiting.poll(10, TimeUnit.SECONDS);
        if (action == null) {
            return false;
        }
        Thread thread = new Thread(action, "capturing-delays");
        thread.setDaemon(true);
        thread.start();
        return true;
    }
}
