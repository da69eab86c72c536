package dev.conductor.spring.test;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedGenericBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.core.ResolvableType;
import org.springframework.core.style.ToStringCreator;
import org.springframework.test.context.bean.override.BeanOverrideHandler;
import org.springframework.test.context.bean.override.BeanOverrideStrategy;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Puts the replacement of one {@link PatchComponent} in its component's place: it swaps the component's bean
 * definition for one of the replacement class under the same name, so that Spring creates, wires and
 * post-processes the replacement like any bean and never creates the original.
 *
 * <p>Spring's bean override support registers what {@link #createOverrideInstance} returns as a singleton, but a
 * bean must not be created while bean factory post-processors run. So the override is only a handle, under a
 * name of its own, through which the test field reaches the live replacement; it is invisible to lookups by
 * type. The swap itself happens in {@link #trackOverrideInstance}, the first point that has the bean factory.
 */
final class PatchComponentHandler extends BeanOverrideHandler {

    /** Mirrors {@code dev.conductor.spring.autoconfigure.ComponentAnnotations.PATCHED_WITH_ATTRIBUTE}. */
    static final String PATCHED_WITH_ATTRIBUTE = "dev.conductor.spring.patchedWith";

    private final Class<?> target;

    private final boolean inferred;

    private final Class<?> replacement;

    private final String declaration;

    /**
     * @param target the type the component must have or, when {@code inferred}, the type that must be able to
     *        stand in for it
     * @param declaration where the patch is declared, for messages: not part of the cache key
     */
    PatchComponentHandler(@Nullable Field field, Class<?> target, boolean inferred, Class<?> replacement,
            String declaration) {
        super(field, ResolvableType.forClass(LiveReplacement.class), handleName(target, inferred, replacement), "",
                BeanOverrideStrategy.REPLACE_OR_CREATE);
        this.target = target;
        this.inferred = inferred;
        this.replacement = replacement;
        this.declaration = declaration;
    }

    private static String handleName(Class<?> target, boolean inferred, Class<?> replacement) {
        return PatchComponent.class.getName() + "(" + (inferred ? "any component of " : "") + target.getName()
                + " with " + replacement.getName() + ")";
    }

    @Override
    protected Object createOverrideInstance(String beanName, @Nullable BeanDefinition existingBeanDefinition,
            @Nullable Object existingBeanInstance) {
        return new LiveReplacement();
    }

    @Override
    protected void trackOverrideInstance(Object override, SingletonBeanRegistry singletonBeanRegistry) {
        Assert.state(singletonBeanRegistry instanceof ConfigurableListableBeanFactory
                && singletonBeanRegistry instanceof BeanDefinitionRegistry,
                () -> "@PatchComponent needs a bean factory that is a BeanDefinitionRegistry, but got "
                        + singletonBeanRegistry.getClass().getName());
        ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) singletonBeanRegistry;
        BeanDefinitionRegistry registry = (BeanDefinitionRegistry) singletonBeanRegistry;
        String component = selectComponent(beanFactory);
        BeanDefinition original = registry.getBeanDefinition(component);
        Object patchedWith = original.getAttribute(PATCHED_WITH_ATTRIBUTE);
        if (patchedWith != null) {
            throw new IllegalStateException("Unable to patch component '" + component + "' with "
                    + replacement.getName() + " for " + declaration + ": it is already patched with " + patchedWith);
        }
        registry.removeBeanDefinition(component);
        registry.registerBeanDefinition(component, replacementDefinition(original));
        // The handle is no component and no candidate for injection, and its object is never post-processed again.
        BeanDefinition handle = registry.getBeanDefinition(Objects.requireNonNull(getBeanName()));
        handle.setAutowireCandidate(false);
        if (handle instanceof AbstractBeanDefinition definition) {
            definition.setSynthetic(true);
        }
        ((LiveReplacement) override).bind(beanFactory, component);
    }

    private String selectComponent(ConfigurableListableBeanFactory beanFactory) {
        Map<String, @Nullable Class<?>> components = findComponents(beanFactory);
        List<String> matches = new ArrayList<>();
        components.forEach((name, type) -> {
            if (type != null && canReplace(type)) {
                matches.add(name);
            }
        });
        String wanted = inferred ? "that a " + target.getName() + " can replace"
                : "of type " + target.getName();
        if (matches.size() > 1) {
            throw new IllegalStateException("Unable to select a component to patch for " + declaration + ": found "
                    + matches.size() + " @ConductorComponent beans " + wanted + ": " + matches
                    + ". Set 'target' to a type that only one of them has");
        }
        if (matches.isEmpty() && !inferred) {
            Set<String> others = new LinkedHashSet<>(Arrays.asList(beanFactory.getBeanNamesForType(target, true,
                    false)));
            others.removeIf(name -> name.equals(getBeanName()));
            if (!others.isEmpty()) {
                throw new IllegalStateException("Unable to patch a component for " + declaration
                        + ": expected a @ConductorComponent bean of type " + target.getName()
                        + ", but found only beans that are not components: " + others);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalStateException("Unable to patch a component for " + declaration
                    + ": there is no @ConductorComponent bean " + wanted + ". Components: "
                    + components.keySet());
        }
        return matches.get(0);
    }

    /** The components by name, with their types as far as known before any bean exists. */
    private static Map<String, @Nullable Class<?>> findComponents(ConfigurableListableBeanFactory beanFactory) {
        Map<String, @Nullable Class<?>> components = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (!definition.isAbstract() && (definition.hasAttribute(PATCHED_WITH_ATTRIBUTE)
                    || beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false) != null)) {
                components.put(name, beanFactory.getType(name, false));
            }
        }
        return components;
    }

    /**
     * Whether a component of the given type is the target: of the target type, or when inferred, sharing a
     * subtype of {@link Component} with it.
     */
    private boolean canReplace(Class<?> componentType) {
        if (!inferred) {
            return target.isAssignableFrom(componentType);
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(target)) {
            if (sharedComponentType(type, componentType)) {
                return true;
            }
        }
        for (Class<?> type = target; type != null; type = type.getSuperclass()) {
            if (sharedComponentType(type, componentType)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sharedComponentType(Class<?> type, Class<?> componentType) {
        return type != Component.class && Component.class.isAssignableFrom(type)
                && type.isAssignableFrom(componentType);
    }

    private BeanDefinition replacementDefinition(BeanDefinition original) {
        AnnotatedGenericBeanDefinition definition = new AnnotatedGenericBeanDefinition(replacement);
        AnnotationConfigUtils.processCommonDefinitionAnnotations(definition);
        // Beans that chose the original by qualifier or as the primary candidate still find the replacement.
        definition.setPrimary(definition.isPrimary() || original.isPrimary());
        definition.setFallback(definition.isFallback() || original.isFallback());
        if (original instanceof AbstractBeanDefinition originalDefinition) {
            definition.copyQualifiersFrom(originalDefinition);
        }
        definition.setAttribute(PATCHED_WITH_ATTRIBUTE, replacement.getName());
        definition.setDescription("Replacement of the component by @PatchComponent");
        return definition;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (!super.equals(other)) {
            return false;
        }
        PatchComponentHandler that = (PatchComponentHandler) other;
        return target == that.target && inferred == that.inferred && replacement == that.replacement;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), target, inferred, replacement);
    }

    @Override
    public String toString() {
        return new ToStringCreator(this).append("target", inferred ? "any component of " + target.getName()
                : target.getName()).append("with", replacement.getName()).append("field", getField()).toString();
    }

    /**
     * The bean through which the test field reaches the replacement: a factory that hands out the bean under
     * the component's name. Its object type is unknown to Spring, so that lookups by type find the replacement
     * once, under the component's name.
     */
    static final class LiveReplacement implements FactoryBean<Object> {

        private volatile @Nullable BeanFactory beanFactory;

        private volatile @Nullable String component;

        void bind(BeanFactory beanFactory, String component) {
            this.beanFactory = beanFactory;
            this.component = component;
        }

        @Override
        public Object getObject() {
            BeanFactory factory = beanFactory;
            String name = component;
            Assert.state(factory != null && name != null, "The patched component is not known yet");
            return factory.getBean(name);
        }

        @Override
        public @Nullable Class<?> getObjectType() {
            return null;
        }
    }
}
