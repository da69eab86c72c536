/**
 * Auto-configuration that runs the application's {@link dev.conductor.spring.ConductorComponent} beans with
 * Conductor's engine inside Spring's lifecycle.
 */
@NullMarked
package dev.conductor.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
