package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.actuate.ConductorEndpointAutoConfiguration;
import dev.conductor.spring.actuate.ConductorHealthAutoConfiguration;
import dev.conductor.spring.actuate.ConductorMetricsAutoConfiguration;
import dev.conductor.spring.actuate.ConductorObservationAutoConfiguration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Lazy;
import org.springframework.util.ClassUtils;

/**
 * Conductor's beans exist only in a context that has components: found from the bean definitions, whatever shape
 * declares them; a component those could not show fails the start, saying what to do, and is never left to run
 * without a lifecycle, nor shut down by Spring.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnlyWithComponentsTests {

    private static final List<String> calls = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class));

    /** What a component does, not annotated itself. */
    interface Queue extends Component {
    }

    @ConductorComponent
    static class AnnotatedQueue implements Queue {

        private final String name;

        AnnotatedQueue() {
            this("queue");
        }

        AnnotatedQueue(String name) {
            this.name = name;
        }

        @Override
        public void setup() {
            calls.add(name + ".setup");
        }

        /** Public and named so that Spring would infer it as a {@code @Bean}'s destroy method. */
        @Override
        public void shutdown() {
            calls.add(name + ".shutdown");
        }
    }

    /** A plain class: the {@code @Bean} method that returns it carries the annotation. */
    static class PlainQueue implements Queue {
    }

    @Configuration(proxyBeanMethods = false)
    static class NoComponents {

        @Bean
        String notAComponent() {
            return "plain";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedClassBean {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedBeanMethod {

        @Bean
        @ConductorComponent
        Queue queue() {
            return new PlainQueue();
        }
    }

    /** Declares the interface, returns the annotated class: only the instance shows that it is a component. */
    @Configuration(proxyBeanMethods = false)
    static class HiddenComponent {

        @Bean
        Queue hidden() {
            return new AnnotatedQueue("hidden");
        }
    }

    /** Registers a component's definition after the configuration classes were read. */
    static class LateRegistrar implements BeanDefinitionRegistryPostProcessor {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            registry.registerBeanDefinition("late", new RootBeanDefinition(AnnotatedQueue.class));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LateComponent {

        @Bean
        static LateRegistrar lateRegistrar() {
            return new LateRegistrar();
        }
    }

    @Test
    void withoutComponentsTheContextHasNoneOfConductorsBeansButTheOnesThatKeepSpringOffComponents() {
        contextRunner.withUserConfiguration(NoComponents.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ConductorLifecycle.class)
                    .doesNotHaveBean(ConductorProperties.class).doesNotHaveBean(ComponentValidator.class)
                    .doesNotHaveBean(EarlyStart.class).doesNotHaveBean("conductorLeadership")
                    .doesNotHaveBean("conductorComponentFailures").hasSingleBean(ComponentCallbacks.class)
                    .hasSingleBean(MissingLifecycleGuard.class);
            assertThat(context.getBean("notAComponent")).isEqualTo("plain");
        });
    }

    @Test
    void aComponentInAnyShapeTheDefinitionsShowGetsTheLifecycle() {
        for (Class<?> shape : List.of(AnnotatedClassBean.class, AnnotatedBeanMethod.class)) {
            calls.clear();
            contextRunner.withUserConfiguration(shape).run(context -> {
                assertThat(context).as(shape.getSimpleName()).hasSingleBean(ConductorLifecycle.class);
                assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names())
                        .containsExactly("queue");
            });
            if (shape == AnnotatedClassBean.class) {
                assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
            }
        }
    }

    @Test
    void aComponentRegisteredAsAnInstanceBeforeTheRefreshGetsTheLifecycle() {
        calls.clear();
        ApplicationContextInitializer<ConfigurableApplicationContext> register = context -> context.getBeanFactory()
                .registerSingleton("registered", new AnnotatedQueue("registered"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Plain.class)
                .web(WebApplicationType.NONE).initializers(register).run()) {
            assertThat(context.getBeansOfType(ConductorLifecycle.class)).hasSize(1);
            assertThat(calls).containsExactly("registered.setup");
        }
        assertThat(calls).containsExactly("registered.setup", "registered.shutdown");
    }

    @Test
    void withConductorDisabledComponentsStayUntouchedAndNothingFails() {
        calls.clear();
        contextRunner.withUserConfiguration(HiddenComponent.class, AnnotatedClassBean.class, LateComponent.class)
                .withPropertyValues("conductor.enabled=false").run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(ConductorLifecycle.class).doesNotHaveBean(MissingLifecycleGuard.class));
        assertThat(calls).as("Spring calls no component's setup or shutdown either").isEmpty();
    }

    @Test
    void aComponentOnlyItsInstanceShowsFailsTheStartWhenNothingElseIsAComponent() {
        calls.clear();
        contextRunner.withUserConfiguration(HiddenComponent.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidComponentException.class)
                    .hasMessageContaining("'hidden'")
                    .hasMessageContaining("its @Bean method hidden() declares the type " + Queue.class.getName())
                    .hasMessageContaining("no ConductorLifecycle")
                    .hasMessageContaining("Declare the component's class as the @Bean method's return type, or"
                            + " annotate the @Bean method with @ConductorComponent");
        });
        assertThat(calls).as("nothing set it up, and Spring did not shut it down").isEmpty();
    }

    @Test
    void theFailureAnalysisOfAnUnseenComponentSaysWhatToChange(CapturedOutput output) {
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(Plain.class, HiddenComponent.class)
                .web(WebApplicationType.NONE).run());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Component 'hidden' is a @ConductorComponent that Conductor did not see when it configured"
                        + " the context (its @Bean method hidden() declares the type " + Queue.class.getName())
                .contains("Action:")
                .contains("Declare the component's class as the @Bean method's return type, or annotate the @Bean"
                        + " method with @ConductorComponent.");
    }

    @Test
    void aComponentOnlyItsInstanceShowsIsRunByConductorAloneBesideAnotherComponent() {
        calls.clear();
        contextRunner.withUserConfiguration(HiddenComponent.class, AnnotatedClassBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names())
                    .containsExactlyInAnyOrder("queue", "hidden");
        });
        assertThat(calls).filteredOn(call -> call.startsWith("hidden"))
                .as("set up and shut down once: Spring does not infer its shutdown() as a destroy method")
                .containsExactly("hidden.setup", "hidden.shutdown");
    }

    @Test
    void aComponentOnlyARegistryPostProcessorOfTheApplicationDefinesIsRun() {
        calls.clear();
        contextRunner.withUserConfiguration(LateComponent.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class);
            assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names()).containsExactly("late");
        });
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    @Test
    void anInstanceOnlyAPostProcessorAddedToTheContextRegistersIsRun() {
        calls.clear();
        ApplicationContextInitializer<ConfigurableApplicationContext> addPostProcessor = context -> context
                .addBeanFactoryPostProcessor(beanFactory -> beanFactory.registerSingleton("registeredLate",
                        new AnnotatedQueue("registeredLate")));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Plain.class)
                .web(WebApplicationType.NONE).initializers(addPostProcessor).run()) {
            assertThat(context.getBeansOfType(ConductorLifecycle.class)).hasSize(1);
            assertThat(calls).containsExactly("registeredLate.setup");
        }
        assertThat(calls).containsExactly("registeredLate.setup", "registeredLate.shutdown");
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainPostProcessor {

        @Bean
        static BeanFactoryPostProcessor plainPostProcessor() {
            return beanFactory -> {
            };
        }
    }

    @Test
    void aPostProcessorOfTheApplicationThatRegistersNoComponentLeavesALifecycleWithNothingToRun() {
        contextRunner.withUserConfiguration(PlainPostProcessor.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class);
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            context.stop();
            assertThat(lifecycle.isRunning()).isFalse();
        });
    }

    /** Registers a configuration class, which Spring reads in a later round than the auto-configurations. */
    static class ConfigurationRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            registry.registerBeanDefinition("lateConfiguration", new RootBeanDefinition(LateConfiguration.class));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LateConfiguration {

        @Bean
        AnnotatedQueue lateRound() {
            return new AnnotatedQueue("lateRound");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ConfigurationRegistrar.class)
    static class RegistersAConfiguration {
    }

    @Test
    void aComponentOfAConfigurationClassReadAfterConductorsFailsTheStartSayingWhatToDo() {
        calls.clear();
        contextRunner.withUserConfiguration(RegistersAConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidComponentException.class)
                    .hasMessageContaining("'lateRound'")
                    .hasMessageContaining("registered after Conductor's auto-configuration read the bean definitions")
                    .hasMessageContaining("@AutoConfiguration(before = ConductorAutoConfiguration.class)");
        });
        assertThat(calls).isEmpty();
    }

    /** An auto-configuration whose name sorts after Conductor's, which defines the application's only component. */
    @AutoConfiguration
    static class OtherAutoConfiguration {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    @Test
    void aComponentAnotherAutoConfigurationDefinesIsSeenThoughItsNameSortsAfterConductors() {
        assertThat(OtherAutoConfiguration.class.getName()).isGreaterThan(ConductorAutoConfiguration.class.getName());
        calls.clear();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class, OtherAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class));
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    /**
     * An auto-configuration ordered after Actuator's health contributors (one that needs a bean they define), which
     * defines the application's only component.
     */
    @AutoConfiguration(afterName = "org.springframework.boot.health.autoconfigure.contributor"
            + ".HealthContributorAutoConfiguration")
    static class AfterHealthContributorsAutoConfiguration {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    @Test
    void aComponentAnAutoConfigurationOrderedAfterActuatorsHealthContributorsDefinesIsSeen() {
        calls.clear();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                        ConductorHealthAutoConfiguration.class, ConductorEndpointAutoConfiguration.class,
                        ConductorMetricsAutoConfiguration.class, ConductorObservationAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, AfterHealthContributorsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class)
                        .hasBean("conductorHealthIndicator"));
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    @Test
    void conductorsAutoConfigurationsComeAfterEveryOneOfBootsButTheLowestOrderedManagementContext() {
        ClassLoader classLoader = getClass().getClassLoader();
        List<Class<?>> all = new ArrayList<>();
        for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
            try {
                all.add(ClassUtils.forName(name, classLoader));
            }
            catch (ClassNotFoundException | LinkageError notOnThisClassPath) {
                // an auto-configuration of a module whose dependencies this test does not have
            }
        }
        List<String> sorted = Arrays.stream(Configurations.getClasses(AutoConfigurations.of(all.toArray(Class[]::new))))
                .map(Class::getName).toList();
        int conductors = sorted.indexOf(ConductorAutoConfiguration.class.getName());
        assertThat(sorted.size()).as("Boot's auto-configurations and Conductor's").isGreaterThan(100);
        assertThat(sorted.subList(conductors, sorted.size())).as("what Conductor's auto-configuration precedes")
                .allMatch(name -> name.startsWith("dev.conductor.") || name.equals(MANAGEMENT_CONTEXT))
                .contains(MANAGEMENT_CONTEXT); // the lowest order as well, and its name sorts after Conductor's
        assertThat(lowestOrder(MANAGEMENT_CONTEXT, classLoader)).isTrue();
    }

    private static final String MANAGEMENT_CONTEXT = "org.springframework.boot.actuate.autoconfigure.web.server"
            + ".ManagementContextAutoConfiguration";

    /** An auto-configuration of the lowest order whose name sorts after Conductor's: it comes after it. */
    @AutoConfiguration
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestOrderAutoConfiguration {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    /** The same, declared before Conductor's as the failure says. */
    @AutoConfiguration(before = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestOrderBeforeConductorsAutoConfiguration {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    @Test
    void aComponentOfALowestOrderAutoConfigurationSortedAfterConductorsIsSeenOnceItDeclaresBeforeConductors() {
        assertThat(LowestOrderAutoConfiguration.class.getName()).isGreaterThan(ConductorAutoConfiguration.class.getName());
        calls.clear();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                        LowestOrderAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("'queue'")
                        .hasMessageContaining("@AutoConfiguration(before = ConductorAutoConfiguration.class)"));
        assertThat(calls).isEmpty();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                        LowestOrderBeforeConductorsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConductorLifecycle.class));
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    /** Whether an auto-configuration has the lowest order. */
    private static boolean lowestOrder(String name, ClassLoader classLoader) {
        AutoConfigureOrder order = AnnotationUtils.findAnnotation(ClassUtils.resolveClassName(name, classLoader),
                AutoConfigureOrder.class);
        return order != null && order.value() == Ordered.LOWEST_PRECEDENCE;
    }

    /** Wraps the bean 'hidden' in an interface-based proxy (as @Transactional without class-based proxies does). */
    static class InterfaceProxies implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!beanName.equals("hidden")) {
                return bean;
            }
            ProxyFactory proxy = new ProxyFactory(bean);
            proxy.setInterfaces(Queue.class);
            proxy.addAdvice((MethodInterceptor) invocation -> {
                calls.add("proxy." + invocation.getMethod().getName());
                return invocation.proceed();
            });
            return proxy.getProxy();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HiddenBehindAnInterfaceProxy {

        @Bean
        static InterfaceProxies interfaceProxies() {
            return new InterfaceProxies();
        }
    }

    @Test
    void aComponentOnlyItsInstanceShowsIsRunThroughAnInterfaceProxyOfIt() {
        calls.clear();
        contextRunner.withUserConfiguration(HiddenComponent.class, AnnotatedClassBean.class,
                HiddenBehindAnInterfaceProxy.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(AopUtils.isJdkDynamicProxy(context.getBean("hidden"))).isTrue();
                    assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names())
                            .containsExactlyInAnyOrder("queue", "hidden");
                });
        assertThat(calls).filteredOn(call -> call.contains("setup") || call.contains("shutdown"))
                .filteredOn(call -> !call.startsWith("queue"))
                .containsExactly("proxy.setup", "hidden.setup", "proxy.shutdown", "hidden.shutdown");
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyHiddenComponent {

        @Bean
        @Lazy
        Queue lazyHidden() {
            return new AnnotatedQueue("lazyHidden");
        }
    }

    @Test
    void aLazyComponentOnlyItsInstanceShowsFailsWhenAskedForAfterTheOthersWereSetUp() {
        calls.clear();
        contextRunner.withUserConfiguration(LazyHiddenComponent.class, AnnotatedClassBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThatException().isThrownBy(() -> context.getBean("lazyHidden")).havingRootCause()
                    .isInstanceOf(InvalidComponentException.class)
                    .withMessageContaining("'lazyHidden' is a @ConductorComponent created after Conductor set the"
                            + " components up")
                    .withMessageContaining("@Bean method lazyHidden() declares the type " + Queue.class.getName());
        });
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    @Test
    void aChildContextWithComponentsButNoLifecycleFailsUnderAParentWithoutComponents() {
        SpringApplicationBuilder parent = new SpringApplicationBuilder(Plain.class).web(WebApplicationType.NONE);
        SpringApplicationBuilder child = parent.child(PlainChild.class).web(WebApplicationType.NONE);
        assertThatException().isThrownBy(child::run).isInstanceOf(InvalidComponentException.class)
                .withMessageContaining("no ConductorLifecycle of its own");
        ConfigurableApplicationContext parentContext = parent.context();
        if (parentContext != null) {
            parentContext.close();
        }
    }

    @Test
    void aChildContextWithoutComponentsHasNoLifecycleOfItsOwn() {
        calls.clear();
        ConfigurableApplicationContext child = new SpringApplicationBuilder(ParentWithComponent.class)
                .web(WebApplicationType.NONE).child(Plain.class).web(WebApplicationType.NONE).run();
        ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
        try {
            assertThat(child.getBeanFactory().getBeanNamesForType(ConductorLifecycle.class, false, false)).isEmpty();
            assertThat(parent.getBeanFactory().getBeanNamesForType(ConductorLifecycle.class, false, false))
                    .hasSize(1);
            assertThat(calls).containsExactly("queue.setup");
        }
        finally {
            child.close();
            parent.close();
        }
        assertThat(calls).containsExactly("queue.setup", "queue.shutdown");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class Plain {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class ParentWithComponent {

        @Bean
        AnnotatedQueue queue() {
            return new AnnotatedQueue();
        }
    }

    /** A child context without Conductor's auto-configuration, as a framework creates one. */
    @Configuration(proxyBeanMethods = false)
    static class PlainChild {

        @Bean
        AnnotatedQueue childQueue() {
            return new AnnotatedQueue("child");
        }
    }
}
