package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentShutdownException;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.LifecycleListener;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one {@link SmartLifecycle} that runs every {@code @ConductorComponent} bean with Conductor's engine: all of
 * them are set up in {@link #start()}, concurrently by dependency, and shut down in {@link #stop(Runnable)}, in
 * reverse. Its phase is below the web server's, so components are active before the server binds and go down
 * only after it stopped.
 *
 * <p>The graph is read from the bean factory at the first start, once every singleton exists; a stop followed by
 * a start sets the same components up again.
 */
public class ConductorLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ConductorLifecycle.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private final ConductorProperties properties;

    private final @Nullable Executor executor;

    private final List<LifecycleListener> listeners;

    private volatile @Nullable LifecycleEngine engine;

    ConductorLifecycle(ConfigurableListableBeanFactory beanFactory, ConductorProperties properties,
            @Nullable Executor executor, List<LifecycleListener> listeners) {
        this.beanFactory = beanFactory;
        this.properties = properties;
        this.executor = executor;
        this.listeners = listeners;
    }

    /**
     * Sets up every component.
     *
     * @throws dev.conductor.core.ConductorException when the graph is invalid or a setup failed; the components
     *         already active were shut down again, and the application fails to start
     */
    @Override
    public void start() {
        LifecycleEngine current = engine();
        if (current.isActive()) {
            return;
        }
        current.setup();
        if (logger.isInfoEnabled()) {
            logger.info("Conductor: " + current.report().toText());
        }
    }

    /** Shuts every component down; failures are logged with their causes once everything is down. */
    @Override
    public void stop() {
        LifecycleEngine current = engine;
        if (current == null) {
            return;
        }
        try {
            current.shutdown();
        }
        catch (ComponentShutdownException ex) {
            logger.error("Conductor: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void stop(Runnable callback) {
        try {
            stop();
        }
        finally {
            callback.run();
        }
    }

    @Override
    public boolean isRunning() {
        LifecycleEngine current = engine;
        return current != null && current.isActive();
    }

    @Override
    public int getPhase() {
        return properties.getPhase();
    }

    /** The engine running the components; {@code null} until the first {@link #start()}. */
    public @Nullable LifecycleEngine getEngine() {
        return engine;
    }

    private synchronized LifecycleEngine engine() {
        LifecycleEngine current = engine;
        if (current == null) {
            LifecycleEngine.Builder builder = LifecycleEngine.builder(new ComponentBeans(beanFactory).graph())
                    .setupTimeout(properties.getSetupTimeout())
                    .shutdownTimeout(properties.getShutdownTimeout());
            if (executor != null) {
                builder.executor(executor);
            }
            listeners.forEach(builder::listener);
            current = builder.build();
            engine = current;
        }
        return current;
    }
}
