package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Conductor is the only caller of a component's {@code setup()} and {@code shutdown()}: Spring's inferred destroy
 * method of a {@code @Bean} never calls them again, while the callbacks a bean declares still run once, after
 * Conductor's shutdown.
 */
class SpringCallbackTests {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    /** Records its setup and shutdown; a {@code @Bean} of it has an inferred destroy method: {@code shutdown()}. */
    static class Recorded implements Component {

        final String name;

        Recorded(String name) {
            this.name = name;
        }

        @Override
        public void setup() {
            CALLS.add(name + " setup");
        }

        @Override
        public void shutdown() {
            CALLS.add(name + " shutdown");
        }
    }

    static class Closeable extends Recorded implements AutoCloseable {

        Closeable(Recorded database) {
            super("closeable");
        }

        @Override
        public void close() {
            CALLS.add("closeable close");
        }
    }

    static class Disposable extends Recorded implements DisposableBean {

        Disposable(Recorded database) {
            super("disposable");
        }

        @Override
        public void destroy() {
            CALLS.add("disposable destroy");
        }
    }

    static class Annotated extends Recorded {

        Annotated(Recorded database) {
            super("annotated");
        }

        @PreDestroy
        void release() {
            CALLS.add("annotated preDestroy");
        }
    }

    static class Explicit extends Recorded {

        Explicit(Recorded database) {
            super("explicit");
        }

        public void close() {
            CALLS.add("explicit close");
        }
    }

    /** Annotates its own setup and shutdown as Spring callbacks: Conductor still calls each once, and alone. */
    static class SelfAnnotated extends Recorded {

        SelfAnnotated(Recorded database) {
            super("selfAnnotated");
        }

        @Override
        @PostConstruct
        public void setup() {
            super.setup();
        }

        @Override
        @PreDestroy
        public void shutdown() {
            super.shutdown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class BeanMethodApplication {

        @Bean
        @ConductorComponent
        SelfAnnotated selfAnnotated(Recorded database) {
            return new SelfAnnotated(database);
        }

        @Bean
        @ConductorComponent
        Recorded database() {
            return new Recorded("database");
        }

        @Bean
        @ConductorComponent
        Closeable closeable(Recorded database) {
            return new Closeable(database);
        }

        @Bean
        @ConductorComponent
        Disposable disposable(Recorded database) {
            return new Disposable(database);
        }

        @Bean
        @ConductorComponent
        Annotated annotated(Recorded database) {
            return new Annotated(database);
        }

        @Bean(destroyMethod = "close")
        @ConductorComponent
        Explicit explicit(Recorded database) {
            return new Explicit(database);
        }
    }

    private static final List<String> DECLARED_CALLBACKS = List.of("closeable close", "disposable destroy",
            "annotated preDestroy", "explicit close");

    @BeforeEach
    void clear() {
        CALLS.clear();
    }

    private static void runAndClose(Class<?> application, String... properties) {
        new SpringApplicationBuilder(application).web(WebApplicationType.NONE).properties(properties).run().close();
    }

    private static long count(String call) {
        return CALLS.stream().filter(call::equals).count();
    }

    @Test
    void onlyConductorCallsSetupAndShutdownOfBeanMethodComponentsAndDeclaredCallbacksRunOnceAfterIt() {
        runAndClose(BeanMethodApplication.class);
        for (String name : List.of("database", "closeable", "disposable", "annotated", "explicit",
                "selfAnnotated")) {
            assertThat(count(name + " setup")).as(name + " setup").isOne();
            assertThat(count(name + " shutdown")).as(name + " shutdown").isOne();
        }
        int databaseShutdown = CALLS.indexOf("database shutdown");
        for (String callback : DECLARED_CALLBACKS) {
            assertThat(count(callback)).as(callback).isOne();
            assertThat(CALLS.indexOf(callback)).as(callback + " after Conductor's shutdown")
                    .isGreaterThan(databaseShutdown);
        }
        assertThat(CALLS.get(CALLS.size() - DECLARED_CALLBACKS.size() - 1)).isEqualTo("database shutdown");
    }

    @Test
    void whenConductorIsDisabledNothingSetsUpOrShutsDownAComponentButDeclaredCallbacksStillRun() {
        runAndClose(BeanMethodApplication.class, "conductor.enabled=false");
        assertThat(CALLS).containsExactlyInAnyOrderElementsOf(DECLARED_CALLBACKS);
    }

    static class Broken extends Recorded {

        Broken(Recorded database) {
            super("broken");
        }

        @Override
        public void setup() {
            super.setup();
            throw new IllegalStateException("broken on purpose");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class FailingApplication {

        @Bean
        @ConductorComponent
        Recorded database() {
            return new Recorded("database");
        }

        @Bean
        @ConductorComponent
        Broken broken(Recorded database) {
            return new Broken(database);
        }
    }

    @Test
    void afterAFailedSetupTheFailedComponentIsNeverShutDownAndTheRolledBackOneOnlyOnce() {
        assertThatException().isThrownBy(() -> runAndClose(FailingApplication.class));
        assertThat(CALLS).containsExactly("database setup", "broken setup", "database shutdown");
    }
}
