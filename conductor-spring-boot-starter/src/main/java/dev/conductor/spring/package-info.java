/**
 * Conductor for Spring Boot: {@link dev.conductor.spring.ConductorComponent} marks the beans whose lifecycle
 * Conductor runs, and {@link dev.conductor.spring.ComponentLifecycleEvent} reports their transitions.
 */
@NullMarked
package dev.conductor.spring;

import org.jspecify.annotations.NullMarked;
