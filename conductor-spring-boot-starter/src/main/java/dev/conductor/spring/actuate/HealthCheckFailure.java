package dev.conductor.spring.actuate;

/**
 * The runtime failure that {@link HealthFailures} reports for a component whose own health was {@code DOWN} too many
 * checks in a row. Unlike a failure the component reports itself, it does not keep the component {@code DOWN} in
 * the {@code conductor} health contributor once its own health is back {@code UP}: its health already says it.
 */
final class HealthCheckFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    HealthCheckFailure(String message) {
        super(message);
    }
}
