package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LeaderOnly;
import dev.conductor.core.LifecycleEngine;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Marks the leader-only components for the engine: those whose class or {@code @Bean} method is annotated
 * {@link LeaderOnly}, and those named in {@code conductor.leadership.leader-only}.
 */
final class LeaderOnlyBeans {

    private LeaderOnlyBeans() {
    }

    /** The role a component bean is leader-only for, or {@code null}. */
    static String role(ConfigurableListableBeanFactory beanFactory, String name, Map<String, String> byName) {
        String role = byName.get(name);
        if (role == null && beanFactory.containsBeanDefinition(name)) {
            LeaderOnly annotation = beanFactory.findAnnotationOnBean(name, LeaderOnly.class, false);
            role = annotation == null ? null : annotation.value();
        }
        else if (role == null) {
            LeaderOnly annotation = beanFactory.getBean(name).getClass().getAnnotation(LeaderOnly.class);
            role = annotation == null ? null : annotation.value();
        }
        return role;
    }

    static void mark(ConfigurableListableBeanFactory beanFactory, Set<String> components, Map<String, String> byName,
            LifecycleEngine.Builder builder) {
        for (String name : components) {
            String role = role(beanFactory, name, byName);
            if (role != null) {
                builder.leaderOnly(name, role);
            }
        }
        for (String name : byName.keySet()) {
            if (!components.contains(name)) {
                throw new InvalidComponentException(name, "is named in conductor.leadership.leader-only but is not"
                        + " a Conductor component of this context", "Name a @ConductorComponent bean, or remove the"
                        + " entry. Components: " + components);
            }
        }
    }
}
