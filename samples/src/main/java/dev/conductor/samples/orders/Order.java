package dev.conductor.samples.orders;

import java.time.Instant;

/**
 * An order as stored and as the API returns it.
 *
 * @param processingCount how often a worker processed it: 1 once processed, whatever the broker redelivered
 */
record Order(String id, String item, int quantity, OrderStatus status, int processingCount, Instant submittedAt,
        Instant processedAt) {
}
