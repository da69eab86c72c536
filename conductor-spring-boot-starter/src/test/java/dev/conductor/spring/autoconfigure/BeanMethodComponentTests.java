package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @ConductorComponent(setupMethod, shutdownMethod)} makes an object that does not implement
 * {@code Component} a component, with Conductor as the only caller of those methods.
 */
@ExtendWith(OutputCaptureExtension.class)
class BeanMethodComponentTests {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    static final AtomicInteger SINGLETONS_CREATED = new AtomicInteger();

    /**
     * Stands for a class from another library, such as a connection pool: it cannot implement {@code Component},
     * and Spring would infer {@code close()} as its destroy method.
     */
    static class Pool implements AutoCloseable {

        private final boolean failToStart;

        Pool(boolean failToStart) {
            this.failToStart = failToStart;
        }

        public Pool start() throws IOException {
            CALLS.add("pool start");
            if (failToStart) {
                throw new IOException("connection refused");
            }
            return this;
        }

        @Override
        public void close() {
            CALLS.add("pool close");
        }
    }

    static class WebApi implements Component {

        WebApi(Pool pool) {
            SINGLETONS_CREATED.incrementAndGet();
        }

        @Override
        public void setup() {
            CALLS.add("webApi setup");
        }

        @Override
        public void shutdown() {
            CALLS.add("webApi shutdown");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class PoolApplication {

        @Bean
        @ConductorComponent(setupMethod = "start", shutdownMethod = "close", setupTimeout = "10s")
        Pool pool() {
            return new Pool(false);
        }

        @Bean
        @ConductorComponent
        WebApi webApi(Pool pool) {
            return new WebApi(pool);
        }
    }

    @BeforeEach
    void reset() {
        CALLS.clear();
        SINGLETONS_CREATED.set(0);
    }

    private static ConfigurableApplicationContext run(Class<?> application) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).run();
    }

    @Test
    void theNamedMethodsAreSetupAndShutdownInDependencyOrderAndSpringNeverCallsThemAgain() {
        try (ConfigurableApplicationContext context = run(PoolApplication.class)) {
            var graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.dependencies("webApi")).containsExactly("pool");
            assertThat(graph.definition("pool").setupTimeout()).hasSeconds(10);
            assertThat(CALLS).containsExactly("pool start", "webApi setup");
        }
        assertThat(CALLS).containsExactly("pool start", "webApi setup", "webApi shutdown", "pool close");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class DeclaredCallbacksApplication {

        @Bean(initMethod = "start", destroyMethod = "close")
        @ConductorComponent(setupMethod = "start", shutdownMethod = "close")
        Pool pool() {
            return new Pool(false);
        }

        @Bean
        @ConductorComponent
        WebApi webApi(Pool pool) {
            return new WebApi(pool);
        }
    }

    @Test
    void initAndDestroyMethodsNamingTheSameMethodsAreLeftToConductor() {
        run(DeclaredCallbacksApplication.class).close();
        assertThat(CALLS).containsExactly("pool start", "webApi setup", "webApi shutdown", "pool close");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class MisspelledApplication {

        @Bean
        @ConductorComponent(setupMethod = "begin", shutdownMethod = "close")
        Pool pool() {
            return new Pool(false);
        }

        @Bean
        @ConductorComponent
        WebApi webApi(Pool pool) {
            return new WebApi(pool);
        }
    }

    @Test
    void aMissingMethodFailsTheStartupBeforeAnySingletonIsCreatedNamingTheBeanAndTheMethod(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(MisspelledApplication.class));
        assertThat(SINGLETONS_CREATED).hasValue(0);
        assertThat(CALLS).isEmpty();
        assertThat(output).contains("""
                Description:

                Component 'pool' has @ConductorComponent(setupMethod = "begin"), but its type\
                 dev.conductor.spring.autoconfigure.BeanMethodComponentTests$Pool has no instance method begin()\
                 without parameters.

                Action:

                Name a method of Pool that takes no parameters, or correct the name.
                """);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class FailingPoolApplication {

        @Bean
        @ConductorComponent(setupMethod = "start", shutdownMethod = "close")
        Pool pool() {
            return new Pool(true);
        }
    }

    @Test
    void whatTheSetupMethodThrowsIsTheCauseAndTheShutdownMethodNeverRuns(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(FailingPoolApplication.class));
        assertThat(CALLS).containsExactly("pool start");
        assertThat(output).contains("Component 'pool' failed to set up.")
                .contains("Cause: java.io.IOException: connection refused");
    }
}
