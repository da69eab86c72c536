package dev.conductor.core;

/**
 * How a running component tells the engine that it failed: a broker connection dropped for good, a consumer
 * thread died. Call it from any thread, at any time; it returns at once, and the component's
 * {@link SupervisionPolicy} decides what happens (by default nothing but a record in the report).
 *
 * <p>With the {@link Conductor} facade, declare a constructor parameter or a field of this type and it is given
 * a reporter bound to the component; with the {@link LifecycleEngine}, take one from
 * {@link LifecycleEngine#failureReporter(String)}.
 *
 * <pre>{@code
 * class MessageQueue implements Component {
 *     private final FailureReporter failures;
 *
 *     MessageQueue(FailureReporter failures) {
 *         this.failures = failures;
 *     }
 *
 *     void onConnectionLost(Exception cause) {
 *         failures.failed(cause);   // restarted with its dependents, if its policy says so
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FailureReporter {

    /** Reports that the component failed while running, with why. */
    void failed(Throwable cause);
}
