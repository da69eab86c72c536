package dev.conductor.spring.autoconfigure;

import dev.conductor.spring.ConductorComponent;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Checks the component bean definitions before any singleton is created, so that an application with a component
 * Conductor cannot run fails fast: a scope other than singleton, a type that is not a {@code Component} and names
 * no methods, a named method that does not exist, a timeout that is not a duration. It runs after the placeholder
 * configurer (it is only {@link Ordered}). What the definitions cannot tell (an interface or {@code Object} as the
 * {@code @Bean} method's return type, expressions in timeouts) is checked again on the instances when the
 * components are set up.
 */
final class ComponentValidator implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    /** Set by Spring Boot while it processes the application ahead of time. */
    private static final String AOT_PROCESSING = "spring.aot.processing";

    private Environment environment = new StandardEnvironment();

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        Map<String, ConductorComponent> components = ComponentBeans.definedComponents(beanFactory);
        if (components.isEmpty()) {
            return; // nothing to check, and nothing to bind or load for it
        }
        // timeouts may depend on the environment at run time, not at build time
        boolean aotProcessing = Boolean.getBoolean(AOT_PROCESSING);
        ComponentTimeouts timeouts = ComponentTimeouts.early(beanFactory, environment);
        ConductorProperties.SetupRetry retryDefaults = aotProcessing ? null : retryDefaults();
        for (Map.Entry<String, ConductorComponent> component : components.entrySet()) {
            String name = component.getKey();
            ConductorComponent annotation = component.getValue();
            Class<?> type = checkableType(beanFactory.getType(name, false));
            if (type != null) {
                ComponentMethods.of(annotation, type).check(name, type);
            }
            if (!aotProcessing) {
                timeouts.resolve(name, "setupTimeout", annotation.setupTimeout());
                timeouts.resolve(name, "shutdownTimeout", annotation.shutdownTimeout());
                RetryPolicies.of(name, annotation.setupRetry(), retryDefaults, timeouts);
            }
        }
    }

    /**
     * The {@code conductor.setup-retry.*} properties that a component's {@code @SetupRetry} attributes fall back
     * on, bound early; Spring Boot's defaults when they cannot be bound yet (the lifecycle checks them again).
     */
    private ConductorProperties.SetupRetry retryDefaults() {
        try {
            return Binder.get(environment).bindOrCreate("conductor.setup-retry", ConductorProperties.SetupRetry.class);
        }
        catch (RuntimeException ex) {
            return new ConductorProperties.SetupRetry(); // the properties' binding reports what is wrong with them
        }
    }

    /** The type to check, or {@code null} when the object may still turn out to have what is needed. */
    private static @Nullable Class<?> checkableType(@Nullable Class<?> type) {
        if (type == null || type.isInterface() || type == Object.class) {
            return null;
        }
        return type;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
