package dev.conductor.spring.autoconfigure;

import java.lang.reflect.Method;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The failures of a context that has a component but no {@link ConductorLifecycle}, so that nothing would set the
 * component up. Apart from the classes that detect it, so that they load no exception class before one is thrown:
 * they are part of every application with the starter, components or not.
 */
final class MissingLifecycle {

    private MissingLifecycle() {
    }

    /** A child context without Conductor's auto-configuration has components. */
    static void failChild(@Nullable String childId, Set<String> components) {
        throw new InvalidComponentException(components.iterator().next(), "is in the child context '" + childId
                + "', which has no ConductorLifecycle of its own, so nothing would set up its components "
                + components,
                "Apply Conductor's auto-configuration to that context"
                        + " (@ImportAutoConfiguration(ConductorAutoConfiguration.class)), or declare the"
                        + " components in the parent context.");
    }

    /**
     * A component bean is being created in a context whose auto-configuration found no component in the bean
     * definitions (see {@link OnComponentsCondition}): its {@code @Bean} method declares a type without the
     * annotation ({@code factoryMethod}), or it was registered after the configuration classes were read.
     */
    static void failUnseenComponent(String beanName, @Nullable Method factoryMethod) {
        String why = factoryMethod != null
                ? "its @Bean method " + factoryMethod.getName() + "() declares the type "
                        + factoryMethod.getReturnType().getName() + ", which is not a @ConductorComponent"
                : "its bean was registered after Conductor's auto-configuration read the bean definitions";
        throw new InvalidComponentException(beanName, "is a @ConductorComponent that Conductor did not see when it"
                + " configured the context (" + why + "), and the context has no other component, so it has no"
                + " ConductorLifecycle and nothing would set this component up",
                factoryMethod != null
                        ? "Declare the component's class as the @Bean method's return type, or annotate the @Bean"
                                + " method with @ConductorComponent."
                        : "Define the component as a bean (a scanned class or a @Bean method), or set"
                                + " conductor.enabled=false if Conductor should not run it.");
    }
}
