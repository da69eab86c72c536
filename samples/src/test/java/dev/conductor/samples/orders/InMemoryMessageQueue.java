package dev.conductor.samples.orders;

import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link MessageQueue} in memory, for tests: the same at-least-once contract as the broker (a message whose
 * handler throws goes back to the head of the queue), without persistence.
 */
class InMemoryMessageQueue implements MessageQueue {

    private final BlockingDeque<String> messages = new LinkedBlockingDeque<>();

    private final AtomicInteger sent = new AtomicInteger();

    private volatile boolean active;

    @Override
    public void setup() {
        active = true;
    }

    @Override
    public void shutdown() {
        active = false;
    }

    @Override
    public void send(String orderId) {
        if (!active) {
            throw new IllegalStateException("The in-memory queue is not set up");
        }
        messages.add(orderId);
        sent.incrementAndGet();
    }

    @Override
    public QueueReceiver openReceiver() {
        return new QueueReceiver() {

            @Override
            public boolean receive(Duration timeout, Consumer<String> handler) {
                String message;
                try {
                    message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (message == null) {
                    return false;
                }
                try {
                    handler.accept(message);
                }
                catch (RuntimeException | Error ex) {
                    messages.addFirst(message);
                    throw ex;
                }
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** How many messages were sent through this queue. */
    int sent() {
        return sent.get();
    }

    boolean isActive() {
        return active;
    }
}
