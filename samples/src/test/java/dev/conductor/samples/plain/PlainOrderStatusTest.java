package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.Patch;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Declares exactly what {@link PlainOrderFlowTest} declares, with {@code lifecycle = SHARED}: when both run in one
 * run, the second finds the components the first set up (the database, queue, workers and web server start once)
 * and they are shut down once, at the end of the run.
 */
@ConductorTest(components = { WebApi.class, BackgroundWorkers.class }, lifecycle = ConductorTest.Lifecycle.SHARED,
        setupTimeout = "10s", shutdownTimeout = "10s")
@Patch(type = WebApi.class, with = PlainOrderFlowTest.AnyPortWebApi.class)
class PlainOrderStatusTest {

    WebApi api;

    Database database;

    @Test
    void anOrderIsSubmittedFirstThenProcessed() throws Exception {
        long id = PlainOrderFlowTest.submit(api, "tamper");

        assertThat(PlainOrderFlowTest.get(api, "/orders/" + id)).isIn("SUBMITTED", "PROCESSED");
        await().atMost(Duration.ofSeconds(10)).until(() -> "PROCESSED".equals(database.status(id)));
    }
}
