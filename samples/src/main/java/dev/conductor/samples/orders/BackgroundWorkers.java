package dev.conductor.samples.orders;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Consumer threads that take orders off the {@link MessageQueue} and process them into the {@link Database}.
 * {@link #setup()} starts them; {@link #shutdown()} stops them taking new messages and waits for the ones in hand
 * to finish. Each message is acknowledged only after its order is processed, and processing is idempotent, so no
 * order is lost or processed twice across a stop and a restart.
 */
@ConductorComponent
class BackgroundWorkers implements Component {

    /** How long a worker waits for a message before it looks at the stop flag again. */
    private static final Duration POLL = Duration.ofMillis(200);

    private static final Log logger = LogFactory.getLog(BackgroundWorkers.class);

    private final MessageQueue queue;

    private final OrderProcessor processor;

    private final int count;

    private final List<Thread> threads = new ArrayList<>();

    private final List<QueueReceiver> receivers = new ArrayList<>();

    private volatile boolean running;

    BackgroundWorkers(Database database, MessageQueue queue, OrdersProperties properties) {
        this.queue = queue;
        this.processor = new OrderProcessor(new OrderRepository(database), properties.processingTime());
        this.count = properties.workers();
    }

    @Override
    public synchronized void setup() {
        running = true;
        try {
            for (int i = 0; i < count; i++) {
                receivers.add(queue.openReceiver());
            }
        }
        catch (RuntimeException ex) {
            running = false;
            closeReceivers();
            throw ex;
        }
        for (int i = 0; i < count; i++) {
            QueueReceiver receiver = receivers.get(i);
            Thread thread = new Thread(() -> consume(receiver), "order-worker-" + (i + 1));
            threads.add(thread);
            thread.start();
        }
        logger.info(count + " order worker(s) consuming");
    }

    private void consume(QueueReceiver receiver) {
        while (running) {
            try {
                receiver.receive(POLL, processor::process);
            }
            catch (RuntimeException ex) {
                if (running) {
                    // The message went back on the queue; the broker redelivers it
                    logger.warn("Processing failed, the order will be retried", ex);
                }
            }
        }
    }

    @Override
    public synchronized void shutdown() throws InterruptedException {
        running = false;
        try {
            // Each worker finishes the message in hand, then sees the flag within one poll
            for (Thread thread : threads) {
                thread.join();
            }
        }
        catch (InterruptedException ex) {
            // Shutdown timed out: interrupt the work, whose message then goes back on the queue
            threads.forEach(Thread::interrupt);
            throw ex;
        }
        finally {
            threads.clear();
            closeReceivers();
        }
        logger.info("Order workers stopped");
    }

    private void closeReceivers() {
        for (QueueReceiver receiver : receivers) {
            try {
                receiver.close();
            }
            catch (RuntimeException ex) {
                logger.warn("Closing a receiver failed", ex);
            }
        }
        receivers.clear();
    }
}
