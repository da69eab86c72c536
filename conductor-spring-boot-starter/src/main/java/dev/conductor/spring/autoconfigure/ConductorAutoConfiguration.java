package dev.conductor.spring.autoconfigure;

import dev.conductor.core.Faults;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorLeadership;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;

/**
 * Runs the application's {@link dev.conductor.spring.ConductorComponent} beans with Conductor: one
 * {@link ConductorLifecycle} sets them up concurrently by dependency before the web server starts, and shuts them
 * down in reverse after it stopped. Turn it off with {@code conductor.enabled=false}; Spring still never calls a
 * component's setup or shutdown method itself.
 *
 * <p>Only a context that has components gets a lifecycle, and with it Conductor's other beans (health, endpoint,
 * metrics, observations): the components are found in the bean definitions, after the application's own
 * configuration, so that an application without any costs its start next to nothing. A component bean that was
 * not visible there (a {@code @Bean} method that declares an interface and returns an annotated class, in a
 * context without any other component) fails the start, saying what to change. This auto-configuration comes after
 * the others (lowest order) so that the components they define are seen too. Conductor's other auto-configurations
 * have the lowest order as well: Boot's sort puts an auto-configuration right before the first one that must follow
 * it, whatever its own order, so one with the default order declared after this one would pull it forward. For the
 * same reason an auto-configuration of another library that declares {@code after = ConductorAutoConfiguration}
 * should also declare {@code @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)}. What still comes after this one: an
 * auto-configuration of the lowest order whose name sorts after it, and those ordered after such a one; if it
 * defines components, it declares {@code @AutoConfiguration(before = ConductorAutoConfiguration.class)}. One that
 * is ordered after any of Conductor's auto-configurations cannot also come before this one (Boot reports a cycle):
 * its components go in an auto-configuration of their own.
 *
 * <p>Each context of a hierarchy runs its own components with its own lifecycle: a child context's components may
 * depend on its parent's, which are active before the child starts. A child context with components but without
 * a lifecycle of its own fails to start.
 *
 * <p>Setups and shutdowns run on virtual threads where the JDK has them; an {@link Executor} bean
 * named {@value #EXECUTOR_BEAN_NAME} replaces that. Every {@link LifecycleListener} bean receives the transitions,
 * which are also published as {@link dev.conductor.spring.ComponentLifecycleEvent}s (and leadership changes as
 * {@link dev.conductor.spring.LeadershipChangedEvent}s); every {@link ConductorLifecycle.SetupObserver} bean runs
 * around the setup, and every {@link ConductorLifecycle.ShutdownObserver} bean around the shutdown.
 */
@AutoConfiguration
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
public final class ConductorAutoConfiguration {

    /** The name of an {@link Executor} bean that Conductor runs setups and shutdowns on, when there is one. */
    public static final String EXECUTOR_BEAN_NAME = "conductorExecutor";

    @Bean
    static ComponentCallbacks conductorComponentCallbacks() {
        return new ComponentCallbacks();
    }

    /**
     * Also in a context without components: a child context created without auto-configuration may have some, and
     * a lazy component registered late may be in this one.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "conductor.enabled", matchIfMissing = true)
    static MissingLifecycleGuard conductorMissingLifecycleGuard() {
        return new MissingLifecycleGuard();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "conductor.enabled", matchIfMissing = true)
    @Conditional(OnComponentsCondition.class)
    @EnableConfigurationProperties(ConductorProperties.class)
    static class LifecycleConfiguration {

        @Bean
        static ComponentValidator conductorComponentValidator() {
            return new ComponentValidator();
        }

        @Bean
        static EarlyStart conductorEarlyStart() {
            return new EarlyStart();
        }

        /**
         * Two parameters, the rest looked up: since JDK 18, reflection calls a method through a method handle
         * adapted to its number of parameters, and on a cold JVM a method with more than any other bean's costs
         * classes of its own (the context is also the event publisher, and its bean factory is this one's).
         */
        @Bean
        @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
        ConductorLifecycle conductorLifecycle(ConductorProperties properties, ConfigurableApplicationContext context) {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            List<LifecycleListener> all = new ArrayList<>();
            all.add(new TransitionLogger());
            all.add(new ContextEvents(beanFactory, context));
            if (properties.getReadiness().isRefuseTrafficWhileRestarting()) {
                all.add(new RestartReadiness(context));
            }
            all.addAll(beanFactory.getBeanProvider(LifecycleListener.class).orderedStream().toList());
            Executor executor = beanFactory.containsBean(EXECUTOR_BEAN_NAME)
                    ? beanFactory.getBean(EXECUTOR_BEAN_NAME, Executor.class) : null;
            ConductorLifecycle lifecycle = new ConductorLifecycle(beanFactory, properties, executor, all,
                    beanFactory.getBeanProvider(ConductorLifecycle.SetupObserver.class).orderedStream().toList());
            lifecycle.onEscalation(new EscalationHandler(context, properties.getSupervision()));
            lifecycle.faults(localFaults(beanFactory));
            lifecycle.shutdownObservers(
                    beanFactory.getBeanProvider(ConductorLifecycle.ShutdownObserver.class).orderedStream().toList());
            lifecycle.leaderElection(beanFactory.getBeanProvider(LeaderElection.class).getIfUnique());
            return lifecycle;
        }

        /**
         * The {@link Faults} a test registered in this context (Conductor's test support does), not a parent's:
         * each context of a hierarchy injects into its own components.
         */
        private static @Nullable Faults localFaults(ConfigurableListableBeanFactory beanFactory) {
            String[] names = beanFactory.getBeanNamesForType(Faults.class, false, false);
            return names.length == 1 ? beanFactory.getBean(names[0], Faults.class) : null;
        }

        /**
         * Lazy: leader-only components inject it, and it must not make them depend on the lifecycle; and made only
         * when injected (an application without components has no use for it).
         */
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        ConductorLeadership conductorLeadership(ObjectProvider<ConductorLifecycle> lifecycle) {
            return new LifecycleLeadership(lifecycle);
        }

        /**
         * Lazy: components inject it, and it must not make them depend on the lifecycle; and made only when injected
         * (an application without components has no use for it).
         */
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        ComponentFailures conductorComponentFailures(ConfigurableListableBeanFactory beanFactory,
                ObjectProvider<ConductorLifecycle> lifecycle) {
            return new LifecycleComponentFailures(beanFactory, lifecycle);
        }
    }
}
