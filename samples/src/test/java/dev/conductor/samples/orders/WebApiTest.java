package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The intake rules of {@link WebApi}, with a real database, an in-memory queue and the controller on MockMvc. */
class WebApiTest {

    @TempDir
    Path dataDir;

    private final BlockingQueue queue = new BlockingQueue();

    /**
     * For the request in flight and the shutdown, which block at the same time: not the common pool, whose one
     * thread on a two-core machine would run them one after the other (Java 17 falls back to a thread per task
     * there, Java 25 does not).
     */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private Database database;

    private WebApi webApi;

    private MockMvc mvc;

    @BeforeEach
    void setUp() throws Exception {
        database = new Database(dataDir);
        database.setup();
        queue.setup();
        webApi = new WebApi(database, queue, new OrdersProperties(dataDir, 1, Duration.ZERO, Duration.ofSeconds(5)));
        mvc = MockMvcBuilders.standaloneSetup(new OrderController(webApi))
                .setControllerAdvice(new OrderApiErrors())
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.release.countDown();
        webApi.shutdown();
        database.shutdown();
        threads.shutdownNow();
    }

    @Test
    void refusesOrdersBeforeSetupAndAfterShutdownWith503() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\",\"quantity\":1}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value(WebApi.CLOSED_FOR_ORDERS));

        webApi.setup();
        queue.release.countDown();
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\",\"quantity\":1}"))
                .andExpect(status().isAccepted())
                .andExpect(header().exists("Location"))
                .andExpect(jsonPath("$.status").value("SUBMITTED"));

        webApi.shutdown();
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\",\"quantity\":1}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.detail").value(WebApi.CLOSED_FOR_ORDERS));
        mvc.perform(get("/orders")).andExpect(status().isServiceUnavailable());
    }

    @Test
    void rejectsInvalidOrdersWith400() throws Exception {
        webApi.setup();
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\" \",\"quantity\":1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'item' is required, at most 200 characters"));
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/orders/nope")).andExpect(status().isNotFound());
    }

    @Test
    void aBodyThatIsNotJsonIs400AsAProblemDetail() throws Exception {
        webApi.setup();
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\",\"quantity\":"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").value("Bad Request"))
                .andExpect(jsonPath("$.detail").value("Failed to read request"))
                .andExpect(jsonPath("$.instance").value("/orders"));
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content("widget"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(queue.sent()).isZero();
    }

    @Test
    void aQueueOrDatabaseLostUnderAnAdmittedRequestIs503NotAServerError() throws Exception {
        webApi.setup();
        queue.release.countDown();
        // The broker went away under the open intake: the order is refused, and its row undone
        queue.shutdown();
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"widget\",\"quantity\":1}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(WebApi.PARTS_UNAVAILABLE));
        assertThat(new OrderRepository(database).recent(10)).isEmpty();

        database.shutdown();
        mvc.perform(get("/orders")).andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.detail").value(WebApi.PARTS_UNAVAILABLE));
        mvc.perform(get("/orders/some-id")).andExpect(status().isServiceUnavailable());
    }

    @Test
    void shutdownLetsTheRequestInFlightFinish() throws Exception {
        webApi.setup();
        CompletableFuture<Order> inFlight = CompletableFuture.supplyAsync(() -> webApi.submit("widget", 2), threads);
        await().until(() -> queue.sending.getCount() == 0);

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                webApi.shutdown();
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        }, threads);
        await().until(() -> !webApi.isAcceptingOrders());
        assertThatExceptionOfType(IntakeClosedException.class).isThrownBy(() -> webApi.submit("late", 1));
        assertThat(shutdown).isNotDone();

        queue.release.countDown();
        shutdown.get();
        Order order = inFlight.get();
        assertThat(new OrderRepository(database).find(order.id())).isPresent();
        assertThat(queue.sent()).isEqualTo(1);
    }

    /** Holds every send until released, to keep a request in flight. */
    static final class BlockingQueue extends InMemoryMessageQueue {

        final CountDownLatch sending = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void send(String orderId) {
            sending.countDown();
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            super.send(orderId);
        }
    }
}
