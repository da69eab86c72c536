package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * In a test context, the replacement of a patched component starts early like the component would: its setup
 * runs while the context is still creating a plain bean that waits for it.
 */
@SpringBootTest(classes = PatchComponentEarlyStartTests.Application.class, webEnvironment = WebEnvironment.NONE)
class PatchComponentEarlyStartTests {

    static final CountDownLatch replacementSetUp = new CountDownLatch(1);

    @PatchComponent(target = Queue.class)
    FakeQueue queue;

    @Autowired
    SlowBean slowBean;

    interface Queue extends Component {
    }

    @ConductorComponent("queue")
    static class BrokerQueue implements Queue {

        @Override
        public void setup() {
            throw new IllegalStateException("the original is never set up");
        }
    }

    static class FakeQueue implements Queue {

        volatile boolean active;

        @Override
        public void setup() {
            active = true;
            replacementSetUp.countDown();
        }
    }

    /** Created after the component: its constructor waits for the replacement's setup. */
    static class SlowBean {

        final boolean sawSetup;

        SlowBean(Queue queue) throws InterruptedException {
            sawSetup = replacementSetUp.await(30, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ BrokerQueue.class, SlowBean.class })
    static class Application {
    }

    @Test
    void theReplacementSetsUpWhileTheContextIsStillCreatingBeans() {
        assertThat(slowBean.sawSetup).as("the replacement's setup ran while the slow bean was being created").isTrue();
        assertThat(queue.active).isTrue();
    }
}
