package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LifecycleEngine;
import java.lang.reflect.Method;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * The failures of a context that has a component but no {@link ConductorLifecycle}, so that nothing would set the
 * component up. Apart from the classes that detect it, so that they load no exception class before one is thrown:
 * they are part of every application with the starter, components or not.
 */
final class MissingLifecycle {

    private MissingLifecycle() {
    }

    /**
     * A child context without Conductor's auto-configuration has components. That context has no
     * {@link ComponentCallbacks}, so Spring would call a component's inferred destroy method (its {@code shutdown()}
     * or {@code close()}) when the failed refresh destroys the beans, although nothing set it up: none of their
     * destroy callbacks runs (nor {@code @PreDestroy}, {@code DisposableBean}, {@code AutoCloseable}: Spring has
     * them in one registration, which is replaced).
     */
    static void failChild(ConfigurableListableBeanFactory beanFactory, @Nullable String childId,
            Set<String> components) {
        if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
            for (String component : components) {
                if (registry.containsSingleton(component)) {
                    registry.registerDisposableBean(component, () -> {
                    });
                }
            }
        }
        throw new InvalidComponentException(components.iterator().next(), "is in the child context '" + childId
                + "', which has no ConductorLifecycle of its own, so nothing would set up its components "
                + components,
                "Apply Conductor's auto-configuration to that context"
                        + " (@ImportAutoConfiguration(ConductorAutoConfiguration.class)), or declare the"
                        + " components in the parent context.");
    }

    /**
     * A component bean whose definition shows it is a component, in a context whose auto-configuration found no
     * component in the bean definitions (see {@link OnComponentsCondition}): it was registered after that.
     */
    static void failUnseenDefinition(String beanName) {
        throw unseen(beanName, "its bean definition was registered after Conductor's auto-configuration read the bean"
                + " definitions",
                "If another auto-configuration defines it, declare @AutoConfiguration(before ="
                        + " ConductorAutoConfiguration.class) on that one (one ordered after any of Conductor's"
                        + " auto-configurations cannot: move the component to an auto-configuration of its own);"
                        + " otherwise define the component in the"
                        + " application's configuration (a scanned class or a @Bean method), or set"
                        + " conductor.enabled=false if Conductor should not run it.");
    }

    /**
     * Fails the creation of a component only its instance shows once the lifecycle runs (a lazy bean asked for
     * late): the lifecycle set the components up without it, since nothing could tell it was one.
     */
    static void failIfStartedWithout(ConfigurableListableBeanFactory beanFactory, String beanName,
            RootBeanDefinition definition) {
        for (String name : beanFactory.getBeanNamesForType(ConductorLifecycle.class, false, false)) {
            if (beanFactory.containsSingleton(name)
                    && beanFactory.getSingleton(name) instanceof ConductorLifecycle lifecycle && lifecycle.isRunning()) {
                LifecycleEngine engine = lifecycle.getEngine();
                if (engine != null && !engine.graph().names().contains(beanName)) {
                    failCreatedAfterStart(beanName, definition.getResolvedFactoryMethod(),
                            ComponentAnnotations.declaredType(definition));
                }
            }
        }
    }

    /**
     * A component only its instance shows ({@code declaredType}, {@code factoryMethod} as for
     * {@link #failUnseenInstance(String, Method, Class)}), created after the lifecycle set the components up
     * without it: a lazy bean asked for late.
     */
    private static void failCreatedAfterStart(String beanName, @Nullable Method factoryMethod,
            @Nullable Class<?> declaredType) {
        String type = declaredType == null ? "no type" : "the type " + declaredType.getName();
        throw new InvalidComponentException(beanName, "is a @ConductorComponent created after Conductor set the"
                + " components up, which it could not see then: its "
                + (factoryMethod != null ? "@Bean method " + factoryMethod.getName() + "()" : "bean definition")
                + " declares " + type + ", which is not a @ConductorComponent, and it was not created before (a lazy"
                + " bean)", factoryMethod != null
                        ? "Declare the component's class as the @Bean method's return type, or annotate the @Bean"
                                + " method with @ConductorComponent."
                        : "Register the bean with the component's class as its type.");
    }

    /**
     * A bean being created is an instance of a component class, but its definition declares another type,
     * {@code declaredType} ({@code null}: none), so the auto-configuration found no component (see
     * {@link OnComponentsCondition}); {@code factoryMethod} is its {@code @Bean} method, if it has one.
     */
    static void failUnseenInstance(String beanName, @Nullable Method factoryMethod, @Nullable Class<?> declaredType) {
        String type = declaredType == null ? "no type" : "the type " + declaredType.getName();
        if (factoryMethod != null) {
            throw unseen(beanName, "its @Bean method " + factoryMethod.getName() + "() declares " + type
                    + ", which is not a @ConductorComponent",
                    "Declare the component's class as the @Bean method's return type, or annotate the @Bean method"
                            + " with @ConductorComponent.");
        }
        throw unseen(beanName, "its bean definition declares " + type + ", which is not a @ConductorComponent",
                "Register the bean with the component's class as its type, for example"
                        + " registerBean(name, ComponentClass.class, supplier).");
    }

    private static InvalidComponentException unseen(String beanName, String why, String action) {
        return new InvalidComponentException(beanName, "is a @ConductorComponent that Conductor did not see when it"
                + " configured the context (" + why + "), and the context has no other component, so it has no"
                + " ConductorLifecycle and nothing would set this component up", action);
    }
}
