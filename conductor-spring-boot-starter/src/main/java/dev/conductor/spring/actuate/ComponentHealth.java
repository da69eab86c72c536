package dev.conductor.spring.actuate;

import org.springframework.boot.health.contributor.Health;

/**
 * Implemented by a component that can check its own health at runtime: a database that pings its pool, a
 * message queue that asks its broker. Conductor calls it only while the component is active, for the
 * {@code conductor} health contributor ({@code /actuator/health/conductor}) and for readiness: while it reports
 * {@code DOWN} or {@code OUT_OF_SERVICE}, so does the contributor, and the application refuses traffic (see
 * {@code conductor.readiness.refuse-traffic-when-down}).
 *
 * <pre>{@code
 * @ConductorComponent
 * class Database implements Component, ComponentHealth {
 *
 *     public Health health() {
 *         try (Connection connection = pool.getConnection()) {
 *             return connection.isValid(1) ? Health.up().withDetail("pool", pool.getName()).build()
 *                     : Health.down().build();
 *         }
 *         catch (SQLException ex) {
 *             return Health.down(ex).build();
 *         }
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <p>The check runs on the thread that asks for the health, possibly concurrently; keep it quick and bound any
 * I/O with a timeout. An exception it throws counts as {@code DOWN}. Implementing this interface needs
 * {@code spring-boot-health} (part of Actuator) on the classpath.
 */
@FunctionalInterface
public interface ComponentHealth {

    /** The component's health now, with any details worth showing to an operator. */
    Health health();
}
