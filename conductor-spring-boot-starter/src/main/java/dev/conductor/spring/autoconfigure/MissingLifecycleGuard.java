package dev.conductor.spring.autoconfigure;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Fails the refresh of a context that has {@code @ConductorComponent} beans but no {@link ConductorLifecycle}, so
 * that nothing would set them up, where {@link ComponentCallbacks} cannot see it when the bean is created:
 * <ul>
 * <li>a descendant context without Conductor's auto-configuration (a child context that a framework creates):
 * descendants' refresh events reach their ancestors' listeners, which is how this sees them;</li>
 * <li>this context, for a component bean that was never created (lazy) and whose definition was registered after
 * the auto-configuration looked for components ({@link OnComponentsCondition}).</li>
 * </ul>
 * Failing the event fails that context's refresh. Nothing is checked with {@code conductor.enabled=false}.
 */
final class MissingLifecycleGuard implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

    private @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
        this.context = applicationContext;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (!(event.getApplicationContext() instanceof ConfigurableApplicationContext refreshed)
                || !refreshed.getEnvironment().getProperty("conductor.enabled", Boolean.class, true)) {
            return;
        }
        ConfigurableListableBeanFactory beanFactory = refreshed.getBeanFactory();
        if (beanFactory.getBeanNamesForType(ConductorLifecycle.class, true, false).length > 0) {
            return;
        }
        if (refreshed != context) {
            Set<String> components = ComponentBeans.definedComponents(beanFactory).keySet();
            if (!components.isEmpty()) {
                MissingLifecycle.failChild(beanFactory, refreshed.getId(), components);
            }
            return;
        }
        checkNotCreated(beanFactory);
    }

    private static void checkNotCreated(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            if (beanFactory.containsSingleton(name)) {
                continue; // created: ComponentCallbacks looked at it then
            }
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            if (!definition.isAbstract() && ComponentAnnotations.annotation(beanFactory, name, definition) != null) {
                MissingLifecycle.failUnseenDefinition(name);
            }
        }
    }
}
