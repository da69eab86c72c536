package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.MessageQueue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.WebApplicationContext;

/** The patch works whatever web environment {@code @SpringBootTest} sets up. */
class PatchComponentWebEnvironmentTests {

    @Nested
    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.MOCK)
    @AutoConfigureMockMvc
    class MockEnvironment {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;

        @Autowired
        MockMvcTester mvc;

        @Test
        void requestsReachTheReplacement() {
            assertThat(mvc.get().uri("/queue")).hasStatusOk().hasBodyTextEqualTo("InMemoryQueue");
            assertThat(queue.sent).containsExactly("order-1");
        }
    }

    @Nested
    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
    class RandomPort {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;

        @LocalServerPort
        int port;

        @Autowired
        Journal journal;

        @Test
        void requestsOverTheNetworkReachTheReplacement() {
            String body = RestClient.create("http://localhost:" + port).get().uri("/queue").retrieve()
                    .body(String.class);

            assertThat(body).isEqualTo("InMemoryQueue");
            assertThat(queue.sent).containsExactly("order-1");
            assertThat(journal.entries()).doesNotContain("constructed BrokerQueue");
        }
    }

    @Nested
    @SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
    class NoWebEnvironment {

        @PatchComponent(target = MessageQueue.class)
        InMemoryQueue queue;

        @Autowired
        ApplicationContext context;

        @Test
        void theComponentIsReplacedWithoutAWebApplication() {
            assertThat(context).isNotInstanceOf(WebApplicationContext.class);
            assertThat(context.getBean(MessageQueue.class)).isSameAs(queue);
            assertThat(queue.active).isTrue();
        }
    }
}
