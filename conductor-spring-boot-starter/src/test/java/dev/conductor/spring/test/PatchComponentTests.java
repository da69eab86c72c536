package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import dev.conductor.spring.test.Shop.BrokerQueue;
import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.MessageQueue;
import dev.conductor.spring.test.Shop.Metrics;
import dev.conductor.spring.test.Shop.WebApi;
import dev.conductor.spring.test.Shop.Workers;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;

/** A component patched from a test field: what Spring creates, what dependents receive, and the lifecycle order. */
@SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
class PatchComponentTests {

    @PatchComponent(target = MessageQueue.class)
    InMemoryQueue queue;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    Journal journal;

    private LifecycleEngine engine() {
        return Objects.requireNonNull(context.getBean(ConductorLifecycle.class).getEngine());
    }

    @Test
    void theOriginalImplementationIsNeverCreatedNorSetUp() {
        assertThat(journal.entries()).doesNotContain("constructed BrokerQueue", "broker set up");
        assertThat(context.getBeanNamesForType(BrokerQueue.class)).isEmpty();
    }

    @Test
    void theReplacementIsCreatedBySpringWithItsOwnConstructorAndFieldDependencies() {
        assertThat(queue.metrics).isSameAs(context.getBean(Metrics.class));
        assertThat(queue.journal).isSameAs(journal);
    }

    @Test
    void theReplacementTakesTheComponentsNameAndEveryDependentReceivesIt() {
        assertThat(context.getBean("messageQueue")).isSameAs(queue);
        assertThat(context.getBeansOfType(MessageQueue.class)).containsExactly(entry("messageQueue", queue));
        assertThat(context.getBean(WebApi.class).queue).isSameAs(queue);
        assertThat(context.getBean(Workers.class).queue).isSameAs(queue);
    }

    @Test
    void theFieldHoldsTheLiveReplacement() {
        assertThat(queue.active).isTrue();
        assertThat(engine().state("messageQueue")).isEqualTo(ComponentState.ACTIVE);
        assertThat(engine().graph().definition("messageQueue").component()).isSameAs(queue);
    }

    @Test
    void inTheGraphTheReplacementHasItsOwnDependenciesAndKeepsTheComponentsDependents() {
        ComponentGraph graph = engine().graph();
        assertThat(graph.names()).containsExactlyInAnyOrder("database", "metrics", "messageQueue", "webApi",
                "workers");
        assertThat(graph.dependencies("messageQueue")).containsExactly("metrics");
        assertThat(graph.dependents("messageQueue")).containsExactlyInAnyOrder("webApi", "workers");
    }

    @Test
    void theReplacementIsSetUpAfterItsDependenciesAndBeforeTheComponentsDependents() {
        assertThat(journal.before("setup-finished metrics", "setup-started messageQueue")).isTrue();
        assertThat(journal.before("setup-finished messageQueue", "setup-started webApi")).isTrue();
        assertThat(journal.before("setup-finished messageQueue", "setup-started workers")).isTrue();
    }
}
