package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentDefinition;
import dev.conductor.core.ComponentGraph;
import dev.conductor.spring.ConductorComponent;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.Lifecycle;
import org.springframework.context.Phased;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;
import org.springframework.util.ClassUtils;

/**
 * Reads the component graph out of a bean factory: every {@link ConductorComponent} bean (a bean definition, or
 * an instance registered with {@code registerSingleton} whose class is annotated), and as its dependencies every
 * component bean it received by injection, directly or through a chain of plain beans, plus the types its
 * annotation names. Spring records injections as it creates beans, so this runs after the singletons exist. Only
 * this bean factory's beans are components here: a parent context runs its own.
 */
final class ComponentBeans {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ConfigurableListableBeanFactory beanFactory;

    /**
     * The lifecycle beans: the components started early are registered as their dependencies (so that a failed
     * refresh rolls them back first), which no walk from a component may follow.
     */
    private final Set<String> lifecycles;

    ComponentBeans(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        this.lifecycles = Set.of(beanFactory.getBeanNamesForType(ConductorLifecycle.class, false, false));
    }

    ComponentGraph graph() {
        return graph(List.of());
    }

    /**
     * The graph, beginning with the components already started early, in the order they were started, with the
     * same instances.
     */
    ComponentGraph graph(List<ComponentDefinition> startedEarly) {
        Map<String, ConductorComponent> components = components();
        Map<String, ConductorComponent> ordered = new LinkedHashMap<>();
        Map<String, Component> instances = new LinkedHashMap<>();
        for (ComponentDefinition early : startedEarly) {
            ordered.put(early.name(), components.get(early.name()));
            instances.put(early.name(), early.component());
        }
        components.forEach(ordered::putIfAbsent);
        // create every component first: Spring records a bean's injections only when it creates the bean (lazy beans)
        ordered.forEach((name, annotation) -> instances.computeIfAbsent(name, key -> instance(key, annotation)));
        ComponentTimeouts timeouts = ComponentTimeouts.of(beanFactory);
        ComponentGraph.Builder graph = ComponentGraph.builder();
        for (Map.Entry<String, ConductorComponent> component : ordered.entrySet()) {
            graph.add(definition(component.getKey(), component.getValue(), instances.get(component.getKey()),
                    components.keySet(), timeouts));
        }
        return graph.build();
    }

    /** The definition of a component, with its instance, its dependencies among {@code componentNames}, timeouts. */
    ComponentDefinition definition(String name, ConductorComponent annotation, Component instance,
            Set<String> componentNames, ComponentTimeouts timeouts) {
        Set<String> dependencies = injectedComponents(name, componentNames);
        dependencies.addAll(declaredDependencies(name, annotation, componentNames));
        return new ComponentDefinition(name, instance, dependencies,
                timeouts.resolve(name, "setupTimeout", annotation.setupTimeout()),
                timeouts.resolve(name, "shutdownTimeout", annotation.shutdownTimeout()));
    }

    /**
     * The first bean, reached from the component through its injected dependencies and plain beans (not through
     * other components, whose own start covers theirs), that is only usable once the context's lifecycle has
     * started: a {@link Lifecycle} that is not running yet, or a {@link SmartInitializingSingleton} of this bean
     * factory (its {@code afterSingletonsInstantiated()} runs once every singleton exists); {@code null} when
     * there is none.
     */
    @Nullable String notUsableBeforeLifecycleStart(String name, Set<String> componentNames) {
        return firstReached(name, componentNames, false);
    }

    /**
     * The first {@link Lifecycle} bean reached from the component as for
     * {@link #notUsableBeforeLifecycleStart(String, Set)} that is not running: asked when the context's lifecycle
     * starts Conductor's, it is one Spring starts only after Conductor's (a higher phase, or one not started
     * automatically); {@code null} when there is none.
     */
    @Nullable String lifecycleNotRunning(String name, Set<String> componentNames) {
        return firstReached(name, componentNames, true);
    }

    /** The phase Spring starts a {@link Lifecycle} bean in: its own when it is {@link Phased}, else 0. */
    int phase(String name) {
        for (Object instance : instances(name)) {
            if (instance instanceof Lifecycle && instance instanceof Phased phased) {
                return phased.getPhase();
            }
        }
        return 0;
    }

    private @Nullable String firstReached(String name, Set<String> componentNames, boolean lifecyclesOnly) {
        Set<String> visited = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(name);
        visited.add(name);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String dependency : beanFactory.getDependenciesForBean(current)) {
                if (!visited.add(dependency) || componentNames.contains(dependency) || lifecycles.contains(dependency)) {
                    continue;
                }
                if (notUsableBeforeLifecycleStart(dependency, lifecyclesOnly)) {
                    return dependency;
                }
                queue.add(dependency);
            }
        }
        return null;
    }

    private boolean notUsableBeforeLifecycleStart(String name, boolean lifecyclesOnly) {
        boolean local = beanFactory.containsLocalBean(name);
        for (Object instance : instances(name)) {
            if (notUsable(instance, local && !lifecyclesOnly)) {
                return true;
            }
        }
        return false;
    }

    /** The singleton of {@code name} as far as it exists: a local one only once created; a factory and its product. */
    private List<Object> instances(String name) {
        boolean local = beanFactory.containsLocalBean(name);
        Object instance = local ? beanFactory.getSingleton(name) : null;
        if (!local && beanFactory.containsBean(name) && beanFactory.isSingleton(name)) {
            instance = beanFactory.getBean(name); // a parent context's, created and started with it
        }
        List<Object> instances = new ArrayList<>(2);
        if (instance instanceof FactoryBean<?> factory) {
            instances.add(factory);
            instance = factory.isSingleton() ? beanFactory.getBean(name) : null;
        }
        if (instance != null) {
            instances.add(instance);
        }
        return instances;
    }

    private static boolean notUsable(Object instance, boolean initializing) {
        if (instance instanceof Lifecycle lifecycle && !(instance instanceof ConductorLifecycle)
                && !lifecycle.isRunning()) {
            return true;
        }
        return initializing && instance instanceof SmartInitializingSingleton;
    }

    /** Every component bean of this bean factory, with its annotation. */
    Map<String, ConductorComponent> components() {
        Map<String, ConductorComponent> components = new LinkedHashMap<>(definedComponents(beanFactory));
        components.putAll(ComponentAnnotations.registeredComponents(beanFactory));
        return components;
    }

    /**
     * The components defined by bean definitions, checked to be singletons.
     *
     * @throws InvalidComponentException for a component bean of another scope
     */
    static Map<String, ConductorComponent> definedComponents(ConfigurableListableBeanFactory beanFactory) {
        Map<String, ConductorComponent> components = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            if (definition.isAbstract()) {
                continue;
            }
            ConductorComponent annotation = ComponentAnnotations.annotation(beanFactory, name, definition);
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

    Component instance(String name, ConductorComponent annotation) {
        Object bean = beanFactory.getBean(name);
        Class<?> type = AopUtils.getTargetClass(bean);
        ComponentMethods methods = ComponentMethods.of(annotation, type);
        methods.check(name, type);
        Method setup = ComponentMethods.find(name, type, "setupMethod", methods.setup());
        Method shutdown = ComponentMethods.find(name, type, "shutdownMethod", methods.shutdown());
        refuseAsync(name, bean, type, "setup", setup);
        refuseAsync(name, bean, type, "shutdown", shutdown);
        if (!methods.named()) {
            return (Component) bean;
        }
        return new BeanMethodComponent(bean, invocable(name, bean, setup), invocable(name, bean, shutdown));
    }

    /** The method to call on the bean itself, which may be a proxy of {@code method}'s class. */
    private static @Nullable Method invocable(String name, Object bean, @Nullable Method method) {
        if (method == null) {
            return null;
        }
        try {
            return AopUtils.selectInvocableMethod(method, bean.getClass());
        }
        catch (IllegalStateException ex) {
            throw new InvalidComponentException(name, "names " + method.getName() + "() as a lifecycle method, but"
                    + " the bean is a proxy (" + bean.getClass().getName() + ") that does not expose it",
                    "Proxy the target class (proxyTargetClass = true), or declare the method on an interface the"
                            + " proxy implements.");
        }
    }

    /**
     * Refuses a setup or shutdown that {@code @Async} would run on another thread: the call would return at once,
     * and Conductor would treat the component as active (or down) before it is.
     */
    private static void refuseAsync(String name, Object bean, Class<?> type, String kind, @Nullable Method method) {
        if (method == null || !(bean instanceof Advised advised)) {
            return;
        }
        for (Advisor advisor : advised.getAdvisors()) {
            if (advisor instanceof AsyncAnnotationAdvisor && advisor instanceof PointcutAdvisor pointcutAdvisor) {
                Pointcut pointcut = pointcutAdvisor.getPointcut();
                if (pointcut.getClassFilter().matches(type) && pointcut.getMethodMatcher().matches(method, type)) {
                    throw new InvalidComponentException(name, "has an @Async " + kind + " method ("
                            + type.getSimpleName() + "." + method.getName() + "()): it would return before the work"
                            + " is done, and Conductor would treat the component as " + ("setup".equals(kind)
                                    ? "active" : "shut down") + " too early",
                            "Remove @Async from the class and from " + method.getName() + "(): Conductor already"
                                    + " runs setups and shutdowns concurrently. Start asynchronous work inside "
                                    + method.getName() + "() and wait there until it is ready.");
                }
            }
        }
    }

    /**
     * The components reached from the bean's injected dependencies, looking through plain beans. A plain bean of
     * this bean factory that is a {@link Component} would never be set up: see {@link #refuseUnmanagedComponent}.
     */
    private Set<String> injectedComponents(String name, Set<String> componentNames) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> visited = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(name);
        visited.add(name);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String dependency : beanFactory.getDependenciesForBean(current)) {
                if (!visited.add(dependency) || lifecycles.contains(dependency)) {
                    continue;
                }
                if (componentNames.contains(dependency)) {
                    found.add(dependency);
                    continue;
                }
                refuseUnmanagedComponent(name, current, dependency);
                queue.add(dependency);
            }
        }
        return found;
    }

    /**
     * A plain {@link Component} that a component depends on: nothing sets it up. An instance registered with
     * {@code registerSingleton} fails the startup; a bean definition without the annotation is logged, since it may
     * be deliberate (a test's mock of a component interface, say).
     */
    private void refuseUnmanagedComponent(String component, String dependent, String dependency) {
        if (!beanFactory.containsLocalBean(dependency)) {
            return; // a parent context's bean: the parent runs its own components
        }
        Class<?> type = beanFactory.getType(dependency, false);
        if (type == null || !Component.class.isAssignableFrom(type)) {
            return;
        }
        String through = dependent.equals(component) ? "" : " (through '" + dependent + "')";
        if (beanFactory.containsBeanDefinition(dependency)) {
            logger.warn("Conductor: component '" + component + "' depends on '" + dependency + "'" + through
                    + ", which implements " + Component.class.getName() + " but is not a @ConductorComponent bean:"
                    + " nothing sets it up. Annotate " + type.getSimpleName()
                    + " or its @Bean method with @ConductorComponent if Conductor should run it.");
            return;
        }
        throw new InvalidComponentException(component, "depends on '" + dependency + "'" + through
                + ", which implements " + Component.class.getName() + " but is not a @ConductorComponent bean"
                + " (it was registered as an instance), so nothing would set it up",
                "Annotate " + type.getSimpleName() + " with @ConductorComponent, or stop injecting it into '"
                        + dependent + "'.");
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
}
