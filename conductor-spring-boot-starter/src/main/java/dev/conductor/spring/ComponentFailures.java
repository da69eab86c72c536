package dev.conductor.spring;

import dev.conductor.core.FailureReporter;

/**
 * How a running {@link ConductorComponent} tells Conductor that it failed (a broker connection dropped for good, a
 * consumer thread died): a bean that the auto-configuration provides; inject it and take the reporter of the
 * component by its bean name. Reports return at once, from any thread; the component's {@link Supervision}
 * decides what happens. Injecting this bean does not make a component depend on anything.
 *
 * <pre>{@code
 * @ConductorComponent(supervision = @Supervision(policy = "restart"))
 * class MessageQueue implements Component {
 *     private final FailureReporter failures;
 *
 *     MessageQueue(ComponentFailures failures) {
 *         this.failures = failures.reporter("messageQueue");
 *     }
 *
 *     void onConnectionLost(Exception cause) {
 *         failures.failed(cause);
 *     }
 * }
 * }</pre>
 *
 * <p>A report for a component that is not active (not set up yet, restarting, shut down) is ignored, as
 * Conductor's engine ignores it.
 */
public interface ComponentFailures {

    /**
     * The reporter of one component.
     *
     * @param component the component's bean name
     * @throws IllegalArgumentException when no {@code @ConductorComponent} bean has that name
     */
    FailureReporter reporter(String component);

    /** Reports that {@code component} failed while running: {@code reporter(component).failed(cause)}. */
    default void failed(String component, Throwable cause) {
        reporter(component).failed(cause);
    }
}
