package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.test.Shop.BrokerQueue;
import dev.conductor.spring.test.Shop.DiscardingQueue;
import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.MessageQueue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

/** Patches are part of the context cache key, like Spring's own bean overrides. */
class PatchComponentContextCacheTests {

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE,
            properties = "test=PatchComponentContextCacheTests")
    static class NotPatched {
    }

    static class PatchedByField extends NotPatched {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;
    }

    static class PatchedByAnotherField extends NotPatched {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue inMemory;
    }

    @PatchComponent(target = MessageQueue.class, with = InMemoryQueue.class)
    static class PatchedOnTheClass extends NotPatched {
    }

    static class PatchedWithAnotherReplacement extends NotPatched {

        @PatchComponent(target = MessageQueue.class)
        DiscardingQueue queue;
    }

    private static ApplicationContext context(Class<?> testClass) {
        return new TestContextManager(testClass).getTestContext().getApplicationContext();
    }

    @Test
    void testClassesWithTheSamePatchesShareAContext() {
        ApplicationContext shared = context(PatchedByField.class);

        assertThat(context(PatchedByAnotherField.class)).isSameAs(shared);
        assertThat(context(PatchedOnTheClass.class)).isSameAs(shared);
        assertThat(shared.getBean(MessageQueue.class)).isInstanceOf(InMemoryQueue.class);
    }

    @Test
    void differentPatchesGetDifferentContexts() {
        ApplicationContext inMemory = context(PatchedByField.class);
        ApplicationContext discarding = context(PatchedWithAnotherReplacement.class);
        ApplicationContext original = context(NotPatched.class);

        assertThat(discarding).isNotSameAs(inMemory).isNotSameAs(original);
        assertThat(original).isNotSameAs(inMemory);
        assertThat(discarding.getBean(MessageQueue.class)).isInstanceOf(DiscardingQueue.class);
        assertThat(original.getBean(MessageQueue.class)).isInstanceOf(BrokerQueue.class);
    }

    @Test
    void eachTestInstanceSharingAContextHoldsItsLiveReplacement() throws Exception {
        TestContextManager manager = new TestContextManager(PatchedByAnotherField.class);
        PatchedByAnotherField test = new PatchedByAnotherField();

        manager.prepareTestInstance(test);

        assertThat(test.inMemory).isSameAs(context(PatchedByField.class).getBean("messageQueue"));
        assertThat(test.inMemory.active).isTrue();
    }
}
