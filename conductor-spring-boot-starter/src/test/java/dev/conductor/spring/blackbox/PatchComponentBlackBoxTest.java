package dev.conductor.spring.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.test.annotation.DirtiesContext;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.test.PatchComponent;

/** @PatchComponent under early start: the replacement is set up in order, during the refresh. */
@SpringBootTest(classes = PatchComponentBlackBoxTest.Config.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.main.banner-mode=off", "spring.jmx.enabled=false" })
@DirtiesContext
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PatchComponentBlackBoxTest {

    static final List<String> PLOG = new CopyOnWriteArrayList<>();
    static final CountDownLatch REPLACEMENT_UP = new CountDownLatch(1);

    static class Base implements Component {
        @Override
        public void setup() {
            PLOG.add("up:base");
        }

        @Override
        public void shutdown() {
            PLOG.add("down:base");
        }
    }

    static class Queue implements Component {
        Queue() {
            PLOG.add("orig-created");
        }

        Queue(boolean replacement) {
        }

        @Override
        public void setup() {
            PLOG.add("up:orig");
        }
    }

    static class InMemoryQueue extends Queue {
        final Base base;

        InMemoryQueue(Base base) {
            super(true);
            this.base = base;
        }

        @Override
        public void setup() {
            PLOG.add("up:inmem");
            REPLACEMENT_UP.countDown();
        }

        @Override
        public void shutdown() {
            PLOG.add("down:inmem");
        }
    }

    static class Worker implements Component {
        final Queue queue;

        Worker(Queue queue) {
            this.queue = queue;
        }

        @Override
        public void setup() {
            PLOG.add("up:worker:" + queue.getClass().getSimpleName());
        }
    }

    /** A slow non-component bean that waits for the replacement's setup: proves it ran during the refresh. */
    static class SlowP {
        SlowP() throws InterruptedException {
            if (!REPLACEMENT_UP.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the replacement was not set up during the refresh");
            }
            PLOG.add("slowp-done");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Config {
        @Bean
        @ConductorComponent
        Base base() {
            return new Base();
        }

        @Bean
        @ConductorComponent
        Queue queue() {
            return new Queue();
        }

        @Bean
        @ConductorComponent
        Worker worker(Queue queue) {
            return new Worker(queue);
        }

        @Bean
        @DependsOn("worker")
        SlowP slowP() throws InterruptedException {
            return new SlowP();
        }
    }

    @PatchComponent(target = Queue.class)
    InMemoryQueue queue;

    @Autowired
    Worker worker;

    @Test
    void replacementIsSetUpEarlyAfterItsOwnDependencyAndBeforeItsDependents() {
        assertThat(queue).isNotNull();
        assertThat(worker.queue).isSameAs(queue);
        assertThat(PLOG).doesNotContain("orig-created", "up:orig");
        assertThat(PLOG).containsSubsequence("up:base", "up:inmem", "up:worker:InMemoryQueue");
        assertThat(PLOG).contains("slowp-done");
    }
}
