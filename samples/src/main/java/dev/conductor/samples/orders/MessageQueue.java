package dev.conductor.samples.orders;

import dev.conductor.core.Component;

/**
 * The queue of submitted orders, from {@link WebApi} to {@link BackgroundWorkers}. The real one is
 * {@link ArtemisMessageQueue}; tests patch in an in-memory implementation.
 *
 * <p>Delivery is at least once: a message is removed only when its handler returned normally, so a crash or a
 * stop never loses one but may deliver one again. Consumers must be idempotent.
 */
public interface MessageQueue extends Component {

    /**
     * Enqueues the id of an order; when this returns, the message survives a restart (for a persistent queue).
     *
     * @throws IllegalStateException when the queue is not set up or the message could not be stored
     */
    void send(String orderId);

    /** Opens a receiver for one consumer thread; close it before the queue shuts down. */
    QueueReceiver openReceiver();
}
