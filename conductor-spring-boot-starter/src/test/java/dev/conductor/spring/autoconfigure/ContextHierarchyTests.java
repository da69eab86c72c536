package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentState;
import dev.conductor.spring.ConductorComponent;
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

/** Each context of a hierarchy runs its own components; a child's component may depend on its parent's. */
@ExtendWith(OutputCaptureExtension.class)
class ContextHierarchyTests {

    static class Database implements Component {

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

    static class WebApi implements Component {

        final Database database;

        volatile boolean active;

        WebApi(Database database) {
            this.database = database;
        }

        @Override
        public void setup() {
            if (!database.active) {
                throw new IllegalStateException("the parent's database is not active");
            }
            active = true;
        }

        @Override
        public void shutdown() {
            active = false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class ParentApplication {

        @Bean
        @ConductorComponent
        Database database() {
            return new Database();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class ChildApplication {

        @Bean
        @ConductorComponent
        WebApi webApi(Database database) {
            return new WebApi(database);
        }
    }

    @Test
    void aChildContextRunsItsOwnComponentsWhichMayDependOnTheParentsAndClosingItLeavesTheParentsRunning() {
        ConfigurableApplicationContext child = new SpringApplicationBuilder(ParentApplication.class)
                .web(WebApplicationType.NONE).child(ChildApplication.class).web(WebApplicationType.NONE).run();
        ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
        Database database = parent.getBean(Database.class);
        try {
            ConductorLifecycle parentLifecycle = parent.getBean(ConductorLifecycle.class);
            ConductorLifecycle childLifecycle = child.getBean(ConductorLifecycle.class);
            assertThat(childLifecycle).isNotSameAs(parentLifecycle);
            assertThat(parentLifecycle.getEngine().graph().names()).containsExactly("database");
            assertThat(childLifecycle.getEngine().graph().names()).containsExactly("webApi");
            WebApi webApi = child.getBean(WebApi.class);
            assertThat(webApi.active).isTrue();
            assertThat(database.active).isTrue();

            child.close();
            assertThat(webApi.active).isFalse();
            assertThat(childLifecycle.getEngine().state("webApi")).isEqualTo(ComponentState.STOPPED);
            assertThat(database.active).isTrue();
            assertThat(parentLifecycle.isRunning()).isTrue();
        }
        finally {
            parent.close();
        }
        assertThat(database.active).isFalse();
    }

    /** A child context without Conductor's auto-configuration, as a framework may create one. */
    @Configuration(proxyBeanMethods = false)
    static class PlainChildApplication {

        @Bean
        @ConductorComponent
        WebApi webApi(Database database) {
            return new WebApi(database);
        }
    }

    @Test
    void aChildContextWithComponentsButNoLifecycleOfItsOwnFailsToStartNamingThem(CapturedOutput output) {
        SpringApplicationBuilder parentBuilder = new SpringApplicationBuilder(ParentApplication.class)
                .web(WebApplicationType.NONE);
        SpringApplicationBuilder childBuilder = parentBuilder.child(PlainChildApplication.class)
                .web(WebApplicationType.NONE);
        assertThatException().isThrownBy(childBuilder::run);
        parentBuilder.context().close();
        assertThat(output).contains("Component 'webApi' is in the child context '")
                .contains("', which has no ConductorLifecycle of its own, so nothing would set up its components"
                        + " [webApi].")
                .contains("Apply Conductor's auto-configuration to that context"
                        + " (@ImportAutoConfiguration(ConductorAutoConfiguration.class)), or declare the components"
                        + " in the parent context.");
    }
}
