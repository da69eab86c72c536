package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.MessageQueue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

/** When its context closes, the replacement goes down in the component's place. */
class PatchComponentShutdownTests {

    /** Loaded and closed by the test; a property of its own keeps the context out of the other tests' way. */
    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE,
            properties = "test=PatchComponentShutdownTests")
    static class Patched {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;
    }

    @Test
    void theReplacementShutsDownAfterTheComponentsDependentsAndBeforeItsOwnDependencies() {
        TestContext testContext = new TestContextManager(Patched.class).getTestContext();
        ApplicationContext context = testContext.getApplicationContext();
        InMemoryQueue queue = context.getBean(InMemoryQueue.class);
        Journal journal = context.getBean(Journal.class);
        assertThat(queue.active).isTrue();

        testContext.markApplicationContextDirty(null);

        assertThat(queue.active).isFalse();
        assertThat(journal.before("shutdown-finished webApi", "shutdown-started messageQueue")).isTrue();
        assertThat(journal.before("shutdown-finished workers", "shutdown-started messageQueue")).isTrue();
        assertThat(journal.before("shutdown-finished messageQueue", "shutdown-started metrics")).isTrue();
    }
}
