package dev.conductor.core.blackbox;

import dev.conductor.core.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A component that counts its calls and checks the promises every component relies on: never set up twice
 * without a shutdown in between, never shut down when not set up, never called while a call is still running.
 */
class Probe implements Component {

    interface Hook {
        void run(Probe probe, int call) throws Exception;
    }

    final String name;
    final AtomicInteger setups = new AtomicInteger();
    final AtomicInteger shutdowns = new AtomicInteger();
    final AtomicInteger successfulSetups = new AtomicInteger();
    final AtomicInteger callsInFlight = new AtomicInteger();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final CountDownLatch shutdownStarted = new CountDownLatch(1);
    volatile boolean setUp;
    volatile Hook onSetup = (p, n) -> { };
    volatile Hook onShutdown = (p, n) -> { };

    Probe(String name) {
        this.name = name;
    }

    @Override
    public void setup() throws Exception {
        int call = setups.incrementAndGet();
        if (callsInFlight.incrementAndGet() != 1) {
            violations.add(name + ": setup " + call + " called while another call runs");
        }
        try {
            if (setUp) {
                violations.add(name + ": setup " + call + " called while already set up");
            }
            onSetup.run(this, call);
            setUp = true;
            successfulSetups.incrementAndGet();
        } finally {
            callsInFlight.decrementAndGet();
        }
    }

    @Override
    public void shutdown() throws Exception {
        int call = shutdowns.incrementAndGet();
        shutdownStarted.countDown();
        if (callsInFlight.incrementAndGet() != 1) {
            violations.add(name + ": shutdown " + call + " called while another call runs");
        }
        try {
            if (!setUp) {
                violations.add(name + ": shutdown " + call + " called while not set up");
            }
            setUp = false;
            onShutdown.run(this, call);
        } finally {
            callsInFlight.decrementAndGet();
        }
    }

    /** Counted down when a call blocked in {@link #awaitDeaf(CountDownLatch)} was interrupted. */
    final CountDownLatch interruptedWhileDeaf = new CountDownLatch(1);

    /** Blocks until the latch opens, deaf to interrupts, and records the interrupt. */
    void awaitDeafRecording(CountDownLatch latch) {
        awaitDeaf(latch, interruptedWhileDeaf);
    }

    /** Blocks until the latch opens, deaf to interrupts (as a badly written close() would be). */
    static void awaitDeaf(CountDownLatch latch) {
        awaitDeaf(latch, new CountDownLatch(1));
    }

    private static void awaitDeaf(CountDownLatch latch, CountDownLatch onInterrupt) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                onInterrupt.countDown();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
