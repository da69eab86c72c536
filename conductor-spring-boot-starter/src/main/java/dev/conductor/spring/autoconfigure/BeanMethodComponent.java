package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Component;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * A bean that is a component through the methods its {@code @ConductorComponent} names: setup and shutdown call
 * them on the bean, and what they throw is what the setup or shutdown throws.
 */
final class BeanMethodComponent implements Component {

    private final Object bean;

    private final @Nullable Method setup;

    private final @Nullable Method shutdown;

    BeanMethodComponent(Object bean, @Nullable Method setup, @Nullable Method shutdown) {
        this.bean = bean;
        this.setup = setup;
        this.shutdown = shutdown;
        if (setup != null) {
            ReflectionUtils.makeAccessible(setup);
        }
        if (shutdown != null) {
            ReflectionUtils.makeAccessible(shutdown);
        }
    }

    @Override
    public void setup() throws Exception {
        invoke(setup);
    }

    @Override
    public void shutdown() throws Exception {
        invoke(shutdown);
    }

    private void invoke(@Nullable Method method) throws Exception {
        if (method == null) {
            return;
        }
        try {
            method.invoke(bean);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }

    @Override
    public String toString() {
        return bean.getClass().getName() + " (" + (setup == null ? "-" : setup.getName() + "()") + " / "
                + (shutdown == null ? "-" : shutdown.getName() + "()") + ")";
    }
}
