package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;

/**
 * Hands each component bean of this bean factory to the {@link ConductorLifecycle} the moment it becomes available
 * as a singleton, so that its setup can start while the context goes on creating its other beans (its dependents
 * first, when it was created as their dependency). By then every post-processor has run, so the object Conductor
 * calls is the one the context hands out (the proxy, when there is one). A component made by a
 * {@code FactoryBean}, or registered as an instance, starts with the lifecycle.
 *
 * <p>When a setup started early fails, the next bean the context begins to create fails with that failure, after
 * the components already active were shut down again; a bean blocked in its creation meanwhile is interrupted.
 */
final class EarlyStart implements InstantiationAwareBeanPostProcessor, BeanFactoryAware {

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    /** Whether this thread is handing a component over: beans it creates meanwhile do not look again. */
    private final ThreadLocal<Boolean> handingOver = new ThreadLocal<>();

    private volatile @Nullable ConductorLifecycle lifecycle;

    private boolean noLifecycle;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
            // the bean definitions are complete: post-processors are created after the factory's post-processing
            java.util.Set<String> components = ComponentBeans.definedComponents(listable).keySet();
            if (!components.isEmpty()) {
                ConductorWarmUp.startOnce(); // on another CPU while the context creates the beans before them
            }
            for (String name : components) {
                listable.addSingletonCallback(name, singleton -> {
                    if (!(singleton instanceof FactoryBean<?>)) {
                        handOver(name);
                    }
                });
            }
        }
    }

    @Override
    public @Nullable Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
        ConductorLifecycle current = lifecycle;
        if (current != null && handingOver.get() == null) {
            ConductorException failure = current.earlyFailure();
            if (failure != null) {
                throw failure;
            }
        }
        return null;
    }

    private void handOver(String name) {
        if (handingOver.get() != null) {
            return;
        }
        handingOver.set(Boolean.TRUE);
        try {
            ConductorLifecycle current = lifecycle();
            if (current != null) {
                current.componentReady(name);
            }
        }
        finally {
            handingOver.remove();
        }
    }

    /** This bean factory's lifecycle (not a parent's), created on first need; {@code null} when there is none. */
    private synchronized @Nullable ConductorLifecycle lifecycle() {
        ConductorLifecycle current = lifecycle;
        ConfigurableListableBeanFactory factory = beanFactory;
        if (current != null || noLifecycle || factory == null) {
            return current;
        }
        String[] names = factory.getBeanNamesForType(ConductorLifecycle.class, false, false);
        if (names.length != 1) {
            noLifecycle = true;
            return null;
        }
        current = factory.getBean(names[0], ConductorLifecycle.class);
        current.refreshThread(Thread.currentThread());
        lifecycle = current;
        return current;
    }
}
