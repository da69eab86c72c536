package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraph;
import dev.conductor.spring.ConductorComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Components registered as instances ({@code registerSingleton}) are run, or the startup fails naming them. */
@ExtendWith(OutputCaptureExtension.class)
class RegisteredInstanceTests {

    /** A database; not annotated itself. */
    static class Store implements Component {

        volatile boolean active;

        @Override
        public void setup() {
            active = true;
        }

        @Override
        public void shutdown() {
            active = false;
        }
    }

    @ConductorComponent(setupTimeout = "5s")
    static class Database extends Store {
    }

    static class WebApi implements Component {

        final Store database;

        volatile boolean activeBeforeMe;

        WebApi(Store database) {
            this.database = database;
        }

        @Override
        public void setup() {
            activeBeforeMe = database.active;
        }

        @Override
        public void shutdown() {
            if (!database.active) {
                throw new IllegalStateException("the database shut down first");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class WebApplication {

        @Bean
        @ConductorComponent
        WebApi webApi(Store database) {
            return new WebApi(database);
        }
    }

    private static ConfigurableApplicationContext run(Object instance) {
        ApplicationContextInitializer<ConfigurableApplicationContext> register = context -> context.getBeanFactory()
                .registerSingleton("database", instance);
        return new SpringApplicationBuilder(WebApplication.class).web(WebApplicationType.NONE).initializers(register)
                .run();
    }

    @Test
    void anAnnotatedInstanceIsAComponentThatItsDependentsWaitFor() {
        Database database = new Database();
        try (ConfigurableApplicationContext context = run(database)) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.names()).containsExactlyInAnyOrder("database", "webApi");
            assertThat(graph.dependencies("webApi")).containsExactly("database");
            assertThat(graph.definition("database").setupTimeout()).hasSeconds(5);
            assertThat(context.getBean(WebApi.class).activeBeforeMe).isTrue();
        }
        assertThat(database.active).isFalse();
    }

    @Test
    void anInstanceThatIsAComponentWithoutTheAnnotationFailsTheStartupNamingIt(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(new Store()));
        assertThat(output).contains("""
                Description:

                Component 'webApi' depends on 'database', which implements dev.conductor.core.Component but is not\
                 a @ConductorComponent bean (it was registered as an instance), so nothing would set it up.

                Action:

                Annotate Store with @ConductorComponent, or stop injecting it into 'webApi'.""");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class UnannotatedBeanApplication {

        @Bean
        Store database() {
            return new Store();
        }

        @Bean
        @ConductorComponent
        WebApi webApi(Store database) {
            return new WebApi(database);
        }
    }

    @Test
    void aBeanDefinitionThatIsAComponentWithoutTheAnnotationIsNamedInAWarning(CapturedOutput output) {
        new SpringApplicationBuilder(UnannotatedBeanApplication.class).web(WebApplicationType.NONE).run().close();
        assertThat(output).contains("Conductor: component 'webApi' depends on 'database', which implements"
                + " dev.conductor.core.Component but is not a @ConductorComponent bean: nothing sets it up."
                + " Annotate Store or its @Bean method with @ConductorComponent if Conductor should run it.");
    }
}
