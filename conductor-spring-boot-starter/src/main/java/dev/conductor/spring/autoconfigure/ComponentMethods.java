package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * The methods of a component bean that Conductor calls, and that Spring therefore must not call as init or
 * destroy methods: the ones {@link ConductorComponent#setupMethod()} and {@link ConductorComponent#shutdownMethod()}
 * name, otherwise a {@link Component}'s {@code setup()} and {@code shutdown()}.
 */
final class ComponentMethods {

    private final @Nullable String setup;

    private final @Nullable String shutdown;

    private final boolean named;

    private ComponentMethods(@Nullable String setup, @Nullable String shutdown, boolean named) {
        this.setup = setup;
        this.shutdown = shutdown;
        this.named = named;
    }

    /** The methods Conductor calls on a bean of {@code type} annotated with {@code annotation}. */
    static ComponentMethods of(ConductorComponent annotation, Class<?> type) {
        boolean component = Component.class.isAssignableFrom(type);
        boolean named = StringUtils.hasText(annotation.setupMethod()) || StringUtils.hasText(annotation.shutdownMethod());
        String setup = StringUtils.hasText(annotation.setupMethod()) ? annotation.setupMethod().trim()
                : (component ? "setup" : null);
        String shutdown = StringUtils.hasText(annotation.shutdownMethod()) ? annotation.shutdownMethod().trim()
                : (component ? "shutdown" : null);
        return new ComponentMethods(setup, shutdown, named);
    }

    /** The name of the setup method, or {@code null} when there is nothing to call. */
    @Nullable String setup() {
        return setup;
    }

    /** The name of the shutdown method, or {@code null} when there is nothing to call. */
    @Nullable String shutdown() {
        return shutdown;
    }

    /** Whether the annotation names the methods, rather than relying on {@link Component}. */
    boolean named() {
        return named;
    }

    /**
     * Checks that a bean of {@code type} can be run: it is a {@link Component}, or every method the annotation
     * names exists on it.
     *
     * @throws InvalidComponentException naming the bean and what is missing
     */
    void check(String bean, Class<?> type) {
        if (!named) {
            if (!Component.class.isAssignableFrom(type)) {
                throw new InvalidComponentException(bean, "is annotated with @ConductorComponent but its type "
                        + type.getName() + " does not implement " + Component.class.getName(),
                        "Implement dev.conductor.core.Component (setup() and shutdown()), name the methods to call"
                                + " with @ConductorComponent(setupMethod = \"...\", shutdownMethod = \"...\"),"
                                + " or remove @ConductorComponent.");
            }
            return;
        }
        find(bean, type, "setupMethod", setup);
        find(bean, type, "shutdownMethod", shutdown);
    }

    /** The method to call, checked to exist on {@code type}; {@code null} when there is nothing to call. */
    static @Nullable Method find(String bean, Class<?> type, String attribute, @Nullable String name) {
        if (name == null) {
            return null;
        }
        Method method = ReflectionUtils.findMethod(type, name);
        if (method == null || Modifier.isStatic(method.getModifiers())) {
            throw new InvalidComponentException(bean, "has @ConductorComponent(" + attribute + " = \"" + name
                    + "\"), but its type " + type.getName() + " has no instance method " + name
                    + "() without parameters",
                    "Name a method of " + type.getSimpleName() + " that takes no parameters, or correct the name.");
        }
        return method;
    }
}
