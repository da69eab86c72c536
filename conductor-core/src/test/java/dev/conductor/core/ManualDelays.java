package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Delays between setup attempts that pass only when the test says so: no test waits for real time. */
final class ManualDelays implements Retries.Delays {

    private final LinkedBlockingQueue<Runnable> pending = new LinkedBlockingQueue<>();

    final List<Duration> requested = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void schedule(Duration delay, Runnable action) {
        requested.add(delay);
        pending.add(action);
    }

    /** Waits for the next delay to be requested, then lets it pass (on a thread of its own, as a timer would). */
    void passNext() throws InterruptedException {
        Runnable next = pending.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("No delay was requested; requested so far: " + requested);
        }
        Thread thread = new Thread(next, "manual-delay");
        thread.start();
    }

    /** Waits until a delay is requested, without letting it pass. */
    void awaitRequest(int count) {
        org.awaitility.Awaitility.await().until(() -> requested.size() >= count);
    }

    List<Runnable> drain() {
        List<Runnable> all = new ArrayList<>();
        pending.drainTo(all);
        return all;
    }
}
