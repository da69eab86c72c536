package dev.conductor.test;

import dev.conductor.core.Component;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Replaces a component of a {@link ConductorTest} with another implementation: the annotation form of
 * {@code conductor.patch(MessageQueue.class, InMemoryQueue.class)}. Repeatable, one per replaced type: two of one
 * type fail the class. On a {@code @Nested} class it makes a new graph for that class's tests, where it replaces
 * the enclosing class's patch of the same type.
 *
 * <pre>{@code
 * @ConductorTest(components = WebApi.class)
 * @Patch(type = MessageQueue.class, with = InMemoryQueue.class)
 * @Patch(type = Database.class, with = EmbeddedDatabase.class)
 * class WebApiTests { ... }
 * }</pre>
 *
 * <p>Every component that depends on {@link #type()} receives an instance of {@link #with()}, created with its own
 * dependencies; the original implementation is never created. The class fails, naming the patch, when
 * {@code with} is not a concrete subtype of {@code type}.
 *
 * @see dev.conductor.core.Conductor#patch(Class, Class)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Patch.List.class)
public @interface Patch {

    /**
     * The component type to replace.
     *
     * @return the type that dependents and {@code add(type)} ask for
     */
    Class<? extends Component> type();

    /**
     * The replacement, a concrete subtype of {@link #type()}.
     *
     * @return the class whose instance is used wherever {@link #type()} is needed
     */
    Class<? extends Component> with();

    /** Holds the {@link Patch} annotations of a test class; written by the compiler for repeated patches. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {

        /**
         * The patches.
         *
         * @return the repeated {@link Patch} annotations
         */
        Patch[] value();
    }
}
