package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.Patch;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The seed's {@code conductor.patch(MessageQueue, MessageQueueMock)} as annotations: the web API receives a queue
 * that only records, and every test gets new components ({@code PER_METHOD}), so each starts from an empty
 * database and an empty queue.
 */
@ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
@Patch(type = MessageQueue.class, with = PlainWebApiTest.MessageQueueMock.class)
@Patch(type = WebApi.class, with = PlainOrderFlowTest.AnyPortWebApi.class)
class PlainWebApiTest {

    MessageQueueMock queue;

    Database database;

    @Test
    void aSubmittedOrderIsStoredAndQueued(WebApi api) throws Exception {
        long id = PlainOrderFlowTest.submit(api, "grinder");

        assertThat(queue.sent).containsExactly(id);
        assertThat(database.status(id)).isEqualTo("SUBMITTED");   // no workers here: nobody processes it
    }

    @Test
    void everyTestStartsFromAnEmptyQueue(WebApi api) throws Exception {
        assertThat(queue.sent).isEmpty();

        PlainOrderFlowTest.submit(api, "kettle");
        PlainOrderFlowTest.submit(api, "scale");

        assertThat(queue.sent).hasSize(2);
    }

    /** Records what the web API sends instead of queueing it. */
    static class MessageQueueMock extends MessageQueue {

        final List<Long> sent = new CopyOnWriteArrayList<>();

        @Override
        void send(long orderId) {
            sent.add(orderId);
        }
    }
}
