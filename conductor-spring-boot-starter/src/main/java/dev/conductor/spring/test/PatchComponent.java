package dev.conductor.spring.test;

import dev.conductor.core.Component;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.bean.override.BeanOverride;

/**
 * Replaces a {@link dev.conductor.spring.ConductorComponent} in a Spring test context with another
 * implementation: {@code conductor.patch(MessageQueue.class, InMemoryQueue.class)} in Spring's test idiom.
 *
 * <p>The replacement is a real bean that Spring creates under the component's name: its constructor and its
 * {@code @Autowired} fields and methods are injected, the usual post-processors apply, and every bean that
 * depends on the component receives it. In Conductor's graph it takes the component's place with its own
 * dependencies, which may differ from the original's: it is set up after them and before every component that
 * depends on the original, and shut down in reverse. The original implementation is never created.
 *
 * <p>On a field, the field holds the live replacement, and {@link #with()} defaults to the field's type:
 *
 * <pre>{@code
 * @SpringBootTest
 * class OrderTests {
 *
 *     @PatchComponent(target = MessageQueue.class)
 *     InMemoryQueue queue;
 *
 *     @Test
 *     void submittedOrdersAreQueued() {
 *         ...
 *         assertThat(queue.sent()).containsExactly("order-1");
 *     }
 * }
 * }</pre>
 *
 * <p>On a test class, where it is repeatable, it names the replacement in {@link #with()}:
 * {@code @PatchComponent(target = MessageQueue.class, with = InMemoryQueue.class)}.
 *
 * <p>The {@link #target()} may be left out when exactly one component bean can be replaced by the field's type
 * (on a class, by {@code with}): one whose type shares a subtype of {@link Component} with it. The context fails
 * to start, saying what it expected and what it found, when the target is not a component, the replacement is
 * not a {@code target}, or no component or more than one matches.
 *
 * <p>Like Spring's own bean overrides ({@code @MockitoBean}, {@code @TestBean}), the patches are part of the
 * context's cache key: test classes with the same patches share a context, and different patches get different
 * contexts.
 *
 * @see dev.conductor.core.Conductor#patch(Class, Class)
 */
@Target({ ElementType.FIELD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(PatchComponents.class)
@BeanOverride(PatchComponentProcessor.class)
public @interface PatchComponent {

    /**
     * The type of the component to replace; exactly one {@code @ConductorComponent} bean must have it. Left out,
     * the one component that the replacement can stand in for.
     */
    Class<? extends Component> target() default Component.class;

    /**
     * The class of the replacement, concrete and a {@link #target()}. On a field it defaults to the field's type;
     * on a test class it is required.
     */
    Class<? extends Component> with() default Component.class;
}
