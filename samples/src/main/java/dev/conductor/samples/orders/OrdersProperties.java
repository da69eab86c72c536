package dev.conductor.samples.orders;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the order service, under {@code orders.*}.
 *
 * @param dataDir where the database files and the broker's journal live; relative to the working directory
 * @param workers how many consumers take orders off the queue
 * @param processingTime how long processing one order takes (simulated work)
 * @param drainTimeout how long {@link WebApi} waits for in-flight requests when it shuts down
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("2") int workers,
        @DefaultValue("200ms") Duration processingTime,
        @DefaultValue("10s") Duration drainTimeout) {

    public OrdersProperties {
        if (workers < 1) {
            throw new IllegalArgumentException("orders.workers must be at least 1, was " + workers);
        }
    }
}
