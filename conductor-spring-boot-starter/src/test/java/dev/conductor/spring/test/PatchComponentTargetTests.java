package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.Metrics;
import dev.conductor.spring.test.Shop.WebApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

/** Without a target, a field patches the one component its type can stand in for. */
@SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
class PatchComponentTargetTests {

    /** Replaces a component that a {@code @Bean} method declares. */
    static class QuietMetrics extends Metrics {
    }

    @PatchComponent
    InMemoryQueue queue;

    @PatchComponent
    QuietMetrics metrics;

    @Autowired
    ApplicationContext context;

    @Test
    void theFieldsTypeSelectsTheOnlyComponentThatSharesAComponentTypeWithIt() {
        assertThat(context.getBean("messageQueue")).isSameAs(queue);
        assertThat(context.getBean(WebApi.class).queue).isSameAs(queue);
        assertThat(context.getBean(Journal.class).entries()).doesNotContain("constructed BrokerQueue");
    }

    @Test
    void aComponentFromABeanMethodIsPatchedLikeAnyOther() {
        assertThat(context.getBean("metrics")).isSameAs(metrics);
        assertThat(queue.metrics).isSameAs(metrics);
    }
}
