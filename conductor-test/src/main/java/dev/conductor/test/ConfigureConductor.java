package dev.conductor.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a {@link ConductorTest} class that configures the test's conductor: it is called with
 * the {@link dev.conductor.core.Conductor.Builder} each time the components are about to be created, so the test
 * owns what the annotation's attributes cannot say: values through {@code provide(...)}, retry and supervision
 * policies, a listener, {@link dev.conductor.core.Faults}, an executor.
 *
 * <pre>{@code
 * @ConductorTest(components = Database.class)
 * class DatabaseTests {
 *
 *     static final Faults FAULTS = new Faults();
 *
 *     @ConfigureConductor
 *     static void conductor(Conductor.Builder builder) {
 *         builder.provide(DatabaseSettings.class, new DatabaseSettings("jdbc:h2:mem:orders"))
 *                 .setupRetry(RetryPolicy.builder().maxRetries(3).delay(Duration.ofMillis(10)).build())
 *                 .faults(FAULTS);
 *     }
 * }
 * }</pre>
 *
 * <p>The method is {@code static}, returns {@code void} and takes exactly one {@code Conductor.Builder}; any
 * visibility. It runs after the annotation's timeouts are applied, so it may override them. The methods of the
 * enclosing class (for a {@code @Nested} class with its own components), then of superclasses, then of the class
 * itself run in that order. An exception it throws fails the class (or the test) with the method named.
 *
 * @see ConductorTest
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ConfigureConductor {
}
