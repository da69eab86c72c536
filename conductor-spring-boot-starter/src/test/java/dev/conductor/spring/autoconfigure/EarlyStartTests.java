package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorComponent.EarlyStart;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Components start their setup during the refresh, as soon as their bean and their dependencies are ready, while
 * the context goes on creating other beans; a component that depends on a bean only usable once the context's
 * lifecycle started waits for it.
 */
@ExtendWith(OutputCaptureExtension.class)
class EarlyStartTests {

    /** Far longer than any step here takes on a loaded machine: reached only when the overlap did not happen. */
    private static final long BOUND_SECONDS = 30;

    static volatile CountDownLatch setupStarted;

    static volatile CountDownLatch slowBeanSawSetup;

    static volatile CountDownLatch never;

    static final AtomicBoolean slowBeanFinished = new AtomicBoolean();

    static final AtomicBoolean slowBeanInterrupted = new AtomicBoolean();

    static final AtomicInteger databaseShutdowns = new AtomicInteger();

    static final List<String> seen = new CopyOnWriteArrayList<>();

    static volatile boolean laterBeanCreated;

    /** Counted down by the setups that must run before the broker starts (forced early). */
    static volatile CountDownLatch startedBeforeBroker = new CountDownLatch(1);

    @BeforeEach
    void reset() {
        setupStarted = new CountDownLatch(1);
        slowBeanSawSetup = new CountDownLatch(1);
        never = new CountDownLatch(1);
        slowBeanFinished.set(false);
        slowBeanInterrupted.set(false);
        databaseShutdowns.set(0);
        seen.clear();
        laterBeanCreated = false;
    }

    private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).properties(properties).run();
    }

    @ConductorComponent("early")
    static class Early implements Component {

        @Override
        public void setup() throws InterruptedException {
            setupStarted.countDown();
            if (!slowBeanSawSetup.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the slow bean never saw this setup running");
            }
        }
    }

    /** A plain bean created after the component, whose constructor waits for the component's setup to run. */
    static class SlowBean {

        SlowBean() throws InterruptedException {
            if (!setupStarted.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no setup started while this bean was being created");
            }
            slowBeanSawSetup.countDown();
            slowBeanFinished.set(true);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Early.class, SlowBean.class })
    static class OverlapApplication {
    }

    @Test
    void aComponentSetsUpWhileTheContextIsStillCreatingAnotherBean() {
        try (ConfigurableApplicationContext context = run(OverlapApplication.class)) {
            assertThat(slowBeanFinished).isTrue();
            LifecycleEngine engine = context.getBean(ConductorLifecycle.class).getEngine();
            assertThat(engine).isNotNull();
            assertThat(engine.isActive()).isTrue();
        }
    }

    @Test
    void withEarlyStartNeverTheComponentWaitsForTheLifecycle() {
        // the slow bean would wait for a setup that no longer starts during the refresh: the component sees the
        // bean created after it instead
        try (ConfigurableApplicationContext context = run(NeverApplication.class, "conductor.early-start=never")) {
            assertThat(seen).containsExactly("free: later bean created = true");
        }
    }

    @ConductorComponent("database")
    static class Database implements Component {

        @Override
        public void shutdown() {
            databaseShutdowns.incrementAndGet();
        }
    }

    @ConductorComponent("broken")
    static class Broken implements Component {

        Broken(Database database) {
        }

        @Override
        public void setup() {
            throw new IllegalStateException("journal directory is locked");
        }
    }

    /** A plain bean created after the failing component, whose constructor blocks until it is interrupted. */
    static class BlockedBean {

        BlockedBean() throws InterruptedException {
            try {
                if (!never.await(BOUND_SECONDS * 2, TimeUnit.SECONDS)) {
                    slowBeanFinished.set(true);
                }
            }
            catch (InterruptedException ex) {
                slowBeanInterrupted.set(true);
                throw ex;
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Database.class, Broken.class, BlockedBean.class })
    static class FailingApplication {
    }

    @Test
    void aFailedEarlySetupFailsTheRefreshWithoutWaitingForTheBeanBeingCreatedAndRollsBack(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(FailingApplication.class).close());
        assertThat(slowBeanFinished).as("the blocked bean finished").isFalse();
        assertThat(databaseShutdowns).as("database shut down").hasValue(1);
        assertThat(output).contains("""
                Description:

                Component 'broken' failed to set up.

                    Dependency path: broken
                    Cause: java.lang.IllegalStateException: journal directory is locked

                The components that were already active were shut down again.""");
    }

    /** A SmartLifecycle bean that is not Conductor's: usable only once the context's lifecycle started it. */
    static class Broker implements SmartLifecycle {

        private volatile boolean running;

        /** Waits (bounded) for the setups that must start before it: they saw it not running. */
        @Override
        public void start() {
            try {
                seen.add("setups before the broker's start: " + startedBeforeBroker.await(BOUND_SECONDS,
                        TimeUnit.SECONDS));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0; // before Conductor's
        }
    }

    /** A plain bean between a component and the broker. */
    static class BrokerClient {

        final Broker broker;

        BrokerClient(Broker broker) {
            this.broker = broker;
        }
    }

    @ConductorComponent("consumer")
    static class Consumer implements Component {

        private final BrokerClient client;

        Consumer(BrokerClient client) {
            this.client = client;
        }

        @Override
        public void setup() {
            seen.add("consumer: broker running = " + client.broker.isRunning());
            startedBeforeBroker.countDown();
        }
    }

    @ConductorComponent("dependent")
    static class Dependent implements Component {

        Dependent(Consumer consumer) {
        }

        @Override
        public void setup() {
            seen.add("dependent");
        }
    }

    @ConductorComponent(value = "eager", earlyStart = EarlyStart.ALWAYS)
    static class Eager implements Component {

        private final Broker broker;

        Eager(Broker broker) {
            this.broker = broker;
        }

        @Override
        public void setup() {
            seen.add("eager: broker running = " + broker.isRunning());
            startedBeforeBroker.countDown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Broker.class, BrokerClient.class, Consumer.class, Dependent.class, Eager.class })
    static class LifecycleDependencyApplication {
    }

    @Test
    void aComponentThatDependsOnASmartLifecycleBeanThroughAPlainBeanWaitsForItsStartAndSoDoItsDependents() {
        startedBeforeBroker = new CountDownLatch(1); // eager, forced early
        try (ConfigurableApplicationContext context = run(LifecycleDependencyApplication.class)) {
            assertThat(seen).contains("consumer: broker running = true", "eager: broker running = false",
                    "setups before the broker's start: true");
            assertThat(seen.indexOf("dependent")).isGreaterThan(seen.indexOf("consumer: broker running = true"));
        }
    }

    @Test
    void earlyStartAlwaysStartsEveryComponentEarly() {
        startedBeforeBroker = new CountDownLatch(2); // consumer and eager
        try (ConfigurableApplicationContext context = run(LifecycleDependencyApplication.class,
                "conductor.early-start=always")) {
            assertThat(seen).contains("consumer: broker running = false", "eager: broker running = false",
                    "setups before the broker's start: true");
        }
    }

    @ConductorComponent(value = "free")
    static class Free implements Component {

        @Override
        public void setup() {
            seen.add("free: later bean created = " + laterBeanCreated);
        }
    }

    static class LaterBean {

        LaterBean() {
            laterBeanCreated = true;
        }
    }

    @ConductorComponent(value = "late", earlyStart = EarlyStart.NEVER)
    static class Late implements Component {

        @Override
        public void setup() {
            seen.add("late: later bean created = " + laterBeanCreated);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Free.class, LaterBean.class })
    static class NeverApplication {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Late.class, LaterBean.class })
    static class NeverAnnotatedApplication {
    }

    @Test
    void aComponentMarkedEarlyStartNeverWaitsForTheLifecycle() {
        try (ConfigurableApplicationContext context = run(NeverAnnotatedApplication.class)) {
            assertThat(seen).containsExactly("late: later bean created = true");
        }
    }
}
