/**
 * JUnit Jupiter support for conductor-core components, without Spring: {@link dev.conductor.test.ConductorTest}
 * sets a test class's components up before its tests and shuts them down after, {@link dev.conductor.test.Patch}
 * replaces a component with another implementation, and the components are injected into the test's fields and
 * parameters.
 */
package dev.conductor.test;
