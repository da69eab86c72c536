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
 * bean that method returns. Either way the bean implements {@link dev.conductor.core.Component}, or names the
 * methods Conductor calls instead with {@link #setupMethod()} and {@link #shutdownMethod()} (an object from
 * another library):
 *
 * <pre>{@code
 * @Bean
 * @ConductorComponent(setupMethod = "start", shutdownMethod = "close")
 * GrpcServer grpcServer() {
 *     return new GrpcServer(9090);
 * }
 * }</pre>
 *
 * <p>Conductor is the only caller of a component's setup and shutdown methods: Spring does not call them as an
 * init or destroy method, inferred ({@code @Bean}'s public {@code close()} or {@code shutdown()}) or declared.
 * Spring's other callbacks on the bean ({@code DisposableBean}, {@code @PreDestroy}, {@code AutoCloseable.close()},
 * a {@code @Bean(destroyMethod = ...)} that names another method) still run once, when the context destroys its
 * beans, after Conductor's shutdown. With {@code conductor.enabled=false} nothing sets the component up or shuts it
 * down.
 *
 * <p>The bean must be a singleton; the bean factory is checked before any singleton is created (scope, type,
 * method names, timeouts), and a component that Conductor cannot run fails the startup, naming the bean. An
 * {@code @Async} setup or shutdown is refused: Conductor would treat the component as active before it is.
 * Through any other proxy ({@code @Transactional}, a custom aspect) the methods are called on the proxy, so its
 * advice applies.
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
     * {@code 2m}); empty for {@code conductor.setup-timeout}. Placeholders and expressions are resolved as
     * {@code @Value} resolves them: {@code "${app.db.setup-timeout:45s}"}.
     */
    String setupTimeout() default "";

    /**
     * How long this component's shutdown may take; empty for {@code conductor.shutdown-timeout}. Resolved like
     * {@link #setupTimeout()}.
     */
    String shutdownTimeout() default "";

    /**
     * How this component's failed setup is tried again: each attribute left empty takes the matching
     * {@code conductor.setup-retry.*} property, so without it the component retries as those properties say (by
     * default not at all). For example {@code setupRetry = @SetupRetry(maxRetries = "5", delay = "2s")}.
     */
    SetupRetry setupRetry() default @SetupRetry;

    /**
     * What happens when this component fails while running (see {@link ComponentFailures}): each attribute left
     * empty takes the matching {@code conductor.supervision.*} property, so without it the component is supervised
     * as those properties say (by default the failure is only recorded). For example
     * {@code supervision = @Supervision(policy = "restart", maxRestarts = "3", window = "1m")}.
     */
    Supervision supervision() default @Supervision;

    /**
     * The name of the method, without parameters, that Conductor calls to set this bean up instead of
     * {@link dev.conductor.core.Component#setup()}, in the style of {@code @Bean(initMethod = ...)}; empty for
     * {@code setup()} of a {@code Component}, or for nothing to do. Its return value is ignored; what it throws
     * fails the setup.
     */
    String setupMethod() default "";

    /**
     * The name of the method, without parameters, that Conductor calls to shut this bean down instead of
     * {@link dev.conductor.core.Component#shutdown()}, in the style of {@code @Bean(destroyMethod = ...)}; empty for
     * {@code shutdown()} of a {@code Component}, or for nothing to do.
     */
    String shutdownMethod() default "";

    /**
     * Components this one depends on although Spring's wiring does not show it, by type: every component bean of
     * each type is a dependency.
     */
    Class<?>[] dependsOn() default {};

    /**
     * Whether this component starts its setup during the context's refresh, as soon as its bean is fully
     * initialized and the components it depends on are active ({@link EarlyStart#ALWAYS}), or only when the
     * context's lifecycle starts ({@link EarlyStart#NEVER}); {@link EarlyStart#DEFAULT} follows
     * {@code conductor.early-start}, which by default starts a component early unless it depends, directly or
     * through plain beans, on a {@code Lifecycle} bean that is not running yet or on a
     * {@code SmartInitializingSingleton}. In the style of {@code @Bean(bootstrap = ...)}.
     *
     * <pre>{@code
     * @ConductorComponent(earlyStart = EarlyStart.ALWAYS) // its SmartLifecycle dependency is usable at once
     * class Poller implements Component { Poller(MessageListenerContainer container) { ... } }
     * }</pre>
     */
    EarlyStart earlyStart() default EarlyStart.DEFAULT;

    /** When a component starts its setup: see {@link ConductorComponent#earlyStart()}. */
    enum EarlyStart {

        /** As {@code conductor.early-start} says. */
        DEFAULT,

        /** During the refresh, as soon as the bean and the components it depends on are ready. */
        ALWAYS,

        /** When the context's lifecycle starts, after every singleton was created. */
        NEVER
    }
}
