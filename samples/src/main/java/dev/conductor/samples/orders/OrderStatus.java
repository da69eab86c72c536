package dev.conductor.samples.orders;

/** Where an order is: accepted and queued, or processed by a worker. */
enum OrderStatus {
    SUBMITTED, PROCESSED
}
