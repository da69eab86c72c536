package dev.conductor.spring.blackbox;

import static dev.conductor.spring.blackbox.Bb.LOG;
import static dev.conductor.spring.blackbox.Bb.index;
import static dev.conductor.spring.blackbox.Bb.setups;
import static dev.conductor.spring.blackbox.Bb.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.actuate.ConductorEndpointAutoConfiguration;
import dev.conductor.spring.actuate.ConductorHealthAutoConfiguration;
import dev.conductor.spring.actuate.ConductorMetricsAutoConfiguration;
import dev.conductor.spring.actuate.ConductorObservationAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLeadershipAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;

/**
 * Black-box tests of the order of auto-configurations (README "Works with", the row of an application without
 * components; CHANGELOG "Unreleased"): components defined by other auto-configurations, ordered after Boot's own,
 * are seen and run exactly once; what can still come after Conductor's fails the start loudly, saying what to do.
 * Written from the documentation only.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AutoConfigurationOrderBlackBoxTest {

    @BeforeEach
    void reset() {
        Bb.reset();
    }

    // ---- components -------------------------------------------------------------------------------------

    @ConductorComponent
    static class Comp extends Bb.Rec {
        Comp(String name, Object... dependencies) {
            super(name);
        }
    }

    /** The application's own component. */
    @Configuration(proxyBeanMethods = false)
    static class AppDb {
        @Bean
        Comp appDb() {
            return new Comp("appDb");
        }
    }

    // ---- auto-configurations ordered after Boot's ---------------------------------------------------------

    @AutoConfiguration(after = WebMvcAutoConfiguration.class)
    static class AfterWebMvc {
        @Bean
        Comp mvcComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("mvcComp", appDb);
        }
    }

    @AutoConfiguration(after = HealthContributorAutoConfiguration.class)
    static class AfterHealth {
        @Bean
        Comp healthComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("healthComp", appDb);
        }
    }

    @AutoConfiguration(after = MetricsAutoConfiguration.class)
    static class AfterMetrics {
        @Bean
        Comp metricsComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("metricsComp", appDb);
        }
    }

    @AutoConfiguration(after = ObservationAutoConfiguration.class)
    static class AfterObservation {
        @Bean
        Comp observationComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("observationComp", appDb);
        }
    }

    /**
     * Boot's JDBC auto-configuration (spring-boot-jdbc) is not on this module's test class path: ordered after it
     * by name, which Boot accepts for an absent class.
     */
    @AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class AfterDataSource {
        @Bean
        Comp jdbcComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("jdbcComp", appDb);
        }
    }

    @AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
    static class AfterTaskExecution {
        @Bean
        Comp taskComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("taskComp", appDb);
        }
    }

    static final String[] AFTER_BOOT = { "mvcComp", "healthComp", "metricsComp", "observationComp", "jdbcComp",
        "taskComp" };

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ AfterWebMvc.class, AfterHealth.class, AfterMetrics.class, AfterObservation.class,
        AfterDataSource.class, AfterTaskExecution.class })
    @org.springframework.context.annotation.Import(AppDb.class)
    static class AfterBootApp {
    }

    static SpringApplicationBuilder app(Class<?>... sources) {
        return OnlyWithComponentsBlackBoxTest.app(sources);
    }

    /** Each named component set up once after appDb, shut down once before it, nothing left running. */
    static void assertRanOnceAfterAppDb(String... names) {
        assertThat(setups("appDb")).as("appDb setups; log %s", LOG).isEqualTo(1);
        for (String name : names) {
            assertThat(setups(name)).as("setups of %s; log %s", name, LOG).isEqualTo(1);
            assertThat(shutdowns(name)).as("shutdowns of %s; log %s", name, LOG).isEqualTo(1);
            assertThat(index("up:" + name)).as("%s up after appDb; log %s", name, LOG)
                .isGreaterThan(index("up:appDb"));
            assertThat(index("down:" + name)).as("%s down before appDb; log %s", name, LOG)
                .isLessThan(index("down:appDb"));
        }
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    @Test
    void componentsOfAutoConfigurationsAfterBootsAreRunOnceWithoutAWebServer() {
        try (ConfigurableApplicationContext ctx = app(AfterBootApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : AFTER_BOOT) {
                assertThat(setups(name)).as("%s set up before run() returned; log %s", name, LOG).isEqualTo(1);
            }
        }
        assertRanOnceAfterAppDb(AFTER_BOOT);
    }

    @Test
    void componentsOfAutoConfigurationsAfterBootsAreRunOnceInAServletApplicationWithActuator() throws Exception {
        runServletApplicationWithActuator(AfterBootApp.class, AFTER_BOOT);
        assertRanOnceAfterAppDb(AFTER_BOOT);
    }

    // The same with ApplicationContextRunner: Conductor's auto-configurations with Boot's real ones, with and
    // without Actuator's on the list.

    static final AutoConfigurations CONDUCTOR = AutoConfigurations.of(ConductorAutoConfiguration.class,
            ConductorLeadershipAutoConfiguration.class, ConductorHealthAutoConfiguration.class,
            ConductorEndpointAutoConfiguration.class, ConductorMetricsAutoConfiguration.class,
            ConductorObservationAutoConfiguration.class);

    // ---- the same, with no component of the application's own: only auto-configurations define them ---------
    // (named Solo..., to sort after OnLifecycleDefaultOrder below)

    @AutoConfiguration(after = WebMvcAutoConfiguration.class)
    static class SoloAfterWebMvc {
        @Bean
        Comp soloMvc() {
            return new Comp("soloMvc");
        }
    }

    @AutoConfiguration(after = HealthContributorAutoConfiguration.class)
    static class SoloAfterHealth {
        @Bean
        Comp soloHealth() {
            return new Comp("soloHealth");
        }
    }

    @AutoConfiguration(after = MetricsAutoConfiguration.class)
    static class SoloAfterMetrics {
        @Bean
        Comp soloMetrics() {
            return new Comp("soloMetrics");
        }
    }

    @AutoConfiguration(after = ObservationAutoConfiguration.class)
    static class SoloAfterObservation {
        @Bean
        Comp soloObservation() {
            return new Comp("soloObservation");
        }
    }

    @AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class SoloAfterDataSource {
        @Bean
        Comp soloJdbc() {
            return new Comp("soloJdbc");
        }
    }

    @AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
    static class SoloAfterTaskExecution {
        @Bean
        Comp soloTask() {
            return new Comp("soloTask");
        }
    }

    static final String[] SOLO = { "soloMvc", "soloHealth", "soloMetrics", "soloObservation", "soloJdbc",
        "soloTask" };

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ SoloAfterWebMvc.class, SoloAfterHealth.class, SoloAfterMetrics.class,
        SoloAfterObservation.class, SoloAfterDataSource.class, SoloAfterTaskExecution.class })
    static class SoloApp {
    }

    /**
     * Runs the application with a servlet server and Actuator: Conductor's beans are there, each of {@code names}
     * is set up once while it runs, and the endpoint, the health contributor, readiness and the meters show them.
     */
    static void runServletApplicationWithActuator(Class<?> application, String... names) throws Exception {
        try (ConfigurableApplicationContext ctx = app(application).web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=*",
                    "management.endpoint.health.show-details=always")
            .run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : names) {
                assertThat(setups(name)).as("%s set up; log %s", name, LOG).isEqualTo(1);
            }
            HttpResponse<String> endpoint = OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/conductor");
            assertThat(endpoint.statusCode()).isEqualTo(200);
            assertThat(endpoint.body()).contains(names);
            HttpResponse<String> health = OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/health/conductor");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP").contains(names);
            assertThat(OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/health/readiness").statusCode())
                .isEqualTo(200);
            assertThat(OnlyWithComponentsBlackBoxTest.conductorMeters(ctx)).isNotEmpty();
        }
    }

    /** What starting an application gave: its running context, or the failure its start ended with. */
    record Started(@Nullable ConfigurableApplicationContext context, @Nullable Throwable failure) {
    }

    static Started start(SpringApplicationBuilder application) {
        try {
            return new Started(application.run(), null);
        }
        catch (Throwable failure) {
            return new Started(null, failure);
        }
    }

    /** Each set up once before run() returned, and shut down once after close; nothing left running. */
    static void assertRanOnce(String... names) {
        for (String name : names) {
            assertThat(setups(name)).as("setups of %s; log %s", name, LOG).isEqualTo(1);
            assertThat(shutdowns(name)).as("shutdowns of %s; log %s", name, LOG).isEqualTo(1);
        }
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    @Test
    void onlyAutoConfigurationsAfterBootsDefineComponentsWithoutAWebServer() {
        try (ConfigurableApplicationContext ctx = app(SoloApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : SOLO) {
                assertThat(setups(name)).as("%s set up before run() returned; log %s", name, LOG).isEqualTo(1);
            }
        }
        assertRanOnce(SOLO);
    }

    @Test
    void onlyAutoConfigurationsAfterBootsDefineComponentsInAServletApplicationWithActuator() throws Exception {
        runServletApplicationWithActuator(SoloApp.class, SOLO);
        assertRanOnce(SOLO);
    }

    @Test
    void onlyAutoConfigurationsDefineComponentsInTheRunnerWithActuator() {
        new ApplicationContextRunner().withConfiguration(CONDUCTOR)
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    MetricsAutoConfiguration.class, ObservationAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, SoloAfterTaskExecution.class, SoloAfterDataSource.class,
                    SoloAfterMetrics.class, SoloAfterObservation.class, SoloAfterHealth.class))
            .run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).hasSingleBean(ConductorLifecycle.class);
                for (String name : new String[] { "soloTask", "soloJdbc", "soloMetrics", "soloObservation",
                    "soloHealth" }) {
                    assertThat(setups(name)).as("%s; log %s", name, LOG).isEqualTo(1);
                }
            });
        assertRanOnce("soloTask", "soloJdbc", "soloMetrics", "soloObservation", "soloHealth");
    }

    @Test
    void onlyAutoConfigurationsDefineComponentsInTheRunnerWithoutActuator() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorLeadershipAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                    ObservationAutoConfiguration.class, SoloAfterTaskExecution.class, SoloAfterDataSource.class,
                    SoloAfterObservation.class))
            .run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).hasSingleBean(ConductorLifecycle.class);
            });
        assertRanOnce("soloTask", "soloJdbc", "soloObservation");
    }

    @Test
    void onlyAutoConfigurationsDefineComponentsUnderLazyInitialization() {
        try (ConfigurableApplicationContext ctx = app(SoloApp.class)
            .properties("spring.main.lazy-initialization=true").run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : SOLO) {
                assertThat(setups(name)).as("%s set up; log %s", name, LOG).isEqualTo(1);
            }
        }
        assertRanOnce(SOLO);
    }

    @Test
    void onlyAutoConfigurationsDefineComponentsTwiceInOneJvm() {
        for (int round = 0; round < 2; round++) {
            Bb.reset();
            try (ConfigurableApplicationContext ctx = app(SoloApp.class).run()) {
                OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            }
            assertRanOnce(SOLO);
        }
    }

    @Test
    void disabledLeavesComponentsOfOnlyAutoConfigurationsAlone() {
        try (ConfigurableApplicationContext ctx = app(SoloApp.class).properties("conductor.enabled=false").run()) {
            OnlyWithComponentsBlackBoxTest.assertNoConductorBeans(ctx);
            assertThat(ctx.getBean("soloTask")).isNotNull();
        }
        assertThat(LOG).as("Spring called no setup nor shutdown").isEmpty();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EmptyParent {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ SoloAfterTaskExecution.class, SoloAfterMetrics.class })
    static class SoloChild {
    }

    @Test
    void childWithComponentsOnlyFromAutoConfigurationsUnderAParentWithout() {
        ConfigurableApplicationContext parentContext;
        try (ConfigurableApplicationContext child = app(EmptyParent.class).child(SoloChild.class)
            .web(WebApplicationType.NONE).run()) {
            parentContext = (ConfigurableApplicationContext) child.getParent();
            assertThat(child.getBeanNamesForType(ConductorLifecycle.class, false, false)).hasSize(1);
            assertThat(parentContext.getBeanNamesForType(ConductorLifecycle.class, false, false))
                .as("the parent has no component").isEmpty();
            assertThat(setups("soloTask")).as("log %s", LOG).isEqualTo(1);
            assertThat(setups("soloMetrics")).as("log %s", LOG).isEqualTo(1);
        }
        assertRanOnce("soloTask", "soloMetrics");
        parentContext.close();
    }

    @Test
    void runnerWithBootsAutoConfigurationsAndActuator() {
        new ApplicationContextRunner().withConfiguration(CONDUCTOR)
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    ObservationAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    AfterTaskExecution.class, AfterDataSource.class, AfterMetrics.class, AfterObservation.class,
                    AfterHealth.class))
            .withUserConfiguration(AppDb.class)
            .run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).hasSingleBean(ConductorLifecycle.class);
                for (String name : new String[] { "taskComp", "jdbcComp", "metricsComp", "observationComp",
                    "healthComp" }) {
                    assertThat(setups(name)).as("%s; log %s", name, LOG).isEqualTo(1);
                }
            });
        assertRanOnceAfterAppDb("taskComp", "jdbcComp", "metricsComp", "observationComp", "healthComp");
    }

    @Test
    void runnerWithBootsAutoConfigurationsWithoutActuator() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorLeadershipAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                    ObservationAutoConfiguration.class, AfterTaskExecution.class,
                    AfterDataSource.class, AfterObservation.class))
            .withUserConfiguration(AppDb.class)
            .run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).hasSingleBean(ConductorLifecycle.class);
                assertThat(ctx).doesNotHaveBean("conductorHealthIndicator");
            });
        assertRanOnceAfterAppDb("taskComp", "jdbcComp", "observationComp");
    }

    // ---- components in two auto-configurations that depend on each other and on the application's ----------

    @AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
    static class ChainFirst {
        @Bean
        Comp chainA(@Qualifier("appDb") Comp appDb) {
            return new Comp("chainA", appDb);
        }
    }

    @AutoConfiguration(after = { ChainFirst.class, MetricsAutoConfiguration.class })
    static class ChainSecond {
        @Bean
        Comp chainB(@Qualifier("chainA") Comp chainA, @Qualifier("appDb") Comp appDb) {
            return new Comp("chainB", chainA, appDb);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ ChainSecond.class, ChainFirst.class })
    @org.springframework.context.annotation.Import(AppDb.class)
    static class ChainApp {
    }

    @Test
    void componentsOfTwoAutoConfigurationsDependingOnEachOtherRunInDependencyOrder() {
        try (ConfigurableApplicationContext ctx = app(ChainApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(index("up:chainB")).as("log %s", LOG).isGreaterThan(index("up:chainA"));
        }
        assertThat(index("down:chainB")).as("log %s", LOG).isLessThan(index("down:chainA"));
        assertRanOnceAfterAppDb("chainA", "chainB");
    }

    // ---- an auto-configuration ordered after Conductor's, conditional on its lifecycle ---------------------

    static class LifecycleUser {
    }

    @AutoConfiguration(after = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnBean(ConductorLifecycle.class)
    static class OnLifecycleLowest {
        @Bean
        LifecycleUser lifecycleUser() {
            return new LifecycleUser();
        }
    }

    /** The documented pitfall: after Conductor's, but with the default order. */
    @AutoConfiguration(after = ConductorAutoConfiguration.class)
    @ConditionalOnBean(ConductorLifecycle.class)
    static class OnLifecycleDefaultOrder {
        @Bean
        LifecycleUser lifecycleUser() {
            return new LifecycleUser();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ OnLifecycleLowest.class, ZzAfterWebMvc.class, ZzAfterTaskExecution.class,
        ZzAfterMetrics.class })
    @org.springframework.context.annotation.Import(AppDb.class)
    static class OnLifecycleLowestApp {
    }

    /* Named to sort after OnLifecycleDefaultOrder, as com.acme.Late sorts after com.acme.Early. */

    @AutoConfiguration(after = WebMvcAutoConfiguration.class)
    static class ZzAfterWebMvc {
        @Bean
        Comp mvcComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("mvcComp", appDb);
        }
    }

    @AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
    static class ZzAfterTaskExecution {
        @Bean
        Comp taskComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("taskComp", appDb);
        }
    }

    @AutoConfiguration(after = MetricsAutoConfiguration.class)
    static class ZzAfterMetrics {
        @Bean
        Comp metricsComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("metricsComp", appDb);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ OnLifecycleDefaultOrder.class, ZzAfterWebMvc.class, ZzAfterTaskExecution.class,
        ZzAfterMetrics.class })
    @org.springframework.context.annotation.Import(AppDb.class)
    static class OnLifecycleDefaultOrderApp {
    }

    @Test
    void afterConductorWithTheLowestOrderSeesTheLifecycleAndComponentsAfterBootsStillRun() {
        try (ConfigurableApplicationContext ctx = app(OnLifecycleLowestApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(ctx.getBeanNamesForType(LifecycleUser.class)).hasSize(1);
        }
        assertRanOnceAfterAppDb("mvcComp", "taskComp", "metricsComp");
    }

    /**
     * Without the lowest order, Boot pulls Conductor's auto-configuration forward, before auto-configurations
     * ordered after Boot's: their components are then defined after Conductor's looked. The promise: never
     * silently left out. Either each runs once, or the start fails naming the component and what to change.
     */
    @Test
    void afterConductorWithTheDefaultOrderNeverLeavesAComponentSilentlyUnset() {
        Started started = start(app(OnLifecycleDefaultOrderApp.class));
        ConfigurableApplicationContext ctx = started.context();
        Throwable failure = started.failure();
        if (ctx != null) {
            try (ConfigurableApplicationContext running = ctx) {
                for (String name : new String[] { "mvcComp", "taskComp", "metricsComp" }) {
                    assertThat(setups(name)).as("%s set up; log %s", name, LOG).isEqualTo(1);
                }
            }
            assertRanOnceAfterAppDb("mvcComp", "taskComp", "metricsComp");
        }
        else {
            assertThat(failure).isNotNull();
            boolean namesOne = Bb.chainHas(failure, "taskComp") || Bb.chainHas(failure, "metricsComp")
                    || Bb.chainHas(failure, "mvcComp");
            assertThat(namesOne).as("the failure names a component: %s", failure).isTrue();
            assertThat(Bb.chainHas(failure, "ConductorAutoConfiguration"))
                .as("the failure says what to change: %s", failure).isTrue();
            OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
            for (String name : new String[] { "mvcComp", "taskComp", "metricsComp" }) {
                assertThat(shutdowns(name)).as("%s shut down by no one after a failed start", name)
                    .isEqualTo(setups(name));
            }
        }
    }

    // ---- an auto-configuration of the lowest order named after dev.conductor -------------------------------

    /** dev.conductor.spring.blackbox... sorts after dev.conductor.spring.autoconfigure / actuate. */
    @AutoConfiguration
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestNamedAfter {
        @Bean
        Comp lateComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("lateComp", appDb);
        }
    }

    @AutoConfiguration(before = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestNamedAfterBefore {
        @Bean
        Comp lateComp(@Qualifier("appDb") Comp appDb) {
            return new Comp("lateComp", appDb);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(LowestNamedAfter.class)
    @org.springframework.context.annotation.Import(AppDb.class)
    static class LowestNamedAfterApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(LowestNamedAfterBefore.class)
    @org.springframework.context.annotation.Import(AppDb.class)
    static class LowestNamedAfterBeforeApp {
    }

    @Test
    void lowestOrderNamedAfterConductorRunsOnceBesideAnApplicationComponent() {
        // the application's own component makes Conductor's beans; the late one is still a definition by then
        try (ConfigurableApplicationContext ctx = app(LowestNamedAfterApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
        }
        assertRanOnceAfterAppDb("lateComp");
    }

    @Test
    void lowestOrderNamedAfterConductorRunsWithBefore() {
        try (ConfigurableApplicationContext ctx = app(LowestNamedAfterBeforeApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(setups("lateComp")).isEqualTo(1);
        }
        assertRanOnceAfterAppDb("lateComp");
    }

    /** The only components of the application, in an auto-configuration that sorts after Conductor's. */
    @AutoConfiguration
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestSolo {
        @Bean
        Comp lateSolo() {
            return new Comp("lateSolo");
        }
    }

    @AutoConfiguration(before = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class LowestSoloBefore {
        @Bean
        Comp lateSolo() {
            return new Comp("lateSolo");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(LowestSolo.class)
    static class LowestSoloApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(LowestSoloBefore.class)
    static class LowestSoloBeforeApp {
    }

    static void assertLoudFailureNaming(Throwable failure, String bean) {
        assertThat(failure).as("documented to fail the start; log %s", LOG).isNotNull();
        assertThat(Bb.chainHas(failure, bean)).as("names the bean: %s", failure).isTrue();
        assertThat(Bb.chainHas(failure, "before = ConductorAutoConfiguration")
                || Bb.chainHas(failure, "before = dev.conductor.spring.autoconfigure.ConductorAutoConfiguration")
                || Bb.chainHas(failure, "before = ConductorAutoConfiguration.class"))
            .as("says what to change: %s", failure).isTrue();
        assertThat(setups(bean)).as("log %s", LOG).isZero();
        assertThat(shutdowns(bean)).as("Spring never shuts down what nothing set up; log %s", LOG).isZero();
    }

    @Test
    void lowestOrderNamedAfterConductorAloneFailsLoudlyWithoutBefore() {
        Throwable failure = catchThrowable(() -> app(LowestSoloApp.class).run().close());
        assertLoudFailureNaming(failure, "lateSolo");
    }

    @Test
    void lowestOrderNamedAfterConductorAloneRunsWithBefore() {
        try (ConfigurableApplicationContext ctx = app(LowestSoloBeforeApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(setups("lateSolo")).isEqualTo(1);
        }
        assertRanOnce("lateSolo");
    }

    @Test
    void lowestOrderNamedAfterConductorAloneInTheRunnerFailsLoudly() {
        new ApplicationContextRunner().withConfiguration(CONDUCTOR)
            .withConfiguration(AutoConfigurations.of(LowestSolo.class))
            .run(ctx -> {
                assertThat(ctx).as("documented to fail the start; log %s", LOG).hasFailed();
                assertLoudFailureNaming(ctx.getStartupFailure(), "lateSolo");
            });
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    @Test
    void lowestOrderNamedAfterConductorAloneUnderLazyInitializationFailsLoudly() {
        Throwable failure = catchThrowable(() -> app(LowestSoloApp.class)
            .properties("spring.main.lazy-initialization=true").run().close());
        assertLoudFailureNaming(failure, "lateSolo");
    }

    // ---- ordered after Conductor's and conditional on its lifecycle, with only such components -------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ OnLifecycleLowest.class, SoloAfterWebMvc.class, SoloAfterTaskExecution.class,
        SoloAfterMetrics.class })
    static class OnLifecycleLowestSoloApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ OnLifecycleDefaultOrder.class, SoloAfterWebMvc.class, SoloAfterTaskExecution.class,
        SoloAfterMetrics.class })
    static class OnLifecycleDefaultOrderSoloApp {
    }

    @Test
    void afterConductorWithTheLowestOrderAndOnlyAutoConfiguredComponents() {
        try (ConfigurableApplicationContext ctx = app(OnLifecycleLowestSoloApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(ctx.getBeanNamesForType(LifecycleUser.class)).as("its condition saw the lifecycle")
                .hasSize(1);
        }
        assertRanOnce("soloMvc", "soloTask", "soloMetrics");
    }

    /**
     * The documented pitfall: with the default order, Boot pulls Conductor's auto-configuration before the ones
     * sorted after this one, so their components (the only ones) are defined after Conductor's looked. Never
     * silently: the start fails naming one and what to do, or each runs once.
     */
    @Test
    void afterConductorWithTheDefaultOrderAndOnlyAutoConfiguredComponentsIsNeverSilent() {
        Started started = start(app(OnLifecycleDefaultOrderSoloApp.class));
        ConfigurableApplicationContext ctx = started.context();
        Throwable failure = started.failure();
        if (ctx != null) {
            try (ConfigurableApplicationContext running = ctx) {
                OnlyWithComponentsBlackBoxTest.assertConductorBeans(running);
            }
            assertRanOnce("soloMvc", "soloTask", "soloMetrics");
        }
        else {
            boolean namesOne = Bb.chainHas(failure, "soloTask") || Bb.chainHas(failure, "soloMetrics")
                    || Bb.chainHas(failure, "soloMvc");
            assertThat(namesOne).as("the failure names a component: %s", failure).isTrue();
            assertThat(Bb.chainHas(failure, "ConductorAutoConfiguration"))
                .as("the failure says what to change: %s", failure).isTrue();
            assertThat(LOG).as("nothing set up nor shut down").isEmpty();
        }
    }

    @Test
    void afterConductorWithTheDefaultOrderUnderLazyInitializationIsNeverSilent() {
        Started started = start(app(OnLifecycleDefaultOrderSoloApp.class).properties("spring.main.lazy-initialization=true"));
        ConfigurableApplicationContext ctx = started.context();
        Throwable failure = started.failure();
        if (ctx != null) {
            try (ConfigurableApplicationContext running = ctx) {
                OnlyWithComponentsBlackBoxTest.assertConductorBeans(running);
            }
            assertRanOnce("soloMvc", "soloTask", "soloMetrics");
        }
        else {
            boolean namesOne = Bb.chainHas(failure, "soloTask") || Bb.chainHas(failure, "soloMetrics")
                    || Bb.chainHas(failure, "soloMvc");
            assertThat(namesOne).as("the failure names a component: %s", failure).isTrue();
            assertThat(LOG).as("nothing set up nor shut down").isEmpty();
        }
    }

    @Test
    void componentsConductorCannotSeeWithConductorDisabledStartAndAreLeftAlone() {
        // the failure's action offers conductor.enabled=false: then the start succeeds and nothing runs them
        try (ConfigurableApplicationContext ctx = app(LowestSoloApp.class).properties("conductor.enabled=false")
            .run()) {
            OnlyWithComponentsBlackBoxTest.assertNoConductorBeans(ctx);
            assertThat(ctx.getBean("lateSolo")).isNotNull();
        }
        try (ConfigurableApplicationContext ctx = app(OnLifecycleDefaultOrderSoloApp.class)
            .properties("conductor.enabled=false").run()) {
            OnlyWithComponentsBlackBoxTest.assertNoConductorBeans(ctx);
            assertThat(ctx.getBeanNamesForType(LifecycleUser.class)).isEmpty();
        }
        assertThat(LOG).as("Spring called no setup nor shutdown").isEmpty();
    }

    // ---- hierarchies: a child's own components, the parent with or without components ----------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(LowestSolo.class)
    static class LowestSoloChild {
    }

    /**
     * The parent has a ConductorLifecycle (its own component); the child's only component is in an
     * auto-configuration sorted after Conductor's. Each context runs its own components: the child's is set up
     * once by the child, or the child's start fails naming it; never left to nobody, never run by the parent.
     */
    @Test
    void childWhoseOnlyComponentSortsAfterConductorsUnderAParentWithComponents() {
        ConfigurableApplicationContext parentContext = app(ParentApp.class).run();
        try {
            Started started = start(new SpringApplicationBuilder(LowestSoloChild.class).parent(parentContext)
                    .web(WebApplicationType.NONE)
                    .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.jmx.enabled=false")
                    );
            ConfigurableApplicationContext child = started.context();
            Throwable failure = started.failure();
            if (child != null) {
                try (ConfigurableApplicationContext running = child) {
                    assertThat(running.getBeanNamesForType(ConductorLifecycle.class, false, false))
                        .as("the child's own lifecycle runs its component; log %s", LOG).hasSize(1);
                    assertThat(setups("lateSolo")).as("log %s", LOG).isEqualTo(1);
                }
                assertThat(shutdowns("lateSolo")).as("closing the child shuts its component; log %s", LOG)
                    .isEqualTo(1);
                assertThat(shutdowns("appDb")).as("the parent's stays up; log %s", LOG).isZero();
            }
            else {
                assertThat(Bb.chainHas(failure, "lateSolo")).as("names the bean: %s", failure).isTrue();
                assertThat(setups("lateSolo")).as("log %s", LOG).isZero();
                assertThat(shutdowns("lateSolo")).as("log %s", LOG).isZero();
            }
        }
        finally {
            parentContext.close();
        }
        assertThat(setups("appDb")).isEqualTo(1);
        assertThat(shutdowns("appDb")).isEqualTo(1);
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ OnLifecycleDefaultOrder.class, SoloAfterWebMvc.class, SoloAfterTaskExecution.class,
        SoloAfterMetrics.class })
    static class OnLifecycleDefaultOrderSoloChild {
    }

    /**
     * The pitfall in a child under a parent with a lifecycle: the child's condition on ConductorLifecycle may see
     * the parent's (ancestors are searched), but the child's components must still be run by the child, once.
     */
    @Test
    void childWithThePitfallUnderAParentWithALifecycle() {
        ConfigurableApplicationContext parentContext = app(ParentApp.class).run();
        try {
            Started started = start(new SpringApplicationBuilder(OnLifecycleDefaultOrderSoloChild.class).parent(parentContext)
                    .web(WebApplicationType.NONE)
                    .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.jmx.enabled=false")
                    );
            ConfigurableApplicationContext child = started.context();
            Throwable failure = started.failure();
            if (child != null) {
                try (ConfigurableApplicationContext running = child) {
                    assertThat(running.getBeanNamesForType(ConductorLifecycle.class, false, false))
                        .as("the child's own lifecycle; log %s", LOG).hasSize(1);
                    for (String name : new String[] { "soloMvc", "soloTask", "soloMetrics" }) {
                        assertThat(setups(name)).as("%s; log %s", name, LOG).isEqualTo(1);
                    }
                }
                for (String name : new String[] { "soloMvc", "soloTask", "soloMetrics" }) {
                    assertThat(shutdowns(name)).as("%s; log %s", name, LOG).isEqualTo(1);
                }
            }
            else {
                boolean namesOne = Bb.chainHas(failure, "soloTask") || Bb.chainHas(failure, "soloMetrics")
                        || Bb.chainHas(failure, "soloMvc");
                assertThat(namesOne).as("the failure names a component: %s", failure).isTrue();
            }
        }
        finally {
            parentContext.close();
        }
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    /** Ordered after Conductor's (correctly, with the lowest order) and defining a component itself. */
    @AutoConfiguration(after = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnBean(ConductorLifecycle.class)
    static class OnLifecycleWithComponent {
        @Bean
        Comp addOn() {
            return new Comp("addOn");
        }
    }

    @AutoConfiguration(after = ConductorAutoConfiguration.class)
    @AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
    static class AfterConductorWithComponent {
        @Bean
        Comp addOn() {
            return new Comp("addOn");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(OnLifecycleWithComponent.class)
    @org.springframework.context.annotation.Import(AppDb.class)
    static class OnLifecycleWithComponentApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(AfterConductorWithComponent.class)
    static class AfterConductorWithComponentApp {
    }

    @Test
    void aComponentAddedWhenTheLifecycleExistsRunsOnce() {
        try (ConfigurableApplicationContext ctx = app(OnLifecycleWithComponentApp.class).run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(setups("addOn")).as("log %s", LOG).isEqualTo(1);
        }
        assertRanOnce("appDb", "addOn");
    }

    @Test
    void theOnlyComponentInAnAutoConfigurationAfterConductorsFailsLoudly() {
        Throwable failure = catchThrowable(() -> app(AfterConductorWithComponentApp.class).run().close());
        assertThat(failure).as("documented: its components go in an auto-configuration of their own; log %s", LOG)
            .isNotNull();
        assertThat(Bb.chainHas(failure, "addOn")).as("names the bean: %s", failure).isTrue();
        assertThat(Bb.chainHas(failure, "auto-configuration of its own")
                || Bb.chainHas(failure, "before = ConductorAutoConfiguration"))
            .as("says what to change: %s", failure).isTrue();
        assertThat(LOG).as("nothing set up nor shut down").isEmpty();
    }

    // ---- other shapes of definitions an auto-configuration makes: a registrar, a member class, a FactoryBean ---

    static class RegistersComponent implements org.springframework.context.annotation.ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(org.springframework.core.type.AnnotationMetadata metadata,
                org.springframework.beans.factory.support.BeanDefinitionRegistry registry) {
            org.springframework.beans.factory.support.RootBeanDefinition definition =
                    new org.springframework.beans.factory.support.RootBeanDefinition(Comp.class);
            definition.setInstanceSupplier(() -> new Comp("registered"));
            registry.registerBeanDefinition("registered", definition);
        }
    }

    @AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
    @org.springframework.context.annotation.Import(RegistersComponent.class)
    static class SoloWithRegistrar {
    }

    @AutoConfiguration(after = MetricsAutoConfiguration.class)
    static class SoloWithMemberClass {
        @Configuration(proxyBeanMethods = false)
        static class Member {
            @Bean
            Comp member() {
                return new Comp("member");
            }
        }
    }

    static class CompFactory implements org.springframework.beans.factory.FactoryBean<Comp> {
        @Override
        public Comp getObject() {
            return new Comp("madeByFactory");
        }

        @Override
        public Class<?> getObjectType() {
            return Comp.class;
        }
    }

    @AutoConfiguration(after = ObservationAutoConfiguration.class)
    static class SoloWithFactoryBean {
        @Bean
        CompFactory madeByFactory() {
            return new CompFactory();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(SoloWithRegistrar.class)
    static class RegistrarApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(SoloWithMemberClass.class)
    static class MemberClassApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration(SoloWithFactoryBean.class)
    static class FactoryBeanApp {
    }

    /** Runs once, or fails the start naming the bean: never silently left out. */
    static void assertRunsOnceOrFailsNaming(Class<?> source, String bean) {
        Started started = start(app(source));
        ConfigurableApplicationContext ctx = started.context();
        Throwable failure = started.failure();
        if (ctx != null) {
            try (ConfigurableApplicationContext running = ctx) {
                assertThat(setups(bean)).as("%s set up before run() returned; log %s", bean, LOG).isEqualTo(1);
            }
            assertRanOnce(bean);
        }
        else {
            assertThat(Bb.chainHas(failure, bean)).as("names the bean: %s", failure).isTrue();
            assertThat(LOG).as("nothing set up nor shut down").isEmpty();
        }
    }

    @Test
    void theOnlyComponentRegisteredByARegistrarOfAnAutoConfiguration() {
        assertRunsOnceOrFailsNaming(RegistrarApp.class, "registered");
    }

    @Test
    void theOnlyComponentInAMemberClassOfAnAutoConfiguration() {
        assertRunsOnceOrFailsNaming(MemberClassApp.class, "member");
    }

    @Test
    void theOnlyComponentMadeByAFactoryBeanOfAnAutoConfiguration() {
        assertRunsOnceOrFailsNaming(FactoryBeanApp.class, "madeByFactory");
    }

    // ---- without Conductor's auto-configuration ----------------------------------------------------------

    /** A child that imports only an auto-configuration with a component, not Conductor's. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ TaskExecutionAutoConfiguration.class, SoloAfterTaskExecution.class })
    static class ChildWithoutConductor {
    }

    @Test
    void childWithAutoConfiguredComponentsButWithoutConductorsAutoConfigurationFailsNamingThem() {
        ConfigurableApplicationContext parentContext = app(ParentApp.class).run();
        try {
            Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ChildWithoutConductor.class)
                .parent(parentContext).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.jmx.enabled=false")
                .run().close());
            assertThat(failure).as("documented: fails to start, naming them; log %s", LOG).isNotNull();
            assertThat(Bb.chainHas(failure, "soloTask")).as("names it: %s", failure).isTrue();
            assertThat(setups("soloTask")).isZero();
            assertThat(shutdowns("soloTask")).as("Spring runs none of its destroy callbacks").isZero();
        }
        finally {
            parentContext.close();
        }
        OnlyWithComponentsBlackBoxTest.assertNothingLeftRunning();
    }

    static ConfigurableApplicationContext runExcludingConductor(Throwable[] failure) {
        try {
            return app(SoloApp.class)
                .properties("spring.autoconfigure.exclude=" + ConductorAutoConfiguration.class.getName())
                .run();
        }
        catch (Throwable t) {
            failure[0] = t;
            return null;
        }
    }

    /**
     * README: excluding ConductorAutoConfiguration takes Conductor out of the context altogether (no lifecycle,
     * nothing sets the components up, they are plain beans to Spring); conductor.enabled=false is the switch that
     * keeps Spring off their callbacks (tested above).
     */
    @Test
    void excludingConductorsAutoConfigurationTakesConductorOutOfTheContext() {
        Throwable[] failure = new Throwable[1];
        ConfigurableApplicationContext ctx = runExcludingConductor(failure);
        assertThat(failure[0]).isNull();
        try {
            assertThat(ctx.getBeanNamesForType(ConductorLifecycle.class)).isEmpty();
            assertThat(LOG).as("nothing set a component up").noneMatch(e -> e.startsWith("up:"));
        }
        finally {
            ctx.close();
        }
    }

    @Test
    void onlyAutoConfigurationsDefineComponentsInALazyServletApplication() throws Exception {
        try (ConfigurableApplicationContext ctx = app(SoloApp.class).web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=*",
                    "spring.main.lazy-initialization=true")
            .run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : SOLO) {
                assertThat(setups(name)).as("%s set up before the server took traffic; log %s", name, LOG)
                    .isEqualTo(1);
            }
            assertThat(OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/conductor").statusCode()).isEqualTo(200);
            assertThat(OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/health/readiness").statusCode())
                .isEqualTo(200);
        }
        assertRanOnce(SOLO);
    }

    /** README: one ordered after one of Conductor's cannot also come before ConductorAutoConfiguration. */
    @AutoConfiguration(after = ConductorHealthAutoConfiguration.class, before = ConductorAutoConfiguration.class)
    static class AfterHealthBeforeConductor {
        @Bean
        Comp cyclic() {
            return new Comp("cyclic");
        }
    }

    @Test
    void afterOneOfConductorsAndBeforeConductorAutoConfigurationIsACycle() {
        Throwable failure = catchThrowable(() -> new ApplicationContextRunner().withConfiguration(CONDUCTOR)
            .withConfiguration(AutoConfigurations.of(AfterHealthBeforeConductor.class))
            .run(ctx -> assertThat(ctx).hasFailed()));
        assertThat(failure).as("Boot reports a cycle").isNotNull();
        assertThat(Bb.chainHas(failure, "cycle")).as("%s", failure).isTrue();
        assertThat(LOG).isEmpty();
    }

    // ---- conductor.enabled=false ---------------------------------------------------------------------------

    @Test
    void disabledLeavesComponentsOfAutoConfigurationsAlone() {
        try (ConfigurableApplicationContext ctx = app(AfterBootApp.class).properties("conductor.enabled=false")
            .run()) {
            assertThat(ctx.getBeanNamesForType(ConductorLifecycle.class, true, false)).isEmpty();
            assertThat(ctx.containsBean("conductorHealthIndicator")).isFalse();
            assertThat(OnlyWithComponentsBlackBoxTest.conductorMeters(ctx)).isEmpty();
            assertThat(ctx.getBean("taskComp")).isNotNull();
        }
        assertThat(LOG).as("Spring called no setup nor shutdown").isEmpty();
    }

    // ---- no component anywhere, Actuator present -------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class NoComponentApp {
    }

    @Test
    void noComponentWithActuatorHasNoConductorPiecesButReadinessWorks() throws Exception {
        try (ConfigurableApplicationContext ctx = app(NoComponentApp.class).web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=*",
                    "management.endpoint.health.probes.enabled=true")
            .run()) {
            OnlyWithComponentsBlackBoxTest.assertNoConductorBeans(ctx);
            assertThat(ctx.containsBean("conductorHealthIndicator")).isFalse();
            assertThat(OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/conductor").statusCode()).isEqualTo(404);
            HttpResponse<String> readiness = OnlyWithComponentsBlackBoxTest.get(ctx, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("UP");
            assertThat(OnlyWithComponentsBlackBoxTest.conductorMeters(ctx)).isEmpty();
        }
    }

    // ---- a child context whose components come from auto-configurations --------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @org.springframework.context.annotation.Import(AppDb.class)
    static class ParentApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportAutoConfiguration({ AfterTaskExecution.class, AfterMetrics.class })
    static class ChildApp {
    }

    @Test
    void childContextWithComponentsFromAutoConfigurations() {
        SpringApplicationBuilder parent = app(ParentApp.class);
        try (ConfigurableApplicationContext child = parent.child(ChildApp.class).web(WebApplicationType.NONE)
            .run()) {
            assertThat(setups("taskComp")).as("log %s", LOG).isEqualTo(1);
            assertThat(setups("metricsComp")).as("log %s", LOG).isEqualTo(1);
            assertThat(child.getBeanNamesForType(ConductorLifecycle.class, false, false)).hasSize(1);
            child.close();
            assertThat(shutdowns("taskComp")).isEqualTo(1);
            assertThat(shutdowns("metricsComp")).isEqualTo(1);
            assertThat(shutdowns("appDb")).as("the parent's stays up; log %s", LOG).isZero();
            ((ConfigurableApplicationContext) child.getParent()).close();
        }
        assertRanOnceAfterAppDb("taskComp", "metricsComp");
    }

    // ---- twice in one JVM, and lazily ----------------------------------------------------------------------

    @Test
    void theSameApplicationTwiceInOneJvm() {
        for (int round = 0; round < 2; round++) {
            Bb.reset();
            try (ConfigurableApplicationContext ctx = app(AfterBootApp.class).run()) {
                OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            }
            assertRanOnceAfterAppDb(AFTER_BOOT);
        }
    }

    @Test
    void lazyInitialization() {
        try (ConfigurableApplicationContext ctx = app(AfterBootApp.class)
            .properties("spring.main.lazy-initialization=true").run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            for (String name : AFTER_BOOT) {
                assertThat(setups(name)).as("%s set up; log %s", name, LOG).isEqualTo(1);
            }
        }
        assertRanOnceAfterAppDb(AFTER_BOOT);
    }

    @Test
    void lazyInitializationWithTheLowestOrderedNamedAfterBesideAnApplicationComponent() {
        try (ConfigurableApplicationContext ctx = app(LowestNamedAfterApp.class)
            .properties("spring.main.lazy-initialization=true").run()) {
            OnlyWithComponentsBlackBoxTest.assertConductorBeans(ctx);
            assertThat(setups("lateComp")).as("log %s", LOG).isEqualTo(1);
        }
        assertRanOnceAfterAppDb("lateComp");
    }
}
