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
 * non-final field of the test class (its superclasses and the {@code @Nested} classes that share its components
 * included) that is a
 * {@link Component}, and, transitively, every component these depend on, each created once as
 * {@code Conductor.add} creates it. {@link Patch} replaces a component type everywhere it is needed.
 *
 * <p><b>Lifecycle.</b> With {@link Lifecycle#PER_CLASS} (the default) the components are set up once before the
 * class's first test (before its {@code @BeforeAll} methods, or before its instance is made with
 * {@code @TestInstance(PER_CLASS)}) and shut down after its last (after its {@code @AfterAll} methods), also when
 * tests fail. With {@link Lifecycle#PER_METHOD} every test gets new instances, set up before its
 * {@code @BeforeEach} methods and shut down after its {@code @AfterEach} methods. {@link Lifecycle#PER_INVOCATION}
 * gives each invocation of a {@code @ParameterizedClass} its own components, and {@link Lifecycle#SHARED} shares
 * them with every class of the run that declares the same.
 *
 * <p><b>Configuration.</b> {@link #setupTimeout()} and {@link #shutdownTimeout()} set the conductor's default
 * timeouts; a static {@link ConfigureConductor} method receives the {@code Conductor.Builder} for everything else
 * (provided values, retries, supervision, a listener, faults).
 *
 * <p><b>Nested classes.</b> A {@code @Nested} class shares its enclosing class's components, unless it declares
 * its own {@code @ConductorTest}, {@link Patch} or {@link ConfigureConductor} method: then its tests (and its own
 * nested classes') run on a new graph, made of the enclosing class's components, patches and configuration plus
 * its own (its patches replace the enclosing class's patch of the same type, its {@code @ConductorTest}'s
 * lifecycle and timeouts apply), set up and shut down around the nested class as its lifecycle says. The
 * enclosing instance keeps the enclosing class's components.
 *
 * <p><b>Parallel execution.</b> Under JUnit's {@code junit.jupiter.execution.parallel.*}, tests that run at the
 * same time use the same {@code PER_CLASS} or {@code SHARED} components at the same time (set up once, before
 * any of them), and each has its own {@code PER_METHOD} components; so {@code PER_METHOD} component fields on one
 * {@code @TestInstance(PER_CLASS)} instance whose tests run concurrently are refused.
 *
 * <p><b>Failures.</b> A component that cannot be created, a dependency cycle or a missing implementation fails
 * the class (or the test, with {@code PER_METHOD}) before anything is set up. A failed or timed-out setup fails
 * it with the {@link dev.conductor.core.ComponentSetupException} that names the component and its dependency
 * path, after the components already active were shut down again; the tests do not run. A failed shutdown
 * fails the class (or the test; for {@code SHARED} components, the run) with the
 * {@link dev.conductor.core.ComponentShutdownException} naming every component whose shutdown failed.
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

    /**
     * The setup timeout of every component of the test, such as {@code "500ms"}, {@code "10s"}, {@code "2m"} or
     * {@code "PT10S"}; empty for the conductor's default (one minute), or, on a {@code @Nested} class, for its
     * enclosing class's. A {@link ConfigureConductor} method may set it per component.
     *
     * @return the default setup timeout, or empty
     */
    String setupTimeout() default "";

    /**
     * The shutdown timeout of every component of the test, in the form of {@link #setupTimeout()}; empty for the
     * conductor's default (30 seconds), or, on a {@code @Nested} class, for its enclosing class's.
     *
     * @return the default shutdown timeout, or empty
     */
    String shutdownTimeout() default "";

    /** When the components of a {@link ConductorTest} are set up and shut down. */
    enum Lifecycle {

        /**
         * Set up once before the class's first test, shut down after its last. The invocations of a
         * {@code @ParameterizedClass} share them: its {@code @BeforeAll} and {@code @AfterAll} run once too.
         */
        PER_CLASS,

        /**
         * Set up before each test and shut down after it: every test gets new instances. Tests that run
         * concurrently each have their own.
         */
        PER_METHOD,

        /**
         * Set up before each invocation of a {@code @ParameterizedClass} (or another class template) and shut down
         * after it, so every invocation gets new instances; on any other class the same as {@link #PER_CLASS}.
         */
        PER_INVOCATION,

        /**
         * Set up by the first class of the run that needs them and shut down once at the end of the run (when
         * JUnit closes its root context), shared by every class whose components are the same: the same component
         * types (named and field types), the same patches, the same timeouts and the same
         * {@link ConfigureConductor} methods (the same declared methods, such as those of a common superclass).
         * Classes running concurrently set them up once and use them at the same time. A class that fails to set
         * them up fails, and so does every later class with the same components: the setup is not tried again.
         */
        SHARED
    }
}
