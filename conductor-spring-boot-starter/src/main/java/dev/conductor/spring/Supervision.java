package dev.conductor.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What happens when one component fails while running, as the {@link ConductorComponent#supervision() supervision}
 * of its {@code @ConductorComponent}. Each attribute left empty takes the value of the matching
 * {@code conductor.supervision.*} property:
 *
 * <pre>{@code
 * @ConductorComponent(supervision = @Supervision(policy = "restart", maxRestarts = "5", window = "10m",
 *         delay = "2s", multiplier = "2", maxDelay = "1m"))
 * class MessageQueue implements Component { ... }
 * }</pre>
 *
 * <p>A component reports that it failed through {@link ComponentFailures}; a component that implements
 * {@code ComponentHealth} also fails when its health is {@code DOWN} for
 * {@code conductor.supervision.health-failure-threshold} checks in a row. The policies are Conductor's
 * {@link dev.conductor.core.SupervisionPolicy}: {@code none} records the failure, {@code restart} restarts the
 * component with its dependents (at most {@code maxRestarts} times within {@code window}, then escalates), and
 * {@code escalate} shuts every component down and fails the application's liveness or exits it
 * ({@code conductor.supervision.on-escalation}). The texts take placeholders and expressions, resolved as
 * {@code @Value} resolves them; an attribute that cannot be resolved or parsed fails the startup, naming the
 * component.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Supervision {

    /** {@code none}, {@code restart} or {@code escalate}; empty for {@code conductor.supervision.policy}. */
    String policy() default "";

    /**
     * How many restarts {@link #window()} allows before the next failure escalates, at least 1; empty for
     * {@code conductor.supervision.max-restarts}.
     */
    String maxRestarts() default "";

    /** The window the restarts are counted in ({@code "1m"}); empty for {@code conductor.supervision.window}. */
    String window() default "";

    /** The delay before the first restart in a row; empty for {@code conductor.supervision.backoff.delay}. */
    String delay() default "";

    /**
     * The factor each further delay is multiplied by, at least 1; empty for
     * {@code conductor.supervision.backoff.multiplier}.
     */
    String multiplier() default "";

    /** The longest delay before a restart; empty for {@code conductor.supervision.backoff.max-delay}. */
    String maxDelay() default "";
}
