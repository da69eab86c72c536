package dev.conductor.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How one component's failed setup is tried again, as the {@link ConductorComponent#setupRetry() setupRetry} of its
 * {@code @ConductorComponent}. Each attribute left empty takes the value of the matching
 * {@code conductor.setup-retry.*} property, so a component can change just what it needs:
 *
 * <pre>{@code
 * @ConductorComponent(setupRetry = @SetupRetry(maxRetries = "${app.db.retries:5}", delay = "2s", multiplier = "2",
 *         maxDelay = "30s", excludes = SQLSyntaxErrorException.class))
 * class Database implements Component { ... }
 * }</pre>
 *
 * <p>The names are those of Spring Framework's {@code @Retryable}. The texts take placeholders and expressions,
 * resolved as {@code @Value} resolves them, and durations in Spring Boot's format ({@code 500ms}, {@code 2s}). An
 * attribute that cannot be resolved or parsed fails the startup before any singleton is created, naming the
 * component. Each attempt is bounded by the component's setup timeout, and a timed-out attempt counts as a failed
 * one (a {@link java.util.concurrent.TimeoutException}); while the component waits to retry, its dependents wait
 * and the other components carry on.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SetupRetry {

    /**
     * How many times a failed setup is tried again after the first attempt, {@code "0"} for none; empty for
     * {@code conductor.setup-retry.max-retries}.
     */
    String maxRetries() default "";

    /** The delay before the first retry ({@code "1s"}); empty for {@code conductor.setup-retry.delay}. */
    String delay() default "";

    /**
     * The factor each further delay is multiplied by, at least 1 ({@code "2"}); empty for
     * {@code conductor.setup-retry.multiplier}.
     */
    String multiplier() default "";

    /** The longest delay between two attempts ({@code "30s"}); empty for {@code conductor.setup-retry.max-delay}. */
    String maxDelay() default "";

    /**
     * How far each delay may be moved at random, earlier or later, uniformly ({@code "200ms"}); empty for
     * {@code conductor.setup-retry.jitter}.
     */
    String jitter() default "";

    /**
     * Retry only failures of these types, or caused by them (their subtypes too); empty for
     * {@code conductor.setup-retry.includes}.
     */
    Class<? extends Throwable>[] includes() default {};

    /**
     * Never retry failures of these types, or caused by them (their subtypes too); empty for
     * {@code conductor.setup-retry.excludes}.
     */
    Class<? extends Throwable>[] excludes() default {};
}
