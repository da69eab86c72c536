package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.MessageQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** In a test slice, the components the slice brings in can be patched like in a full application. */
@WebMvcTest
@ContextConfiguration(classes = Shop.Components.class)
@ImportAutoConfiguration(ConductorAutoConfiguration.class)
class PatchComponentSliceTests {

    @PatchComponent(target = MessageQueue.class)
    InMemoryQueue queue;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    Journal journal;

    @Test
    void theControllerUnderTestReachesTheReplacement() {
        assertThat(mvc.get().uri("/queue")).hasStatusOk().hasBodyTextEqualTo("InMemoryQueue");
        assertThat(queue.sent).containsExactly("order-1");
        assertThat(queue.active).isTrue();
        assertThat(journal.entries()).contains("setup-finished messageQueue").doesNotContain("constructed BrokerQueue");
    }
}
