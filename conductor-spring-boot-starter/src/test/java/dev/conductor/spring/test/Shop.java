package dev.conductor.spring.test;

import dev.conductor.core.Component;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ConductorComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the tests patch: a message queue between a web API and workers. The real queue needs the
 * database; the in-memory replacements need only the metrics component, so the patched graph differs from the
 * original one.
 */
final class Shop {

    private Shop() {
    }

    /** Records, per context, the component transitions and what got constructed, in order. */
    static class Journal implements LifecycleListener {

        private final ConcurrentLinkedQueue<String> entries = new ConcurrentLinkedQueue<>();

        @Override
        public void onEvent(LifecycleEvent event) {
            record(event.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + event.component());
        }

        void record(String entry) {
            entries.add(entry);
        }

        List<String> entries() {
            return new ArrayList<>(entries);
        }

        int indexOf(String entry) {
            int index = entries().indexOf(entry);
            if (index < 0) {
                throw new AssertionError("No '" + entry + "' in " + entries());
            }
            return index;
        }

        boolean before(String first, String second) {
            return indexOf(first) < indexOf(second);
        }
    }

    @ConductorComponent("database")
    static class Database implements Component {
    }

    /** Created by a {@code @Bean} method. */
    static class Metrics implements Component {
    }

    interface MessageQueue extends Component {

        void send(String message);
    }

    /** The real queue: never to be created in a patched context. */
    @ConductorComponent("messageQueue")
    static class BrokerQueue implements MessageQueue {

        private final Journal journal;

        BrokerQueue(Database database, Journal journal) {
            this.journal = journal;
            journal.record("constructed BrokerQueue");
        }

        @Override
        public void setup() {
            journal.record("broker set up");
        }

        @Override
        public void send(String message) {
        }
    }

    /** The replacement: a constructor dependency and a field dependency, both other than the original's. */
    static class InMemoryQueue implements MessageQueue {

        final Metrics metrics;

        @Autowired
        Journal journal;

        final List<String> sent = new CopyOnWriteArrayList<>();

        volatile boolean active;

        InMemoryQueue(Metrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void setup() {
            active = true;
        }

        @Override
        public void shutdown() {
            active = false;
        }

        @Override
        public void send(String message) {
            sent.add(message);
        }
    }

    /** Another replacement, for a context of its own. */
    static class DiscardingQueue implements MessageQueue {

        @Override
        public void send(String message) {
        }
    }

    @ConductorComponent("webApi")
    static class WebApi implements Component {

        final MessageQueue queue;

        WebApi(MessageQueue queue) {
            this.queue = queue;
        }
    }

    @ConductorComponent("workers")
    static class Workers implements Component {

        @Autowired
        MessageQueue queue;
    }

    @RestController
    static class QueueController {

        private final WebApi api;

        QueueController(WebApi api) {
            this.api = api;
        }

        @GetMapping("/queue")
        String queue() {
            api.queue.send("order-1");
            return api.queue.getClass().getSimpleName();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({ Journal.class, Database.class, BrokerQueue.class, WebApi.class, Workers.class, QueueController.class })
    static class Components {

        @Bean
        @ConductorComponent
        Metrics metrics() {
            return new Metrics();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Components.class)
    static class Application {
    }
}
