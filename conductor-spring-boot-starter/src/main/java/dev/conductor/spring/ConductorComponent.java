package dev.conductor.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean as a Conductor component: its {@link dev.conductor.core.Component#setup() setup} runs
 * concurrently with the other components' as soon as every component it depends on is active, before the web
 * server takes traffic, and its {@link dev.conductor.core.Component#shutdown() shutdown} runs in reverse after the
 * web server stopped.
 *
 * <p>On a class it is a stereotype: component scanning picks the class up. On a {@code @Bean} method it marks the
 * bean that method returns. Either way the bean must implement {@link dev.conductor.core.Component}.
 *
 * <pre>{@code
 * @ConductorComponent
 * class WebApi implements Component {
 *     WebApi(Database database, MessageQueue queue) { ... }
 *     public void setup() { ... }
 *     public void shutdown() { ... }
 * }
 *
 * @Bean
 * @ConductorComponent(setupTimeout = "10s")
 * Cache cache(Database database) {
 *     return new Cache(database);
 * }
 * }</pre>
 *
 * <p>Dependencies come from Spring's own wiring: a component depends on every component bean it receives by
 * constructor, field or method injection, directly or through any chain of plain beans, and on the beans named
 * by {@code @DependsOn}. Lazy lookups ({@code ObjectProvider}, {@code @Lazy}, {@code ApplicationContext.getBean})
 * cannot be seen: declare those with {@link #dependsOn()}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface ConductorComponent {

    /** The bean name, for a class picked up by component scanning; see {@link Component#value()}. */
    @AliasFor(annotation = Component.class)
    String value() default "";

    /**
     * How long this component's setup may take, in Spring Boot's duration format ({@code 500ms}, {@code 30s},
     * {@code 2m}); empty for {@code conductor.setup-timeout}.
     */
    String setupTimeout() default "";

    /** How long this component's shutdown may take; empty for {@code conductor.shutdown-timeout}. */
    String shutdownTimeout() default "";

    /**
     * Components this one depends on although Spring's wiring does not show it, by type: every component bean of
     * each type is a dependency.
     */
    Class<?>[] dependsOn() default {};
}
