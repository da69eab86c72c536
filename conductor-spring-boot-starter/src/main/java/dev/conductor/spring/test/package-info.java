/**
 * Test support: {@link dev.conductor.spring.test.PatchComponent} replaces a component in a Spring test context
 * with another implementation that Spring creates and wires in the component's place;
 * {@link dev.conductor.spring.test.ConductorFaults}, in every test context, injects faults into the components for
 * one test method.
 */
@NullMarked
package dev.conductor.spring.test;

import org.jspecify.annotations.NullMarked;
