package dev.conductor.samples.plain;

import dev.conductor.core.Component;

/**
 * A consumer thread from the queue into the database. Dependencies come by field, as the seed declares them:
 * Conductor fills both before {@link #setup()}.
 */
class BackgroundWorkers implements Component {

    Database db;

    MessageQueue queue;

    private volatile boolean running;

    private Thread worker;

    @Override
    public void setup() {
        running = true;
        worker = new Thread(this::consume, "plain-worker");
        worker.start();
    }

    @Override
    public void shutdown() throws InterruptedException {
        // Finish the order in hand; the loop sees the flag within one poll
        running = false;
        worker.join();
    }

    private void consume() {
        while (running) {
            try {
                Long id = queue.poll(100);
                if (id != null) {
                    db.markProcessed(id);
                }
            }
            catch (Exception ex) {
                System.err.println("  worker: " + ex);
            }
        }
    }
}
