/**
 * Conductor for operators, with Spring Boot Actuator: the {@code conductor} health contributor and the optional
 * {@link dev.conductor.spring.actuate.ComponentHealth} a component implements to add its own check, readiness that
 * follows the components, the {@code conductor} endpoint with the graph and its timings, Micrometer timers and an
 * observation of the setup. Each piece is configured only when the application has the library it needs.
 */
@NullMarked
package dev.conductor.spring.actuate;

import org.jspecify.annotations.NullMarked;
