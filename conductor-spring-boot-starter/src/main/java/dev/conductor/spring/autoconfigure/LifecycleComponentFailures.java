package dev.conductor.spring.autoconfigure;

import dev.conductor.core.FailureReporter;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.ComponentFailures;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/** {@link ComponentFailures} that report to the engine of the context's {@link ConductorLifecycle}. */
final class LifecycleComponentFailures implements ComponentFailures {

    private static final Log logger = LogFactory.getLog(LifecycleComponentFailures.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private final ObjectProvider<ConductorLifecycle> lifecycle;

    LifecycleComponentFailures(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<ConductorLifecycle> lifecycle) {
        this.beanFactory = beanFactory;
        this.lifecycle = lifecycle;
    }

    @Override
    public FailureReporter reporter(String component) {
        Objects.requireNonNull(component, "component");
        if (!ComponentBeans.definedComponents(beanFactory).containsKey(component)
                && !isComponentInstance(component)) {
            throw new IllegalArgumentException("No @ConductorComponent bean is named '" + component + "', so it"
                    + " cannot report failures. Pass the bean name of the component, as the conductor endpoint"
                    + " lists it.");
        }
        return cause -> report(component, cause);
    }

    private boolean isComponentInstance(String component) {
        LifecycleEngine engine = lifecycle.getObject().getEngine();
        return engine != null && engine.graph().names().contains(component);
    }

    private void report(String component, Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        LifecycleEngine engine = lifecycle.getObject().getEngine();
        if (engine == null) {
            logger.warn("Conductor: component '" + component + "' reported a failure before the components were"
                    + " set up; it is ignored", cause);
            return;
        }
        engine.reportFailure(component, cause);
    }
}
