package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;

/**
 * Hands each component bean of this bean factory to the {@link ConductorLifecycle} as soon as it is ready, so that
 * its setup can start while the context goes on creating its other beans. A bean is ready once it is registered as
 * a singleton: every post-processor has run, so the object Conductor calls is the one the context hands out (the
 * proxy, when there is one). That is seen at the next bean the context begins to create, or at the latest when
 * the lifecycle starts. A component made by a {@code FactoryBean}, or registered as an instance, starts with the
 * lifecycle.
 *
 * <p>When a setup started early fails, the next bean the context begins to create fails with that failure,
 * after the components already active were shut down again; a bean blocked in its creation meanwhile is
 * interrupted.
 */
final class EarlyStart implements InstantiationAwareBeanPostProcessor, BeanFactoryAware {

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    private @Nullable Set<String> componentNames;

    /** Components whose bean was initialized but is not registered yet; guarded by this. */
    private final List<String> pending = new ArrayList<>();

    /** Whether this thread is handing components over: beans it creates meanwhile do not hand over again. */
    private final ThreadLocal<Boolean> handingOver = new ThreadLocal<>();

    private @Nullable ConductorLifecycle lifecycle;

    private boolean noLifecycle;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    @Override
    public @Nullable Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
        handOver();
        return null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof FactoryBean<?>) && componentNames().contains(beanName)) {
            synchronized (this) {
                pending.add(beanName);
            }
        }
        handOver();
        return bean;
    }

    private Set<String> componentNames() {
        Set<String> names = componentNames;
        ConfigurableListableBeanFactory factory = beanFactory;
        if (names == null) {
            names = factory == null ? Set.of() : Set.copyOf(ComponentBeans.definedComponents(factory).keySet());
            componentNames = names;
        }
        return names;
    }

    /** Hands over the pending components that are registered by now, then fails the bean when a setup failed. */
    private void handOver() {
        if (handingOver.get() != null) {
            return;
        }
        handingOver.set(Boolean.TRUE);
        try {
            ConductorLifecycle current = lifecycle();
            if (current == null) {
                return;
            }
            for (String name : registered()) {
                current.componentReady(name);
            }
            ConductorException failure = current.earlyFailure();
            if (failure != null) {
                throw failure;
            }
        }
        finally {
            handingOver.remove();
        }
    }

    private synchronized List<String> registered() {
        ConfigurableListableBeanFactory factory = beanFactory;
        if (pending.isEmpty() || factory == null) {
            return List.of();
        }
        List<String> ready = new ArrayList<>();
        for (Iterator<String> names = pending.iterator(); names.hasNext();) {
            String name = names.next();
            if (factory.getSingleton(name) != null) {
                names.remove();
                ready.add(name);
            }
        }
        return ready;
    }

    /** This bean factory's lifecycle (not a parent's), created on first need; {@code null} when there is none. */
    private synchronized @Nullable ConductorLifecycle lifecycle() {
        ConductorLifecycle current = lifecycle;
        ConfigurableListableBeanFactory factory = beanFactory;
        if (current != null || noLifecycle || factory == null) {
            return current;
        }
        if (pending.isEmpty()) {
            return null; // nothing to hand over yet: do not create it before it is needed
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
