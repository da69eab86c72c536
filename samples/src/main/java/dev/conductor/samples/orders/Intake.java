package dev.conductor.samples.orders;

import java.time.Duration;

/**
 * The gate in front of the API: counts the requests in flight, refuses new ones once closed, and lets the closer
 * wait until the ones already admitted have finished.
 */
final class Intake {

    private boolean open;

    private int inFlight;

    synchronized void open() {
        open = true;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /**
     * Admits a request; call {@link #leave()} when it is done.
     *
     * @throws IntakeClosedException when the intake is closed
     */
    synchronized void enter(String refusal) {
        if (!open) {
            throw new IntakeClosedException(refusal);
        }
        inFlight++;
    }

    synchronized void leave() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Refuses new requests, then waits for the admitted ones.
     *
     * @return {@code false} when some were still in flight at the timeout
     */
    synchronized boolean closeAndDrain(Duration timeout) throws InterruptedException {
        open = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
