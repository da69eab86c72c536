package dev.conductor.samples.orders;

import java.time.Duration;
import java.time.Instant;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Processes one order taken off the queue: the (simulated) work, then the idempotent status update. */
final class OrderProcessor {

    private static final Log logger = LogFactory.getLog(OrderProcessor.class);

    private final OrderRepository orders;

    private final Duration workTime;

    OrderProcessor(OrderRepository orders, Duration workTime) {
        this.orders = orders;
        this.workTime = workTime;
    }

    void process(String orderId) {
        work();
        if (orders.markProcessed(orderId, Instant.now())) {
            logger.info("Processed order " + orderId);
        }
        else {
            // A redelivery of an order whose processing committed before its acknowledgement did: nothing to do
            logger.info("Order " + orderId + " was already processed; acknowledging the redelivery");
        }
    }

    private void work() {
        try {
            Thread.sleep(workTime.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            // Throwing rolls the message back onto the queue
            throw new IllegalStateException("Interrupted while processing", ex);
        }
    }
}
