package dev.conductor.samples.orders;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;

/**
 * The order API behind {@link OrderController}: stores a submitted order, then queues it for the workers.
 * {@link #setup()} opens the intake; {@link #shutdown()} closes it, so new requests get 503, and waits for the
 * requests in flight to finish.
 */
@ConductorComponent
class WebApi implements Component {

    static final String CLOSED_FOR_ORDERS =
            "Order intake is closed: the service is shutting down and accepts no new orders. Retry later.";

    static final String CLOSED_FOR_READS = "The order service is shutting down. Retry later.";

    static final String PARTS_UNAVAILABLE =
            "The order service cannot reach its database or its queue right now. Retry later.";

    private static final Log logger = LogFactory.getLog(WebApi.class);

    private final OrderRepository orders;

    private final MessageQueue queue;

    private final Duration drainTimeout;

    private final Intake intake = new Intake();

    WebApi(Database database, MessageQueue queue, OrdersProperties properties) {
        this.orders = new OrderRepository(database);
        this.queue = queue;
        this.drainTimeout = properties.drainTimeout();
    }

    @Override
    public void setup() {
        intake.open();
        logger.info("Order intake open");
    }

    @Override
    public void shutdown() throws InterruptedException {
        if (intake.closeAndDrain(drainTimeout)) {
            logger.info("Order intake closed, no request in flight");
        }
        else {
            logger.warn("Order intake closed; requests still in flight after " + drainTimeout);
        }
    }

    boolean isAcceptingOrders() {
        return intake.isOpen();
    }

    /** Stores the order as submitted, then queues it; a queue failure undoes the insert, so no order is stranded. */
    Order submit(String item, int quantity) {
        return admitted(CLOSED_FOR_ORDERS, () -> {
            // The database keeps microseconds: answer with what a later read returns
            Order order = new Order(UUID.randomUUID().toString(), item, quantity, OrderStatus.SUBMITTED, 0,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), null);
            // Insert first: a worker may take the message the moment it is sent, and must find the row
            orders.insert(order);
            try {
                queue.send(order.id());
            }
            catch (RuntimeException ex) {
                orders.delete(order.id());
                throw ex;
            }
            return order;
        });
    }

    Optional<Order> find(String id) {
        return admitted(CLOSED_FOR_READS, () -> orders.find(id));
    }

    List<Order> recent(int limit) {
        return admitted(CLOSED_FOR_READS, () -> orders.recent(limit));
    }

    /**
     * Runs a request admitted by the intake. The intake closes before the database or the queue does, so they are
     * there for every admitted request; should one fail under it all the same (the broker lost), the request is
     * refused as unavailable, never answered as a server error.
     */
    private <T> T admitted(String refusal, Supplier<T> request) {
        intake.enter(refusal);
        try {
            return request.get();
        }
        catch (DataAccessException | IllegalStateException ex) {
            throw new ServiceUnavailableException(PARTS_UNAVAILABLE, ex);
        }
        finally {
            intake.leave();
        }
    }
}
