/**
 * JUnit Jupiter support for conductor-core components, without Spring: {@link dev.conductor.test.ConductorTest}
 * sets a test class's components up before its tests and shuts them down after (per class, per test, per
 * invocation of a parameterized class, or shared across the run), {@link dev.conductor.test.Patch} replaces a
 * component with another implementation, {@link dev.conductor.test.ConfigureConductor} lets the test configure
 * its conductor, and the components are injected into the test's fields and parameters.
 */
package dev.conductor.test;
