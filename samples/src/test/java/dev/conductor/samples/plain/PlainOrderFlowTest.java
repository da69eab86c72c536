package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.Patch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java order flow under conductor-test: every component is the real one, set up in dependency order and
 * shut down at the end of the run; only the web API is replaced, by one that binds any free port. The running
 * components are {@code SHARED} with {@link PlainOrderStatusTest}, which declares the same. The nested class
 * declares a patch of its own, so its tests get a graph of their own, with a queue that only records.
 */
@ConductorTest(components = { WebApi.class, BackgroundWorkers.class }, lifecycle = ConductorTest.Lifecycle.SHARED,
        setupTimeout = "10s", shutdownTimeout = "10s")
@Patch(type = WebApi.class, with = PlainOrderFlowTest.AnyPortWebApi.class)
class PlainOrderFlowTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    WebApi api;

    Database database;

    @Test
    void aSubmittedOrderIsProcessedByTheWorkers() throws Exception {
        long id = submit(api, "espresso machine");

        await().atMost(Duration.ofSeconds(10)).until(() -> "PROCESSED".equals(database.status(id)));
        assertThat(get(api, "/orders/" + id)).isEqualTo("PROCESSED");
    }

    @Test
    void anUnknownOrderIsNotFound(WebApi web) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base(web).resolve("/orders/999999")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    /** Nothing processes the orders here: the queue is a recording one, for these tests alone. */
    @Nested
    @Patch(type = MessageQueue.class, with = PlainWebApiTest.MessageQueueMock.class)
    class WithARecordingQueue {

        PlainWebApiTest.MessageQueueMock queue;

        @Test
        void aSubmittedOrderIsQueuedAndStaysSubmitted(WebApi ownApi) throws Exception {
            long id = submit(ownApi, "milk jug");

            assertThat(ownApi).isNotSameAs(api);   // the enclosing class's keep running next to these
            assertThat(queue.sent).containsExactly(id);
            assertThat(get(ownApi, "/orders/" + id)).isEqualTo("SUBMITTED");
        }
    }

    static long submit(WebApi api, String item) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base(api).resolve("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(item)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        return Long.parseLong(response.body().trim());
    }

    static String get(WebApi api, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base(api).resolve(path)).build(), HttpResponse.BodyHandlers.ofString())
                .body().trim();
    }

    private static URI base(WebApi api) {
        return URI.create("http://localhost:" + api.port());
    }

    /** The real web API on a free port, so that tests never collide with a running sample. */
    static class AnyPortWebApi extends WebApi {

        AnyPortWebApi(Database database, MessageQueue queue) {
            super(database, queue);
        }

        @Override
        int requestedPort() {
            return 0;
        }
    }
}
