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
        Instant now = Instant.now();
        switch (orders.markProcessed(orderId, now)) {
            case PROCESSED -> logger.info("Processed order " + orderId);
            // A redelivery of an order whose processing committed before its acknowledgement did: nothing to do
            case ALREADY_PROCESSED -> logger.info("Order " + orderId
                    + " was already processed; acknowledging the redelivery");
            case NO_SUCH_ORDER -> {
                // Not a redelivery: an order that was accepted and then lost, or a message whose insert was undone.
                // Kept (in the same database, before the acknowledgement), never passed over in silence
                orders.keepOrphan(orderId, now);
                logger.error("Order " + orderId + " does not exist: its message is kept in table orphan_messages."
                        + " An order answered 202 may have been lost; look into it before removing the row.");
            }
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
