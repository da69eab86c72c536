package dev.conductor.spring.autoconfigure;

import dev.conductor.spring.ConductorComponent;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

/**
 * Which beans of a bean factory are components, and their {@link ConductorComponent}: from a bean definition, from
 * an instance a {@code @Bean} method returned, or from an instance registered with {@code registerSingleton}.
 * Nothing here checks that a component can be run (see {@link ComponentBeans}), so this is all that an application
 * without components loads to find out that it has none.
 */
final class ComponentAnnotations {

    /**
     * A bean definition attribute that makes a bean a component although its class is not annotated: the
     * replacement that {@code @PatchComponent} puts under a component's name in a test. Its value is the name of
     * the replacement class. The replacement's own {@link ConductorComponent}, if it has one, still applies.
     */
    static final String PATCHED_WITH_ATTRIBUTE = "dev.conductor.spring.patchedWith";

    /**
     * A bean definition attribute that records a component only its instance showed (see
     * {@link #instanceAnnotation(RootBeanDefinition, Class)}): its value is the instance's class. Once the bean is
     * proxied, its type no longer shows it (an interface-based proxy of an interface the definition declares).
     */
    static final String FOUND_ON_INSTANCE_ATTRIBUTE = "dev.conductor.spring.componentFoundOnInstance";

    private ComponentAnnotations() {
    }

    /**
     * The {@code @ConductorComponent} of the bean defined as {@code name}, on its class or its {@code @Bean}
     * method, or the plain one of a {@code @PatchComponent} replacement; {@code null} for any other bean.
     */
    static @Nullable ConductorComponent annotation(ConfigurableListableBeanFactory beanFactory, String name,
            BeanDefinition definition) {
        if (definition.getAttribute(FOUND_ON_INSTANCE_ATTRIBUTE) instanceof Class<?> instanceClass) {
            return annotationOf(instanceClass);
        }
        boolean patched = definition.hasAttribute(PATCHED_WITH_ATTRIBUTE);
        if (!patched && ComponentCandidates.ruledOut(beanFactory, name)) {
            return null;
        }
        ConductorComponent annotation = beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false);
        if (annotation == null && definition instanceof RootBeanDefinition root) {
            annotation = returnTypeAnnotation(root);
        }
        if (annotation == null && patched) {
            annotation = PlainComponent.ANNOTATION;
        }
        return annotation;
    }

    /**
     * The annotation of the class a {@code @Bean} method declares, which the bean factory does not look at once the
     * instance is of another class: an interface-based proxy of an annotated class ({@code @Transactional} without
     * class-based proxies) is still that component.
     */
    private static @Nullable ConductorComponent returnTypeAnnotation(RootBeanDefinition definition) {
        Method factoryMethod = definition.getResolvedFactoryMethod();
        return factoryMethod == null || FactoryBean.class.isAssignableFrom(factoryMethod.getReturnType()) ? null
                : annotationOf(factoryMethod.getReturnType());
    }

    /**
     * Records on the bean's definitions (the registered one and the merged one) that its instance is a component
     * of class {@code instanceClass}, which its definition did not show.
     */
    static void foundOnInstance(ConfigurableListableBeanFactory beanFactory, String name,
            RootBeanDefinition merged, Class<?> instanceClass) {
        merged.setAttribute(FOUND_ON_INSTANCE_ATTRIBUTE, instanceClass);
        beanFactory.getBeanDefinition(name).setAttribute(FOUND_ON_INSTANCE_ATTRIBUTE, instanceClass);
    }

    private static @Nullable ConductorComponent annotationOf(Class<?> type) {
        MergedAnnotation<ConductorComponent> annotation = MergedAnnotations
                .from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY).get(ConductorComponent.class);
        return annotation.isPresent() ? annotation.synthesize() : null;
    }

    /**
     * The name of the first component bean of the bean factory, defined or registered, or {@code null} when it has
     * none; without checking that the components can be run. Used before any bean exists, to decide whether the
     * context needs Conductor at all.
     */
    static @Nullable String firstComponent(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            try {
                BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
                if (!definition.isAbstract() && annotation(beanFactory, name, definition) != null) {
                    return name;
                }
            }
            catch (BeansException ex) {
                // a definition that cannot be read yet (a placeholder not resolved before the configuration is
                // complete, a class that cannot be loaded): as @ConditionalOnBean does, not a match; the bean's
                // creation and the validator look at it again
            }
        }
        Map<String, ConductorComponent> registered = registeredComponents(beanFactory);
        return registered.isEmpty() ? null : registered.keySet().iterator().next();
    }

    /**
     * The {@code @ConductorComponent} of a bean that {@link #annotation(ConfigurableListableBeanFactory, String,
     * BeanDefinition)} cannot see from its definition: an instance of an annotated class where the definition
     * declares a type without the annotation (a {@code @Bean} method's return type, or the type a bean was
     * registered with, such as an interface the component implements). {@code null} for every other bean, and
     * for one whose class is the type its definition declares.
     */
    static @Nullable ConductorComponent instanceAnnotation(RootBeanDefinition definition, Class<?> beanType) {
        Class<?> type = ClassUtils.getUserClass(beanType);
        return type == declaredType(definition) ? null : annotationOf(type);
    }

    /**
     * The type a bean definition declares: its {@code @Bean} method's return type, or its bean class; {@code null}
     * when it declares neither.
     */
    static @Nullable Class<?> declaredType(RootBeanDefinition definition) {
        Method factoryMethod = definition.getResolvedFactoryMethod();
        if (factoryMethod != null) {
            return factoryMethod.getReturnType();
        }
        return definition.getFactoryMethodName() == null && definition.hasBeanClass() ? definition.getBeanClass()
                : null;
    }

    /** Instances registered with {@code registerSingleton} whose class is a {@code @ConductorComponent}. */
    static Map<String, ConductorComponent> registeredComponents(ConfigurableListableBeanFactory beanFactory) {
        Map<String, ConductorComponent> components = new LinkedHashMap<>();
        for (String name : beanFactory.getSingletonNames()) {
            if (beanFactory.containsBeanDefinition(name)) {
                continue;
            }
            Object instance = beanFactory.getSingleton(name);
            if (instance == null) {
                continue;
            }
            ConductorComponent annotation = annotationOf(ClassUtils.getUserClass(instance));
            if (annotation != null) {
                components.put(name, annotation);
            }
        }
        return components;
    }

    /** A {@code @ConductorComponent} with every attribute at its default, made on first need (tests only). */
    private static final class PlainComponent {

        static final ConductorComponent ANNOTATION = MergedAnnotation.of(ConductorComponent.class).synthesize();
    }
}
