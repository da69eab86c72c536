package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.spring.ConductorComponent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.util.StringUtils;

/**
 * Reads the component graph out of a bean factory: every {@link ConductorComponent} bean, and as its
 * dependencies every component bean it received by injection, directly or through a chain of plain beans, plus
 * the types its annotation names. Spring records injections as it creates beans, so this runs after the
 * singletons exist.
 */
final class ComponentBeans {

    /**
     * A bean definition attribute that makes a bean a component although its class is not annotated: the
     * replacement that {@code @PatchComponent} puts under a component's name in a test. Its value is the name of
     * the replacement class. The replacement's own {@link ConductorComponent}, if it has one, still applies.
     */
    static final String PATCHED_WITH_ATTRIBUTE = "dev.conductor.spring.patchedWith";

    private static final ConductorComponent PLAIN_COMPONENT = MergedAnnotation.of(ConductorComponent.class)
            .synthesize();

    private final ConfigurableListableBeanFactory beanFactory;

    ComponentBeans(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    ComponentGraph graph() {
        Map<String, ConductorComponent> components = findComponents();
        // create every component first: Spring records a bean's injections only when it creates the bean (lazy beans)
        Map<String, Component> instances = new LinkedHashMap<>();
        components.keySet().forEach(name -> instances.put(name, instance(name)));
        ComponentGraph.Builder graph = ComponentGraph.builder();
        for (Map.Entry<String, ConductorComponent> component : components.entrySet()) {
            String name = component.getKey();
            ConductorComponent annotation = component.getValue();
            Set<String> dependencies = injectedComponents(name, components.keySet());
            dependencies.addAll(declaredDependencies(name, annotation, components.keySet()));
            graph.add(new ComponentDefinition(name, instances.get(name), dependencies,
                    timeout(name, "setupTimeout", annotation.setupTimeout()),
                    timeout(name, "shutdownTimeout", annotation.shutdownTimeout())));
        }
        return graph.build();
    }

    private Map<String, ConductorComponent> findComponents() {
        Map<String, ConductorComponent> components = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            if (definition.isAbstract()) {
                continue;
            }
            ConductorComponent annotation = beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false);
            if (annotation == null && definition.hasAttribute(PATCHED_WITH_ATTRIBUTE)) {
                annotation = PLAIN_COMPONENT;
            }
            if (annotation == null) {
                continue;
            }
            if (!definition.isSingleton()) {
                throw new InvalidComponentException(name, "is a " + definition.getScope() + "-scoped bean",
                        "Make it a singleton: a component is set up once and shut down once.");
            }
            components.put(name, annotation);
        }
        return components;
    }

    private Component instance(String name) {
        Object bean = beanFactory.getBean(name);
        if (!(bean instanceof Component component)) {
            throw new InvalidComponentException(name, "is annotated with @ConductorComponent but its type "
                    + bean.getClass().getName() + " does not implement " + Component.class.getName(),
                    "Implement dev.conductor.core.Component (setup() and shutdown()), or remove @ConductorComponent.");
        }
        return component;
    }

    /** The components reached from the bean's injected dependencies, looking through plain beans. */
    private Set<String> injectedComponents(String name, Set<String> componentNames) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> visited = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(name);
        visited.add(name);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String dependency : beanFactory.getDependenciesForBean(current)) {
                if (!visited.add(dependency)) {
                    continue;
                }
                if (componentNames.contains(dependency)) {
                    found.add(dependency);
                }
                else {
                    queue.add(dependency);
                }
            }
        }
        return found;
    }

    private List<String> declaredDependencies(String name, ConductorComponent annotation, Set<String> componentNames) {
        List<String> dependencies = new ArrayList<>();
        for (Class<?> type : annotation.dependsOn()) {
            List<String> matches = new ArrayList<>(Arrays.asList(beanFactory.getBeanNamesForType(type, false, false)));
            matches.retainAll(componentNames);
            matches.remove(name);
            if (matches.isEmpty()) {
                throw new InvalidComponentException(name, "declares dependsOn = " + type.getName()
                        + ".class, but no @ConductorComponent bean is a " + type.getSimpleName()
                        + ". Known components: " + componentNames,
                        "Declare the " + type.getSimpleName() + " bean with @ConductorComponent, or remove it from"
                                + " dependsOn.");
            }
            dependencies.addAll(matches);
        }
        return dependencies;
    }

    private @Nullable Duration timeout(String name, String attribute, String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(value);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidComponentException(name, "has @ConductorComponent(" + attribute + " = \"" + value
                    + "\"), which is not a duration",
                    "Use Spring Boot's duration format, for example \"500ms\", \"30s\" or \"2m\".");
        }
    }
}
