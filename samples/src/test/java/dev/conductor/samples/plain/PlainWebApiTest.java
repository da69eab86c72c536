package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Conductor;
import dev.conductor.core.Faults;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.RetryPolicy;
import dev.conductor.test.ConductorTest;
import dev.conductor.test.ConfigureConductor;
import dev.conductor.test.Patch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The seed's {@code conductor.patch(MessageQueue, MessageQueueMock)} as annotations: the web API receives a queue
 * that only records, and every test gets new components ({@code PER_METHOD}), so each starts from an empty
 * database and an empty queue. The conductor is configured by the test: a database whose first setup fails (a
 * fault injected) is retried, and a listener records what happened.
 */
@ConductorTest(components = WebApi.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD, setupTimeout = "10s")
@Patch(type = MessageQueue.class, with = PlainWebApiTest.MessageQueueMock.class)
@Patch(type = WebApi.class, with = PlainOrderFlowTest.AnyPortWebApi.class)
class PlainWebApiTest {

    private static final List<LifecycleEvent> EVENTS = new CopyOnWriteArrayList<>();

    MessageQueueMock queue;

    Database database;

    @ConfigureConductor
    static void conductor(Conductor.Builder builder) {
        EVENTS.clear();   // called before each test's components are created
        builder.faults(new Faults().failNextSetups(Database.class, 1))
                .setupRetry(RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(10)).build())
                .listener(EVENTS::add);
    }

    @Test
    void aDatabaseThatFailsItsFirstSetupIsRetried() throws Exception {
        assertThat(EVENTS).filteredOn(event -> event.component().equals("Database"))
                .extracting(LifecycleEvent::kind)
                .containsSubsequence(LifecycleEvent.Kind.SETUP_RETRYING, LifecycleEvent.Kind.SETUP_FINISHED);
        assertThat(database.status(1)).isNull();   // active: it answers, and knows no order yet
    }

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
