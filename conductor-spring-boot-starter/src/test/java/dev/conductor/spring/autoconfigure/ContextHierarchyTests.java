package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentState;
import dev.conductor.spring.ConductorComponent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each context of a hierarchy runs its own components; a child's component may depend on its parent's. */
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
}
