package dev.conductor.samples.orders;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link QueueReceiver} on a transacted JMS session: the handler runs inside the transaction, which commits
 * (acknowledges) when it returns and rolls back (redelivers) when it throws or when the receiver closes first.
 */
final class ArtemisReceiver implements QueueReceiver {

    private final Session session;

    private final MessageConsumer consumer;

    ArtemisReceiver(Connection connection, String queue) throws JMSException {
        this.session = connection.createSession(true, Session.SESSION_TRANSACTED);
        try {
            this.consumer = session.createConsumer(session.createQueue(queue));
        }
        catch (JMSException ex) {
            session.close();
            throw ex;
        }
    }

    @Override
    public boolean receive(Duration timeout, Consumer<String> handler) {
        try {
            Message message = consumer.receive(Math.max(1, timeout.toMillis()));
            if (message == null) {
                return false;
            }
            try {
                handler.accept(((TextMessage) message).getText());
            }
            catch (RuntimeException | Error ex) {
                session.rollback();
                throw ex;
            }
            session.commit();
            return true;
        }
        catch (JMSException ex) {
            throw new IllegalStateException("Receiving from the queue failed", ex);
        }
    }

    @Override
    public void close() {
        try {
            // Closing a transacted session rolls back what it had not committed
            session.close();
        }
        catch (JMSException ex) {
            throw new IllegalStateException("Closing the receiver failed", ex);
        }
    }
}
