package dev.conductor.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the context's own bean factory may have a {@code @ConductorComponent} bean:
 * <ul>
 * <li>a bean definition whose class or {@code @Bean} method carries the annotation, or an instance registered with
 * {@code registerSingleton} whose class does, when the condition is evaluated (read from the bean definitions, as
 * {@code @ConditionalOnBean} does, so after the application's own configuration);</li>
 * <li>or a bean factory post-processor of the application's own (a bean, or one added to the context), which may
 * register components once the configuration classes have been read: a {@code BeanDefinitionRegistryPostProcessor}
 * that defines them, a {@code BeanFactoryPostProcessor} that registers instances.</li>
 * </ul>
 * An application without either gets none of Conductor's beans, and loads none of their classes.
 *
 * <p>A component this cannot see (a {@code @Bean} method that declares a type without the annotation and returns
 * an instance of an annotated class, a configuration class registered by a registrar) fails the context's start
 * when the bean is created, with a message that says what to do: {@link ComponentCallbacks}.
 */
final class OnComponentsCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (beanFactory == null) {
            return ConditionOutcome.noMatch("no bean factory");
        }
        String component = ComponentAnnotations.firstComponent(beanFactory);
        if (component != null) {
            return ConditionOutcome.match("found @ConductorComponent bean '" + component + "'");
        }
        String postProcessor = applicationPostProcessor(context, beanFactory);
        if (postProcessor != null) {
            return ConditionOutcome.match("the application's bean factory post-processor " + postProcessor
                    + " may register components");
        }
        return ConditionOutcome.noMatch("no @ConductorComponent bean in the context's bean definitions, and no bean"
                + " factory post-processor of the application's");
    }

    private static @Nullable String applicationPostProcessor(ConditionContext context,
            ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(BeanFactoryPostProcessor.class, true, false)) {
            String declaredBy = declaringClass(beanFactory, name);
            if (declaredBy != null && !framework(declaredBy)) {
                return "'" + name + "'";
            }
        }
        if (context.getResourceLoader() instanceof AbstractApplicationContext applicationContext) {
            for (BeanFactoryPostProcessor postProcessor : applicationContext.getBeanFactoryPostProcessors()) {
                if (!framework(postProcessor.getClass().getName())) {
                    return postProcessor.getClass().getName();
                }
            }
        }
        return null;
    }

    /**
     * The class whose code makes the post-processor: a {@code @Bean} method's declaring class (a method may declare
     * Spring's interface and return a lambda of the application's), else the bean's type.
     */
    private static @Nullable String declaringClass(ConfigurableListableBeanFactory beanFactory, String name) {
        if (beanFactory.getBeanDefinition(name) instanceof AnnotatedBeanDefinition annotated
                && annotated.getFactoryMethodMetadata() != null) {
            return annotated.getFactoryMethodMetadata().getDeclaringClassName();
        }
        Class<?> type = beanFactory.getType(name, false);
        return type == null ? null : type.getName();
    }

    /** Spring's, or Conductor's own validator. */
    private static boolean framework(String className) {
        return SpringCode.isSpringCode(className) || className.equals(ComponentValidator.class.getName())
                || className.equals(ConductorAutoConfiguration.LifecycleConfiguration.class.getName());
    }
}
