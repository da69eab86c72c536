package dev.conductor.spring.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the context's own bean factory has a {@code @ConductorComponent} bean when the condition is
 * evaluated: a bean definition whose class or {@code @Bean} method carries the annotation (read from the bean
 * definitions, as {@code @ConditionalOnBean} does, so after the application's own configuration), or an instance
 * registered with {@code registerSingleton} whose class does. An application without components gets none of
 * Conductor's beans, and loads none of their classes.
 *
 * <p>A component this cannot see (a {@code @Bean} method that declares a type without the annotation and returns
 * an instance of an annotated class, or a bean registered after the configuration classes were read) fails the
 * context's start when the bean is created, with a message that says what to do: {@link ComponentCallbacks}.
 */
final class OnComponentsCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        String component = beanFactory == null ? null : ComponentAnnotations.firstComponent(beanFactory);
        return component == null
                ? ConditionOutcome.noMatch("no @ConductorComponent bean in the context's bean definitions")
                : ConditionOutcome.match("found @ConductorComponent bean '" + component + "'");
    }
}
