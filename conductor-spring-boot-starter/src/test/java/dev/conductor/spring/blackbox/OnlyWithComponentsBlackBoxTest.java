package dev.conductor.spring.blackbox;

import static dev.conductor.spring.blackbox.Bb.ACTIVE;
import static dev.conductor.spring.blackbox.Bb.HOOKS;
import static dev.conductor.spring.blackbox.Bb.LOG;
import static dev.conductor.spring.blackbox.Bb.SEEN;
import static dev.conductor.spring.blackbox.Bb.index;
import static dev.conductor.spring.blackbox.Bb.setups;
import static dev.conductor.spring.blackbox.Bb.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorLeadership;
import dev.conductor.spring.actuate.ConductorEndpointAutoConfiguration;
import dev.conductor.spring.actuate.ConductorHealthAutoConfiguration;
import dev.conductor.spring.actuate.ConductorMetricsAutoConfiguration;
import dev.conductor.spring.actuate.ConductorObservationAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLeadershipAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import dev.conductor.spring.autoconfigure.ConductorProperties;

/**
 * Black-box tests of "Conductor's beans only in a context with components": written against the promise (no
 * component, no Conductor bean; every shape of component still gets the lifecycle; a component the bean
 * definitions cannot show fails the start, or runs once next to a visible one; {@code conductor.enabled=false}
 * touches nothing), through real {@code SpringApplication}s, {@code ApplicationContextRunner}, Actuator over HTTP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OnlyWithComponentsBlackBoxTest {

    private static final String CONDUCTOR_AUTO_CONFIGURATIONS = String.join(",",
            ConductorAutoConfiguration.class.getName(), ConductorLeadershipAutoConfiguration.class.getName(),
            ConductorHealthAutoConfiguration.class.getName(), ConductorMetricsAutoConfiguration.class.getName(),
            ConductorObservationAutoConfiguration.class.getName(), ConductorEndpointAutoConfiguration.class.getName());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                ConductorLeadershipAutoConfiguration.class, ConductorHealthAutoConfiguration.class,
                ConductorMetricsAutoConfiguration.class, ConductorObservationAutoConfiguration.class,
                ConductorEndpointAutoConfiguration.class));

    // ---- component and bean types -------------------------------------------------------------------------

    /** Annotated, made by @Bean methods (and registrations) under any name. */
    @ConductorComponent
    static class Annotated extends Bb.Rec {
        Annotated(String name) {
            super(name);
        }
    }

    /** A component class without the annotation: only a @Bean @ConductorComponent method makes it one. */
    static class Unannotated extends Bb.Rec {
        Unannotated(String name) {
            super(name);
        }
    }

    /** Picked up by a (filtered) component scan. */
    @ConductorComponent("scanned")
    static class Scanned extends Bb.Rec {
        Scanned() {
            super("scanned");
        }
    }

    /** Depends on a component through its constructor. */
    @ConductorComponent
    static class Dependent extends Bb.Rec {
        Dependent(String name, Bb.Rec dependency) {
            super(name);
        }
    }

    /** A plain bean, not a component. */
    static class Plain {
    }

    /** Registers a component bean definition after configuration classes were read. */
    static class LateRegistrar implements BeanDefinitionRegistryPostProcessor {
        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            RootBeanDefinition definition = new RootBeanDefinition(Annotated.class);
            definition.setInstanceSupplier(() -> new Annotated("late"));
            // as a @Bean method would have it: a public shutdown() is Spring's inferred destroy method
            definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
            registry.registerBeanDefinition("late", definition);
        }

        @Override
        public void postProcessBeanFactory(
                org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {
        }
    }

    static class AnnotatedFactory implements FactoryBean<Annotated> {
        @Override
        public Annotated getObject() {
            return new Annotated("madeByFactory");
        }

        @Override
        public Class<?> getObjectType() {
            return Annotated.class;
        }
    }

    /** Wraps the beans it is told about in an AOP proxy, JDK (interfaces) or CGLIB, recording each call. */
    static class Proxying implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!beanName.startsWith("proxied")) {
                return bean;
            }
            ProxyFactory factory = new ProxyFactory(bean);
            factory.setProxyTargetClass(beanName.endsWith("Cglib"));
            if (!beanName.endsWith("Cglib")) {
                factory.setInterfaces(Component.class);
            }
            factory.addAdvice((MethodInterceptor) invocation -> {
                LOG.add("advice:" + beanName + "." + invocation.getMethod().getName());
                return invocation.proceed();
            });
            return factory.getProxy();
        }
    }

    static SpringApplicationBuilder app(Class<?>... sources) {
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.jmx.enabled=false");
    }

    @BeforeEach
    void reset() {
        Bb.reset();
    }

    static void assertNothingLeftRunning() {
        assertThat(ACTIVE).as("components left active; log %s", LOG).isEmpty();
        assertThat(LOG).as("log").noneMatch(s -> s.startsWith("TWICE:") || s.startsWith("DOWN-NOT-ACTIVE:"));
        for (String name : Bb.SETUPS.keySet()) {
            assertThat(shutdowns(name)).as("shutdowns of %s; log %s", name, LOG).isEqualTo(setups(name));
        }
    }

    static void assertNoConductorBeans(ConfigurableApplicationContext ctx) {
        assertThat(ctx.getBeanNamesForType(ConductorLifecycle.class, true, false)).as("ConductorLifecycle").isEmpty();
        assertThat(ctx.getBeanNamesForType(ConductorProperties.class, true, false)).as("ConductorProperties")
            .isEmpty();
        assertThat(ctx.getBeanNamesForType(ConductorLeadership.class, true, false)).as("ConductorLeadership")
            .isEmpty();
        assertThat(ctx.getBeanNamesForType(ComponentFailures.class, true, false)).as("ComponentFailures").isEmpty();
        for (HealthContributorRegistry registry : ctx.getBeansOfType(HealthContributorRegistry.class).values()) {
            assertThat(registry.getContributor("conductor")).as("conductor health contributor").isNull();
        }
        assertThat(conductorMeters(ctx)).as("conductor.* meters").isEmpty();
    }

    static void assertConductorBeans(ConfigurableApplicationContext ctx) {
        assertThat(ctx.getBeanNamesForType(ConductorLifecycle.class, true, false)).as("ConductorLifecycle")
            .hasSize(1);
        assertThat(ctx.getBeanNamesForType(ConductorProperties.class, true, false)).as("ConductorProperties")
            .hasSize(1);
        assertThat(ctx.getBean(ConductorLifecycle.class).isRunning()).isTrue();
    }

    static List<String> conductorMeters(ConfigurableApplicationContext ctx) {
        List<String> names = new ArrayList<>();
        for (MeterRegistry registry : ctx.getBeansOfType(MeterRegistry.class).values()) {
            for (Meter meter : registry.getMeters()) {
                if (meter.getId().getName().startsWith("conductor")) {
                    names.add(meter.getId().getName());
                }
            }
        }
        return names;
    }

    /** Bean names whose type is from Conductor's main code (not these tests). */
    static Set<String> conductorBeanNames(ConfigurableApplicationContext ctx) {
        Set<String> names = new TreeSet<>();
        for (String name : ctx.getBeanDefinitionNames()) {
            Class<?> type = ctx.getBeanFactory().getType(name, false);
            String typeName = type == null ? "" : type.getName();
            if ((typeName.startsWith("dev.conductor.") && !typeName.startsWith("dev.conductor.spring.blackbox."))
                    || name.toLowerCase(Locale.ROOT).contains("conductor")) {
                names.add(name + " (" + typeName + ", implements "
                        + (type == null ? "?" : List.of(type.getInterfaces())) + ")");
            }
        }
        return names;
    }

    static boolean chainHasIgnoringCase(Throwable t, String text) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (chainHasIgnoringCase(s, text)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String messages(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            text.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append("\n");
        }
        return text.toString();
    }

    // ---- 1. no component: none of Conductor's beans -----------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class NoComponentConfig {
        @Bean
        Plain plain() {
            return new Plain();
        }
    }

    @Test
    void aContextWithoutComponentsHasNoneOfConductorsBeansNorMeters() {
        try (ConfigurableApplicationContext ctx = app(NoComponentConfig.class).run()) {
            assertNoConductorBeans(ctx);
            assertThat(ctx.getBeanFactory().containsBean("plain")).isTrue();
        }
    }

    @Test
    void aContextWithoutComponentsHasNoBeanOfConductorsTypesButItsTwoGuards() {
        try (ConfigurableApplicationContext ctx = app(NoComponentConfig.class).run()) {
            assertThat(conductorBeanNames(ctx)).as("the auto-configuration, what keeps Spring off a component's"
                    + " callbacks and what fails a start with a component nothing would set up")
                    .extracting(name -> name.substring(0, name.indexOf(' ')))
                    .containsExactlyInAnyOrder(ConductorAutoConfiguration.class.getName(),
                            "conductorComponentCallbacks", "conductorMissingLifecycleGuard");
        }
    }

    @Test
    void aContextWithoutComponentsHasTheSameBeansAndLifecyclesAsWithoutTheStarterButItsTwoGuards() {
        Set<String> with;
        Set<String> lifecyclesWith;
        try (ConfigurableApplicationContext ctx = app(NoComponentConfig.class).run()) {
            with = new TreeSet<>(List.of(ctx.getBeanDefinitionNames()));
            lifecyclesWith = new TreeSet<>(ctx.getBeansOfType(SmartLifecycle.class).keySet());
        }
        try (ConfigurableApplicationContext ctx = app(NoComponentConfig.class)
            .properties("spring.autoconfigure.exclude=" + CONDUCTOR_AUTO_CONFIGURATIONS).run()) {
            Set<String> without = new TreeSet<>(List.of(ctx.getBeanDefinitionNames()));
            Set<String> extra = new TreeSet<>(with);
            extra.removeAll(without);
            Set<String> missing = new TreeSet<>(without);
            missing.removeAll(with);
            assertThat(extra).as("beans only with the starter").containsExactlyInAnyOrder(
                    ConductorAutoConfiguration.class.getName(), "conductorComponentCallbacks",
                    "conductorMissingLifecycleGuard");
            assertThat(missing).as("beans only without the starter").isEmpty();
            assertThat(lifecyclesWith).isEqualTo(new TreeSet<>(ctx.getBeansOfType(SmartLifecycle.class).keySet()));
        }
    }

    @Test
    void contextRunnerWithoutComponentsHasNoLifecycleAndWithOneHasIt() {
        runner.withUserConfiguration(PlainOnly.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ConductorLifecycle.class);
            assertThat(context).doesNotHaveBean(ConductorProperties.class);
            assertThat(context).doesNotHaveBean(ComponentFailures.class);
            assertThat(context).doesNotHaveBean(ConductorLeadership.class);
        });
        runner.withBean("viaRunner", Annotated.class, () -> new Annotated("viaRunner")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ConductorLifecycle.class);
            assertThat(setups("viaRunner")).isEqualTo(1);
        });
        assertThat(shutdowns("viaRunner")).isEqualTo(1);
        runner.withBean("plainRunner", Unannotated.class, () -> new Unannotated("plainRunner")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ConductorLifecycle.class);
        });
        assertThat(setups("plainRunner")).isZero();
        assertThat(shutdowns("plainRunner")).as("a non-component's shutdown belongs to Spring, if at all").isLessThanOrEqualTo(1);
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainOnly {
        @Bean
        Plain plain() {
            return new Plain();
        }
    }

    // ---- Actuator over HTTP ----------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebWithComponent {
        @Bean
        Annotated webComponent() {
            return new Annotated("webComponent");
        }
    }

    static ConfigurableApplicationContext web(Class<?> source) {
        return app(source).web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1",
                    "management.endpoints.web.exposure.include=*", "management.endpoint.health.show-details=always",
                    "management.endpoint.health.probes.enabled=true")
            .run();
    }

    static HttpResponse<String> get(ConfigurableApplicationContext ctx, String path) throws Exception {
        String port = ctx.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void actuatorWithoutComponentsShowsNoConductorEndpointHealthNorMeters() throws Exception {
        try (ConfigurableApplicationContext ctx = web(NoComponentConfig.class)) {
            assertNoConductorBeans(ctx);
            assertThat(get(ctx, "/actuator/conductor").statusCode()).isEqualTo(404);
            HttpResponse<String> health = get(ctx, "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).doesNotContain("\"conductor\"");
            assertThat(get(ctx, "/actuator/health/conductor").statusCode()).isEqualTo(404);
            assertThat(get(ctx, "/actuator").body()).doesNotContain("conductor");
            assertThat(get(ctx, "/actuator/metrics").body()).doesNotContain("conductor");
            assertThat(get(ctx, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void actuatorWithAComponentShowsConductorEndpointHealthAndMeters() throws Exception {
        try (ConfigurableApplicationContext ctx = web(WebWithComponent.class)) {
            assertConductorBeans(ctx);
            HttpResponse<String> endpoint = get(ctx, "/actuator/conductor");
            assertThat(endpoint.statusCode()).isEqualTo(200);
            assertThat(endpoint.body()).contains("webComponent");
            HttpResponse<String> health = get(ctx, "/actuator/health/conductor");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("webComponent").contains("UP");
            assertThat(get(ctx, "/actuator/metrics").body()).contains("conductor.");
            assertThat(get(ctx, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
        assertThat(setups("webComponent")).isEqualTo(1);
        assertNothingLeftRunning();
    }

    // ---- 2. every shape of a visible component gets the lifecycle ----------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = OnlyWithComponentsBlackBoxTest.class, useDefaultFilters = false,
            includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = Scanned.class))
    static class ScannedConfig {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BeanOfAnnotatedClassConfig {
        @Bean
        Annotated ofAnnotatedClass() {
            return new Annotated("ofAnnotatedClass");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AnnotatedBeanMethodConfig {
        @Bean
        @ConductorComponent
        Unannotated annotatedMethod() {
            return new Unannotated("annotatedMethod");
        }
    }

    /** Annotated @Bean method declaring the interface: the annotation on the method is what counts. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AnnotatedMethodDeclaringInterfaceConfig {
        @Bean
        @ConductorComponent
        Component annotatedInterfaceMethod() {
            return new Unannotated("annotatedInterfaceMethod");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EmptyAutoConfig {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LazyConfig {
        @Bean
        @Lazy
        @ConductorComponent
        Unannotated lazyOne() {
            return new Unannotated("lazyOne");
        }
    }

    @Configuration(proxyBeanMethods = true)
    @EnableAutoConfiguration
    static class FullConfigurationConfig {
        @Bean
        Annotated inFullConfig() {
            return new Annotated("inFullConfig");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class StaticBeanMethodConfig {
        @Bean
        static Annotated fromStaticMethod() {
            return new Annotated("fromStaticMethod");
        }
    }

    void runsExactlyOnce(SpringApplicationBuilder builder, String... names) {
        try (ConfigurableApplicationContext ctx = builder.run()) {
            assertConductorBeans(ctx);
            for (String name : names) {
                assertThat(setups(name)).as("setups of %s; log %s", name, LOG).isEqualTo(1);
                assertThat(ACTIVE).contains(name);
            }
            assertThat(conductorMeters(ctx)).as("conductor.* meters with a component").isNotEmpty();
        }
        for (String name : names) {
            assertThat(shutdowns(name)).as("shutdowns of %s; log %s", name, LOG).isEqualTo(1);
        }
        assertNothingLeftRunning();
    }

    @Test
    void aScannedComponentClassGetsTheLifecycle() {
        runsExactlyOnce(app(ScannedConfig.class), "scanned");
    }

    @Test
    void aBeanMethodReturningAnAnnotatedClassGetsTheLifecycle() {
        runsExactlyOnce(app(BeanOfAnnotatedClassConfig.class), "ofAnnotatedClass");
    }

    @Test
    void anAnnotatedBeanMethodGetsTheLifecycle() {
        runsExactlyOnce(app(AnnotatedBeanMethodConfig.class), "annotatedMethod");
    }

    @Test
    void anAnnotatedBeanMethodDeclaringTheInterfaceGetsTheLifecycle() {
        runsExactlyOnce(app(AnnotatedMethodDeclaringInterfaceConfig.class), "annotatedInterfaceMethod");
    }

    @Test
    void aBeanMethodOfAFullConfigurationClassGetsTheLifecycle() {
        runsExactlyOnce(app(FullConfigurationConfig.class), "inFullConfig");
    }

    @Test
    void aStaticBeanMethodGetsTheLifecycle() {
        runsExactlyOnce(app(StaticBeanMethodConfig.class), "fromStaticMethod");
    }

    @Test
    void anInstanceRegisteredByAnInitializerGetsTheLifecycle() {
        runsExactlyOnce(app(EmptyAutoConfig.class).initializers(
                ctx -> ctx.getBeanFactory().registerSingleton("registered", new Annotated("registered"))),
                "registered");
    }

    @Test
    void aBeanRegisteredWithASupplierByAnInitializerGetsTheLifecycle() {
        runsExactlyOnce(app(EmptyAutoConfig.class).initializers(ctx -> ((org.springframework.context.support
            .GenericApplicationContext) ctx).registerBean("supplied", Annotated.class,
                    () -> new Annotated("supplied"))),
                "supplied");
    }

    @Test
    void aLazyComponentGetsTheLifecycleAndIsSetUp() {
        runsExactlyOnce(app(LazyConfig.class), "lazyOne");
    }

    @Test
    void withLazyInitializationEveryShapeIsStillSetUp() {
        runsExactlyOnce(app(BeanOfAnnotatedClassConfig.class).properties("spring.main.lazy-initialization=true"),
                "ofAnnotatedClass");
        Bb.reset();
        runsExactlyOnce(app(ScannedConfig.class).properties("spring.main.lazy-initialization=true"), "scanned");
        Bb.reset();
        runsExactlyOnce(app(AnnotatedBeanMethodConfig.class).properties("spring.main.lazy-initialization=true"),
                "annotatedMethod");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FactoryBeanConfig {
        @Bean
        AnnotatedFactory madeByFactory() {
            return new AnnotatedFactory();
        }
    }

    /** The README says FactoryBean-made components are set up: so alone, it either runs or fails clearly. */
    @Test
    void aComponentMadeByAFactoryBeanRunsOrFailsTheStartButIsNeverSilentlySkipped() {
        ConfigurableApplicationContext ctx = null;
        try {
            ctx = app(FactoryBeanConfig.class).run();
            assertThat(setups("madeByFactory")).as("a FactoryBean-made component, alone; log %s", LOG).isEqualTo(1);
        }
        catch (RuntimeException ex) {
            assertThat(chainHasIgnoringCase(ex, "madeByFactory")).as(messages(ex)).isTrue();
        }
        finally {
            if (ctx != null) {
                ctx.close();
            }
        }
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ProxiedConfig {
        @Bean
        static Proxying proxying() {
            return new Proxying();
        }

        @Bean
        Annotated proxiedJdk() {
            return new Annotated("proxiedJdk");
        }

        @Bean
        Annotated proxiedCglib() {
            return new Annotated("proxiedCglib");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OnlyJdkProxiedConfig {
        @Bean
        static Proxying proxying() {
            return new Proxying();
        }

        @Bean
        @ConductorComponent
        Unannotated proxiedJdk() {
            return new Unannotated("proxiedJdk");
        }
    }

    @Test
    void proxiedComponentsGetTheLifecycleAndAreCalledThroughTheProxy() {
        runsExactlyOnce(app(ProxiedConfig.class), "proxiedJdk", "proxiedCglib");
        assertThat(LOG).contains("advice:proxiedJdk.setup", "advice:proxiedJdk.shutdown",
                "advice:proxiedCglib.setup", "advice:proxiedCglib.shutdown");
    }

    @Test
    void aContextWhoseOnlyComponentIsBehindAnInterfaceProxyGetsTheLifecycle() {
        runsExactlyOnce(app(OnlyJdkProxiedConfig.class), "proxiedJdk");
        assertThat(LOG).contains("advice:proxiedJdk.setup", "advice:proxiedJdk.shutdown");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OnlyJdkProxiedAnnotatedClassConfig {
        @Bean
        static Proxying proxying() {
            return new Proxying();
        }

        @Bean
        Annotated proxiedJdk() {
            return new Annotated("proxiedJdk");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class JdkProxiedAnnotatedClassNextToAnotherConfig {
        @Bean
        static Proxying proxying() {
            return new Proxying();
        }

        @Bean
        Annotated proxiedJdk() {
            return new Annotated("proxiedJdk");
        }

        @Bean
        Annotated other() {
            return new Annotated("other");
        }
    }

    /** An interface-based proxy (@Transactional with proxyTargetClass=false) of a @Bean of an annotated class. */
    @Test
    void anAnnotatedClassBehindAnInterfaceProxyAloneGetsTheLifecycleAndIsSetUp() {
        runsExactlyOnce(app(OnlyJdkProxiedAnnotatedClassConfig.class), "proxiedJdk");
        assertThat(LOG).contains("advice:proxiedJdk.setup", "advice:proxiedJdk.shutdown");
    }

    @Test
    void anAnnotatedClassBehindAnInterfaceProxyNextToAnotherComponentIsSetUp() {
        runsExactlyOnce(app(JdkProxiedAnnotatedClassNextToAnotherConfig.class), "other", "proxiedJdk");
    }

    // ---- hierarchies -------------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ParentWithComponent {
        @Bean
        Annotated parentComponent() {
            return new Annotated("parentComponent");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ChildWithoutAutoConfigWithComponent {
        @Bean
        Annotated childComponent() {
            return new Annotated("childComponent");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChildWithAutoConfigWithComponent {
        @Bean
        Annotated childComponent() {
            return new Annotated("childComponent");
        }
    }

    @Test
    void aChildWithAutoConfigurationButNoComponentHasNoLifecycleAndTheParentsComponentsRun() {
        try (ConfigurableApplicationContext parent = app(ParentWithComponent.class).run()) {
            assertConductorBeans(parent);
            try (ConfigurableApplicationContext child = app(NoComponentConfig.class).parent(parent).run()) {
                assertThat(child.getBeanNamesForType(ConductorLifecycle.class, true, false))
                    .as("child's own lifecycle").isEmpty();
                assertThat(child.getBeanNamesForType(ConductorProperties.class, true, false)).isEmpty();
                assertThat(child.getBean(ConductorLifecycle.class)).as("the parent's, seen from the child")
                    .isSameAs(parent.getBean(ConductorLifecycle.class));
                assertThat(setups("parentComponent")).isEqualTo(1);
            }
            assertThat(shutdowns("parentComponent")).as("closing the child").isZero();
            assertThat(ACTIVE).contains("parentComponent");
        }
        assertThat(shutdowns("parentComponent")).isEqualTo(1);
        assertNothingLeftRunning();
    }

    @Test
    void aChildWithComponentsButWithoutAutoConfigurationFailsNamingIt() {
        try (ConfigurableApplicationContext parent = app(ParentWithComponent.class).run()) {
            assertThatThrownBy(() -> app(ChildWithoutAutoConfigWithComponent.class).parent(parent).run().close())
                .satisfies(ex -> assertThat(Bb.chainHas(ex, "no ConductorLifecycle of its own")).as(messages(ex))
                    .isTrue());
            assertThat(setups("childComponent")).isZero();
            assertThat(shutdowns("childComponent")).as("a component never set up is never shut down").isZero();
            assertThat(ACTIVE).containsExactly("parentComponent");
        }
        assertNothingLeftRunning();
    }

    @Test
    void aChildWithComponentsButWithoutAutoConfigurationFailsAlsoWhenTheParentHasNoComponent() {
        try (ConfigurableApplicationContext parent = app(NoComponentConfig.class).run()) {
            assertNoConductorBeans(parent);
            assertThatThrownBy(() -> app(ChildWithoutAutoConfigWithComponent.class).parent(parent).run().close())
                .satisfies(ex -> assertThat(Bb.chainHas(ex, "no ConductorLifecycle of its own")).as(messages(ex))
                    .isTrue());
            assertThat(setups("childComponent")).isZero();
            assertThat(shutdowns("childComponent")).isZero();
        }
    }

    @Test
    void aChildWithComponentsUnderAParentWithoutComponentsGetsItsOwnLifecycle() {
        try (ConfigurableApplicationContext parent = app(NoComponentConfig.class).run()) {
            assertNoConductorBeans(parent);
            try (ConfigurableApplicationContext child = app(ChildWithAutoConfigWithComponent.class).parent(parent)
                .run()) {
                assertThat(child.getBeanNamesForType(ConductorLifecycle.class, true, false)).hasSize(1);
                assertThat(setups("childComponent")).isEqualTo(1);
            }
            assertThat(shutdowns("childComponent")).isEqualTo(1);
            // the child shares the parent's MeterRegistry (Boot's metrics back off for a parent's), so its meters
            // are there; the parent still has none of Conductor's beans
            assertThat(parent.getBeanNamesForType(ConductorLifecycle.class, true, false)).isEmpty();
            assertThat(parent.getBeanNamesForType(ConductorProperties.class, true, false)).isEmpty();
        }
        assertNothingLeftRunning();
    }

    @Test
    void parentAndChildWithComponentsEachRunTheirOwnWithTheBuilder() {
        try (ConfigurableApplicationContext child = app(ParentWithComponent.class)
            .child(ChildWithAutoConfigWithComponent.class).web(WebApplicationType.NONE).run()) {
            ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
            assertThat(child.getBeanNamesForType(ConductorLifecycle.class, true, false)).hasSize(1);
            assertThat(parent.getBeanNamesForType(ConductorLifecycle.class, true, false)).hasSize(1);
            assertThat(ACTIVE).containsExactlyInAnyOrder("parentComponent", "childComponent");
            child.close();
            assertThat(shutdowns("childComponent")).isEqualTo(1);
            assertThat(shutdowns("parentComponent")).isZero();
            parent.close();
        }
        assertNothingLeftRunning();
    }

    // ---- 3. hidden components -----------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class HiddenByInterfaceConfig {
        @Bean
        Component hiddenByInterface() {
            return new Annotated("hiddenByInterface");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class HiddenByObjectConfig {
        @Bean
        Object hiddenByObject() {
            return new Annotated("hiddenByObject");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class HiddenByRegistrarConfig {
        @Bean
        static LateRegistrar lateRegistrar() {
            return new LateRegistrar();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class HiddenAndVisibleConfig {
        @Bean
        static LateRegistrar lateRegistrar() {
            return new LateRegistrar();
        }

        @Bean
        Component hiddenByInterface() {
            return new Annotated("hiddenByInterface");
        }

        @Bean
        Annotated visible() {
            return new Annotated("visible");
        }
    }

    void failsNamingIt(SpringApplicationBuilder builder, String bean, String... expected) {
        Throwable thrown = null;
        try (ConfigurableApplicationContext ctx = builder.run()) {
            // started: the hidden component must at least have run, else it was silently skipped
            assertThat(setups(bean)).as("hidden component %s neither failed the start nor ran; log %s", bean, LOG)
                .isEqualTo(-1);
        }
        catch (RuntimeException ex) {
            thrown = ex;
        }
        assertThat(thrown).as("the start fails").isNotNull();
        String text = messages(thrown);
        assertThat(chainHasIgnoringCase(thrown, bean)).as("names %s: %s", bean, text).isTrue();
        for (String part : expected) {
            assertThat(chainHasIgnoringCase(thrown, part)).as("says '%s': %s", part, text).isTrue();
        }
        assertThat(setups(bean)).isZero();
        assertThat(shutdowns(bean)).as("a component never set up is never shut down (Spring's inferred destroy)")
            .isZero();
    }

    @Test
    void aBeanMethodDeclaringAnInterfaceReturningAnAnnotatedInstanceFailsTheStartSayingWhatToChange() {
        failsNamingIt(app(HiddenByInterfaceConfig.class), "hiddenByInterface", "return type", "@Bean");
    }

    @Test
    void aBeanMethodDeclaringObjectReturningAnAnnotatedInstanceFailsTheStartSayingWhatToChange() {
        failsNamingIt(app(HiddenByObjectConfig.class), "hiddenByObject", "return type", "@Bean");
    }

    @Test
    void aComponentRegisteredByARegistryPostProcessorOfTheApplicationRuns() {
        runsExactlyOnce(app(HiddenByRegistrarConfig.class), "late");
    }

    @Test
    void aBeanRegisteredUnderItsInterfaceWithASupplierFailsTheStartOrRuns() {
        failsNamingIt(app(EmptyAutoConfig.class).initializers(ctx -> ((org.springframework.context.support
            .GenericApplicationContext) ctx).registerBean("suppliedHidden", Component.class,
                    () -> new Annotated("suppliedHidden"))),
                "suppliedHidden");
    }

    @Test
    void contextRunnerWithAComponentRegisteredUnderItsInterfaceFailsTheStart() {
        runner.withBean("hiddenInRunner", Component.class, () -> new Annotated("hiddenInRunner")).run(context -> {
            assertThat(context).as("started: hidden component neither failed the start nor ran? setups %d, lifecycle %s",
                    setups("hiddenInRunner"), context.getStartupFailure() == null
                            ? List.of(context.getBeanNamesForType(ConductorLifecycle.class)) : "-")
                .hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(chainHasIgnoringCase(failure, "hiddenInRunner")).as(messages(failure)).isTrue();
        });
        assertThat(setups("hiddenInRunner")).isZero();
        assertThat(shutdowns("hiddenInRunner")).isZero();
    }

    @Test
    void hiddenComponentsNextToAVisibleOneAreRunAndShutDownExactlyOnce() {
        runsExactlyOnce(app(HiddenAndVisibleConfig.class), "visible", "hiddenByInterface", "late");
    }

    @Test
    void hiddenComponentsNextToAVisibleOneAreShutDownOnceAlsoWhenTheStartFailsLater() {
        HOOKS.put("visible", () -> {
            throw new IllegalStateException("visible boom");
        });
        assertThatThrownBy(() -> app(HiddenAndVisibleConfig.class).run().close())
            .satisfies(ex -> assertThat(Bb.chainHas(ex, "visible boom")).as(messages(ex)).isTrue());
        assertNothingLeftRunning();
        assertThat(shutdowns("visible")).isZero();
    }

    // ---- more shapes: never silently skipped -------------------------------------------------------------

    /** Either the component runs exactly once, or the start fails naming it; never silently skipped. */
    void runsOrFailsNamingIt(SpringApplicationBuilder builder, String bean) {
        RuntimeException failure = null;
        try (ConfigurableApplicationContext ctx = builder.run()) {
            assertThat(setups(bean)).as("%s neither failed the start nor ran; lifecycle %s; log %s", bean,
                    List.of(ctx.getBeanNamesForType(ConductorLifecycle.class, true, false)), LOG).isEqualTo(1);
        }
        catch (RuntimeException ex) {
            failure = ex;
        }
        if (failure != null) {
            assertThat(chainHasIgnoringCase(failure, bean)).as(messages(failure)).isTrue();
            assertThat(setups(bean)).isZero();
        }
        assertNothingLeftRunning();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ConductorComponent
    @interface MyComponent {
    }

    @MyComponent
    static class MetaAnnotated extends Bb.Rec {
        MetaAnnotated() {
            super("metaAnnotated");
        }
    }

    static class SubOfAnnotated extends Annotated {
        SubOfAnnotated(String name) {
            super(name);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = OnlyWithComponentsBlackBoxTest.class, useDefaultFilters = false,
            includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = MetaAnnotated.class))
    static class MetaAnnotatedConfig {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SubclassConfig {
        @Bean
        SubOfAnnotated subOfAnnotated() {
            return new SubOfAnnotated("subOfAnnotated");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Scanned.class)
    static class ImportedConfig {
    }

    @Test
    void aClassMetaAnnotatedWithConductorComponentRunsOrFailsTheStart() {
        runsOrFailsNamingIt(app(MetaAnnotatedConfig.class), "metaAnnotated");
    }

    @Test
    void aBeanMethodReturningASubclassOfAnAnnotatedClassRunsOrFailsTheStart() {
        runsOrFailsNamingIt(app(SubclassConfig.class), "subOfAnnotated");
    }

    @Test
    void anImportedComponentClassGetsTheLifecycle() {
        runsExactlyOnce(app(ImportedConfig.class), "scanned");
    }

    /**
     * Lazy, and only its instance shows that it is a component: nothing can tell before something asks for it, and
     * then its creation fails saying what to change (it is never used, nor shut down, without a setup).
     */
    @Test
    void aHiddenComponentAloneUnderLazyInitializationFailsWhenFirstAskedFor() {
        try (ConfigurableApplicationContext ctx = app(HiddenByInterfaceConfig.class)
                .properties("spring.main.lazy-initialization=true").run()) {
            assertThatThrownBy(() -> ctx.getBean("hiddenByInterface"))
                    .satisfies(ex -> assertThat(chainHasIgnoringCase(ex, "hiddenByInterface")
                            && chainHasIgnoringCase(ex, "Declare the component's class as the @Bean method's return"
                                    + " type")).as(messages(ex)).isTrue());
        }
        assertThat(setups("hiddenByInterface")).isZero();
        assertThat(shutdowns("hiddenByInterface")).isZero();
        assertNothingLeftRunning();
    }

    @Test
    void aLateRegisteredComponentAloneUnderLazyInitializationRunsOrFailsTheStart() {
        runsOrFailsNamingIt(app(HiddenByRegistrarConfig.class).properties("spring.main.lazy-initialization=true"),
                "late");
    }

    @Test
    void aComponentRegisteredWithASupplierUnderItsInterfaceNextToAVisibleOneRunsOnce() {
        runsExactlyOnce(app(BeanOfAnnotatedClassConfig.class).initializers(ctx -> ((org.springframework.context
            .support.GenericApplicationContext) ctx).registerBean("suppliedHidden", Component.class,
                    () -> new Annotated("suppliedHidden"))),
                "ofAnnotatedClass", "suppliedHidden");
    }

    // ---- 4. conductor.enabled=false ------------------------------------------------------------------------

    @Test
    void disabledTouchesNoComponentOfAnyShapeAndFailsNothing() {
        try (ConfigurableApplicationContext ctx = app(HiddenAndVisibleConfig.class).properties("conductor.enabled=false")
            .initializers(c -> c.getBeanFactory().registerSingleton("registered", new Annotated("registered")))
            .run()) {
            assertThat(ctx.getBeanNamesForType(ConductorLifecycle.class, true, false)).isEmpty();
            assertThat(ctx.getBean("late")).isInstanceOf(Annotated.class);
            assertThat(ctx.getBean("hiddenByInterface")).isInstanceOf(Annotated.class);
        }
        assertThat(LOG).as("nobody sets up or shuts down a component when disabled").isEmpty();
    }

    @Test
    void disabledWithOnlyHiddenComponentsStartsAndTouchesNothing() {
        for (Class<?> source : List.of(HiddenByInterfaceConfig.class, HiddenByRegistrarConfig.class,
                HiddenByObjectConfig.class)) {
            try (ConfigurableApplicationContext ctx = app(source).properties("conductor.enabled=false").run()) {
                assertNoConductorBeans(ctx);
            }
        }
        assertThat(LOG).as("nobody sets up or shuts down a component when disabled").isEmpty();
    }

    // ---- 5. unchanged with components: early start, order, readiness -------------------------------------

    static volatile CountDownLatch firstSetUp;

    static class WaitsForFirst {
        WaitsForFirst() throws InterruptedException {
            SEEN.put("waits.firstUpDuringRefresh", firstSetUp.await(30, TimeUnit.SECONDS));
        }
    }

    @ConductorComponent
    static class ReadinessProbe extends Bb.Rec {
        final ApplicationAvailability availability;

        ReadinessProbe(ApplicationAvailability availability) {
            super("probe");
            this.availability = availability;
        }

        @Override
        public void setup() throws Exception {
            SEEN.put("probe.readiness", availability.getReadinessState());
            super.setup();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class UnchangedConfig {
        @Bean
        Annotated first() {
            return new Annotated("first");
        }

        @Bean
        Dependent second(Annotated first) {
            return new Dependent("second", first);
        }

        @Bean
        @DependsOn("second")
        WaitsForFirst waits() throws InterruptedException {
            return new WaitsForFirst();
        }

        @Bean
        ReadinessProbe probe(ApplicationAvailability availability) {
            return new ReadinessProbe(availability);
        }
    }

    @Test
    void earlyStartDependencyOrderAndReadinessAreUnchanged() {
        firstSetUp = new CountDownLatch(1);
        HOOKS.put("first", () -> firstSetUp.countDown());
        HOOKS.put("second", () -> SEEN.put("second.sawFirst", ACTIVE.contains("first")));
        try (ConfigurableApplicationContext ctx = app(UnchangedConfig.class).run()) {
            assertConductorBeans(ctx);
            assertThat(SEEN).containsEntry("waits.firstUpDuringRefresh", true).containsEntry("second.sawFirst", true);
            assertThat(SEEN.get("probe.readiness")).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            assertThat(ctx.getBean(ApplicationAvailability.class).getReadinessState())
                .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(index("up:first")).isLessThan(index("begin:second"));
        assertThat(index("down:second")).isLessThan(index("down:first"));
        assertNothingLeftRunning();
    }

    // ---- repeated runs in one JVM, side by side ---------------------------------------------------------

    @Test
    void repeatedAndOverlappingRunsEachDecideForThemselves() {
        for (int round = 0; round < 3; round++) {
            try (ConfigurableApplicationContext without = app(NoComponentConfig.class).run()) {
                try (ConfigurableApplicationContext with = app(BeanOfAnnotatedClassConfig.class).run()) {
                    assertConductorBeans(with);
                    assertNoConductorBeans(without);
                    try (ConfigurableApplicationContext again = app(NoComponentConfig.class).run()) {
                        assertNoConductorBeans(again);
                    }
                    try (ConfigurableApplicationContext disabled = app(BeanOfAnnotatedClassConfig.class)
                        .properties("conductor.enabled=false").run()) {
                        assertThat(disabled.getBeanNamesForType(ConductorLifecycle.class, true, false)).isEmpty();
                    }
                }
                assertNoConductorBeans(without);
            }
            assertThat(setups("ofAnnotatedClass")).as("round %d", round).isEqualTo(round + 1);
            assertThat(shutdowns("ofAnnotatedClass")).as("round %d", round).isEqualTo(round + 1);
        }
        assertThat(LOG).noneMatch(s -> s.startsWith("TWICE:") || s.startsWith("DOWN-NOT-ACTIVE:"));
    }
}
