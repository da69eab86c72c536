package dev.conductor.spring.autoconfigure;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Fails the refresh of a descendant context that has {@code @ConductorComponent} beans but no
 * {@link ConductorLifecycle} of its own (a child context that a framework creates without auto-configuration):
 * nothing would set its components up. Descendants' refresh events reach their ancestors' listeners, which is how
 * this sees them; failing the event fails the child's refresh.
 */
final class ChildContextGuard implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

    private @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
        this.context = applicationContext;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext() == context
                || !(event.getApplicationContext() instanceof ConfigurableApplicationContext child)
                || !child.getEnvironment().getProperty("conductor.enabled", Boolean.class, true)) {
            return;
        }
        ConfigurableListableBeanFactory beanFactory = child.getBeanFactory();
        if (beanFactory.getBeanNamesForType(ConductorLifecycle.class, true, false).length > 0) {
            return;
        }
        Set<String> components = ComponentBeans.definedComponents(beanFactory).keySet();
        if (!components.isEmpty()) {
            MissingLifecycle.failChild(child.getId(), components);
        }
    }
}
