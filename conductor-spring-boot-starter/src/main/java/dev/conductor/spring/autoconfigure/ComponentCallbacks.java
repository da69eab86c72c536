package dev.conductor.spring.autoconfigure;

import dev.conductor.spring.ConductorComponent;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.MergedBeanDefinitionPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes Conductor the only caller of a component's setup and shutdown methods: Spring must not call them as init
 * or destroy methods. A {@code @Bean}'s inferred destroy method would otherwise call a component's public
 * {@code shutdown()} (or {@code close()}) a second time at context close, after its dependencies are down, also on
 * a component whose setup failed or never ran.
 *
 * <p>For each component bean, the methods Conductor calls are registered as externally managed init and destroy
 * methods, which Spring skips whether they are inferred, declared ({@code @Bean(initMethod, destroyMethod)}) or
 * annotated ({@code @PostConstruct}, {@code @PreDestroy}: this runs first); and destroy-method inference is reduced
 * to what the bean declares by its type ({@code AutoCloseable.close()}, {@code DisposableBean.destroy()}). Every
 * other callback stays Spring's own and runs once. This applies whether or not Conductor is enabled.
 */
final class ComponentCallbacks implements MergedBeanDefinitionPostProcessor, BeanFactoryAware, EnvironmentAware,
        PriorityOrdered {

    private static final String ENABLED_PROPERTY = "conductor.enabled";

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    private @Nullable Environment environment;

    /** Whether this bean factory has a lifecycle bean: once it has one, it keeps it. */
    private volatile boolean lifecycleDefined;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    @Override
    public void postProcessMergedBeanDefinition(RootBeanDefinition definition, Class<?> beanType, String beanName) {
        ConfigurableListableBeanFactory factory = beanFactory;
        if (factory == null || !factory.containsBeanDefinition(beanName)) {
            return; // an inner bean, or no listable bean factory
        }
        ConductorComponent annotation = ComponentAnnotations.annotation(factory, beanName, definition);
        boolean definitionShowsIt = annotation != null;
        if (annotation == null) {
            annotation = ComponentAnnotations.instanceAnnotation(definition, beanType);
            if (annotation == null) {
                return;
            }
            ComponentAnnotations.foundOnInstance(factory, beanName, definition, ClassUtils.getUserClass(beanType));
        }
        requireLifecycle(factory, beanName, definition, definitionShowsIt);
        if (AbstractBeanDefinition.INFER_METHOD.equals(definition.getDestroyMethodName())) {
            definition.setDestroyMethodName(null); // Spring still calls AutoCloseable.close(), DisposableBean.destroy()
        }
        ComponentMethods methods = ComponentMethods.of(annotation, beanType);
        if (methods.setup() != null) {
            definition.registerExternallyManagedInitMethod(methods.setup());
        }
        if (methods.shutdown() != null) {
            definition.registerExternallyManagedDestroyMethod(methods.shutdown());
        }
    }

    /**
     * Fails the creation of a component bean in a bean factory that has no {@link ConductorLifecycle} although
     * Conductor is enabled: the auto-configuration found no component when it read the bean definitions (see
     * {@link OnComponentsCondition}), so nothing would set this one up.
     */
    private void requireLifecycle(ConfigurableListableBeanFactory factory, String beanName,
            RootBeanDefinition definition, boolean definitionShowsIt) {
        Environment current = environment;
        if (current == null || !current.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
            return;
        }
        if (hasLifecycle(factory)) {
            if (!definitionShowsIt) {
                MissingLifecycle.failIfStartedWithout(factory, beanName, definition);
            }
            return;
        }
        if (definitionShowsIt) {
            MissingLifecycle.failUnseenDefinition(beanName);
        }
        else {
            MissingLifecycle.failUnseenInstance(beanName, definition.getResolvedFactoryMethod(),
                    ComponentAnnotations.declaredType(definition));
        }
    }

    private boolean hasLifecycle(ConfigurableListableBeanFactory factory) {
        if (!lifecycleDefined) {
            lifecycleDefined = factory.getBeanNamesForType(ConductorLifecycle.class, false, false).length > 0;
        }
        return lifecycleDefined;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before the @PostConstruct/@PreDestroy processor reads the same methods
    }
}
