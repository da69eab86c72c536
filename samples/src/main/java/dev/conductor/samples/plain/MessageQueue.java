package dev.conductor.samples.plain;

import dev.conductor.core.Component;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-process queue of order ids; {@link #shutdown()} reports what was left on it. */
class MessageQueue implements Component {

    private final BlockingQueue<Long> orders = new LinkedBlockingQueue<>();

    @Override
    public void shutdown() {
        System.out.println("  queue shut down with " + orders.size() + " order(s) left");
    }

    void send(long orderId) {
        orders.add(orderId);
    }

    Long poll(long millis) throws InterruptedException {
        return orders.poll(millis, TimeUnit.MILLISECONDS);
    }
}
