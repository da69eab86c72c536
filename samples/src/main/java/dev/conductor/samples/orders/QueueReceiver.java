package dev.conductor.samples.orders;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * One consumer of a {@link MessageQueue}, used by a single thread. Each message is handed to a handler inside a
 * unit of work: it is acknowledged when the handler returns and goes back on the queue when the handler throws.
 */
public interface QueueReceiver extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the next message and hands its order id to {@code handler}.
     *
     * @return {@code false} when no message arrived in time
     * @throws RuntimeException what the handler threw, after the message went back on the queue
     */
    boolean receive(Duration timeout, Consumer<String> handler);

    /** Stops consuming; a message received but not yet acknowledged goes back on the queue. */
    @Override
    void close();
}
