package dev.conductor.test;

import dev.conductor.core.Component;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class's components with a {@link dev.conductor.core.Conductor}: they are set up before the tests
 * and shut down after them, concurrently by dependency as in production, and injected into the test.
 *
 * <pre>{@code
 * @ConductorTest(components = { WebApi.class, BackgroundWorkers.class })
 * @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
 * class OrderTests {
 *
 *     InMemoryQueue queue;   // injected: the replacement that WebApi and BackgroundWorkers received
 *
 *     @Test
 *     void submittedOrdersAreQueued(WebApi api) {   // parameters are injected too
 *         api.submit("espresso machine");
 *         assertThat(queue.sent()).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Components.</b> The graph holds the classes named in {@link #components()}, the type of every non-static,
 * non-final field of the test class (its superclasses and its {@code @Nested} classes included) that is a
 * {@link Component}, and, transitively, every component these depend on, each created once as
 * {@code Conductor.add} creates it. {@link Patch} replaces a component type everywhere it is needed.
 *
 * <p><b>Lifecycle.</b> With {@link Lifecycle#PER_CLASS} (the default) the components are set up once before the
 * class's first test (before its {@code @BeforeAll} methods) and shut down after its last (after its
 * {@code @AfterAll} methods), also when tests fail. With {@link Lifecycle#PER_METHOD} every test gets new
 * instances, set up before its {@code @BeforeEach} methods and shut down after its {@code @AfterEach} methods.
 * {@code @Nested} classes share the enclosing class's components and lifecycle; only the outermost class carries
 * {@code @ConductorTest}.
 *
 * <p><b>Injection.</b> Before each test, every such field of the test instance (and of the enclosing instances
 * of a {@code @Nested} test) holds its component; a replaced type holds the replacement. A parameter of a test,
 * lifecycle method or test constructor typed with a component of the graph receives it; with
 * {@code PER_METHOD}, only test and {@code @BeforeEach}/{@code @AfterEach} methods can, since the components
 * exist only around each test.
 *
 * <p><b>Failures.</b> A component that cannot be created, a dependency cycle or a missing implementation fails
 * the class (or the test, with {@code PER_METHOD}) before anything is set up. A failed or timed-out setup fails
 * it with the {@link dev.conductor.core.ComponentSetupException} that names the component and its dependency
 * path, after the components already active were shut down again; the tests do not run. A failed shutdown
 * fails the class (or the test) with the {@link dev.conductor.core.ComponentShutdownException} naming every
 * component whose shutdown failed.
 *
 * @see Patch
 * @see dev.conductor.core.Conductor
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConductorExtension.class)
public @interface ConductorTest {

    /**
     * The component classes the tests need; what they depend on is added with them. Component-typed fields add
     * their types as well, so this may be left empty when the fields name every component.
     *
     * @return the component classes to add, in the order {@code Conductor.add} is called with them
     */
    Class<? extends Component>[] components() default {};

    /**
     * When the components are set up and shut down.
     *
     * @return once around the whole class (the default), or around each test
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** When the components of a {@link ConductorTest} are set up and shut down. */
    enum Lifecycle {

        /** Set up once before the class's first test, shut down after its last. */
        PER_CLASS,

        /** Set up before each test and shut down after it: every test gets new instances. */
        PER_METHOD
    }
}
