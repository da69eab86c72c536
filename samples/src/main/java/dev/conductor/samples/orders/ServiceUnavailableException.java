package dev.conductor.samples.orders;

/**
 * The order service cannot serve the request now but may soon: answered {@code 503} with a problem detail and
 * {@code Retry-After}. Either its intake is closed ({@link IntakeClosedException}), or a part it needs failed
 * under the request (the database or the queue closed or lost), which then is the cause.
 */
class ServiceUnavailableException extends RuntimeException {

    ServiceUnavailableException(String message) {
        super(message);
    }

    ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
