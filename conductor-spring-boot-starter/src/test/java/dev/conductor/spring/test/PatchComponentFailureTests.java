package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.test.Shop.Database;
import dev.conductor.spring.test.Shop.DiscardingQueue;
import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.MessageQueue;
import dev.conductor.spring.test.Shop.Metrics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.test.context.TestContextManager;

/** A patch that cannot apply stops the context with a message saying what was expected and what was found. */
class PatchComponentFailureTests {

    private static final String PREFIX = "dev.conductor.spring.test.";

    private static final String COMPONENTS = "Components: [database, messageQueue, webApi, workers, metrics]";

    /** Implements Component, but is not a {@code @ConductorComponent}. */
    static class Cache implements Component {
    }

    static class FastCache extends Cache {
    }

    interface Mailer extends Component {
    }

    static class NoMailer implements Mailer {
    }

    @ConductorComponent("auditQueue")
    static class AuditQueue implements MessageQueue {

        @Override
        public void send(String message) {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Shop.Components.class, Cache.class })
    static class WithPlainCache {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Shop.Components.class, AuditQueue.class })
    static class WithTwoQueues {
    }

    @SpringBootTest(classes = WithPlainCache.class, webEnvironment = WebEnvironment.NONE)
    static class TargetIsNotAComponent {

        @PatchComponent(target = Cache.class)
        FastCache cache;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    static class ReplacementIsNoTarget {

        @PatchComponent(target = MessageQueue.class)
        Metrics metrics;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    @PatchComponent(target = MessageQueue.class, with = Database.class)
    static class ReplacementOnTheClassIsNoTarget {
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    static class ReplacementIsNotTheFieldsType {

        @PatchComponent(target = MessageQueue.class, with = DiscardingQueue.class)
        InMemoryQueue queue;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    static class ReplacementIsAnInterface {

        @PatchComponent(target = MessageQueue.class)
        MessageQueue queue;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    @PatchComponent(target = MessageQueue.class)
    static class ReplacementMissingOnTheClass {
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    static class NoComponentOfTheTargetType {

        @PatchComponent(target = Mailer.class)
        NoMailer mailer;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    static class NoComponentTheFieldCanReplace {

        @PatchComponent
        NoMailer mailer;
    }

    @SpringBootTest(classes = WithTwoQueues.class, webEnvironment = WebEnvironment.NONE)
    static class TwoComponentsOfTheTargetType {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;
    }

    @SpringBootTest(classes = WithTwoQueues.class, webEnvironment = WebEnvironment.NONE)
    static class TwoComponentsTheFieldCanReplace {

        @PatchComponent
        InMemoryQueue queue;
    }

    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    @PatchComponent(target = MessageQueue.class, with = InMemoryQueue.class)
    static class PatchedTwice {

        @PatchComponent(target = MessageQueue.class)
        DiscardingQueue queue;
    }

    private static String failureOf(Class<?> testClass) {
        Throwable failure = catchThrowable(
                () -> new TestContextManager(testClass).getTestContext().getApplicationContext());
        assertThat(failure).as("context of " + testClass.getSimpleName() + " failed").isNotNull();
        return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
    }

    @Test
    void theTargetIsNotAComponent() {
        assertThat(failureOf(TargetIsNotAComponent.class)).isEqualTo("Unable to patch a component for field"
                + " 'TargetIsNotAComponent.cache': expected a @ConductorComponent bean of type " + PREFIX
                + "PatchComponentFailureTests$Cache, but found only beans that are not components: [" + PREFIX
                + "PatchComponentFailureTests$Cache]");
    }

    @Test
    void theReplacementIsNoTarget() {
        assertThat(failureOf(ReplacementIsNoTarget.class)).isEqualTo("Unable to patch a component for field"
                + " 'ReplacementIsNoTarget.metrics': expected a replacement of type " + PREFIX
                + "Shop$MessageQueue, but " + PREFIX + "Shop$Metrics is not one");
        assertThat(failureOf(ReplacementOnTheClassIsNoTarget.class)).isEqualTo("Unable to patch a component for"
                + " test class ReplacementOnTheClassIsNoTarget: expected a replacement of type " + PREFIX
                + "Shop$MessageQueue, but " + PREFIX + "Shop$Database is not one");
    }

    @Test
    void theReplacementCannotBeAssignedToTheField() {
        assertThat(failureOf(ReplacementIsNotTheFieldsType.class)).isEqualTo("Unable to patch a component for"
                + " field 'ReplacementIsNotTheFieldsType.queue': expected a replacement of the field's type "
                + PREFIX + "Shop$InMemoryQueue, but " + PREFIX + "Shop$DiscardingQueue is not one");
    }

    @Test
    void theReplacementCannotBeCreated() {
        assertThat(failureOf(ReplacementIsAnInterface.class)).isEqualTo("Unable to patch a component for field"
                + " 'ReplacementIsAnInterface.queue': expected a concrete replacement class, but " + PREFIX
                + "Shop$MessageQueue is an interface");
    }

    @Test
    void aPatchOnATestClassNamesItsReplacement() {
        assertThat(failureOf(ReplacementMissingOnTheClass.class)).isEqualTo("Unable to patch a component for test"
                + " class ReplacementMissingOnTheClass: expected the replacement class in 'with', but it is missing."
                + " On a test class, write @PatchComponent(target = ..., with = ...)");
    }

    @Test
    void nothingMatches() {
        assertThat(failureOf(NoComponentOfTheTargetType.class)).isEqualTo("Unable to patch a component for field"
                + " 'NoComponentOfTheTargetType.mailer': there is no @ConductorComponent bean of type " + PREFIX
                + "PatchComponentFailureTests$Mailer. " + COMPONENTS);
        assertThat(failureOf(NoComponentTheFieldCanReplace.class)).isEqualTo("Unable to patch a component for"
                + " field 'NoComponentTheFieldCanReplace.mailer': there is no @ConductorComponent bean that a "
                + PREFIX + "PatchComponentFailureTests$NoMailer can replace. " + COMPONENTS);
    }

    @Test
    void theTargetIsAmbiguous() {
        assertThat(failureOf(TwoComponentsOfTheTargetType.class)).isEqualTo("Unable to select a component to"
                + " patch for field 'TwoComponentsOfTheTargetType.queue': found 2 @ConductorComponent beans of type "
                + PREFIX + "Shop$MessageQueue: [messageQueue, auditQueue]. Set 'target' to a type that only one"
                + " of them has");
        assertThat(failureOf(TwoComponentsTheFieldCanReplace.class)).isEqualTo("Unable to select a component to"
                + " patch for field 'TwoComponentsTheFieldCanReplace.queue': found 2 @ConductorComponent beans that"
                + " a " + PREFIX + "Shop$InMemoryQueue can replace: [messageQueue, auditQueue]. Set 'target' to a"
                + " type that only one of them has");
    }

    @Test
    void aComponentIsPatchedOnce() {
        assertThat(failureOf(PatchedTwice.class)).isEqualTo("Unable to patch component 'messageQueue' with "
                + PREFIX + "Shop$DiscardingQueue for field 'PatchedTwice.queue': it is already patched with "
                + PREFIX + "Shop$InMemoryQueue");
    }
}
