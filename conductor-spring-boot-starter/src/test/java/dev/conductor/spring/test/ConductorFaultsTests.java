package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conductor.core.Component;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.Supervision;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/** {@link ConductorFaults} in real {@code @SpringBootTest}s: injected, acting on the components, scoped per test. */
@SpringBootTest(classes = ConductorFaultsTests.Application.class, webEnvironment = WebEnvironment.NONE,
        properties = "conductor.readiness.check-interval=1h")
class ConductorFaultsTests {

    abstract static class Counting implements Component {

        final AtomicInteger setups = new AtomicInteger();

        @Override
        public void setup() {
            setups.incrementAndGet();
        }
    }

    @ConductorComponent(value = "broker", supervision = @Supervision(policy = "restart", maxRestarts = "100",
            delay = "0s"))
    static class Broker extends Counting {
    }

    @ConductorComponent("worker")
    static class Worker extends Counting {

        Worker(Broker broker) {
        }
    }

    @ConductorComponent("store")
    static class Store extends Counting {
    }

    /** Counts the restarts whose setup failed. */
    static class FailedRestarts implements LifecycleListener {

        final AtomicInteger count = new AtomicInteger();

        final AtomicReference<Throwable> last = new AtomicReference<>();

        @Override
        public void onEvent(LifecycleEvent event) {
            if (event.kind() == LifecycleEvent.Kind.RESTART_FAILED) {
                last.set(event.failure());
                count.incrementAndGet();
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ Broker.class, Worker.class, Store.class, FailedRestarts.class })
    static class Application {
    }

    @Autowired
    private ConductorFaults faults;

    @Autowired
    private Broker broker;

    @Autowired
    private Worker worker;

    @Autowired
    private Store store;

    @Autowired
    private FailedRestarts failedRestarts;

    @Test
    void aFailureWhileRunningRestartsTheSupervisedComponentWithItsDependents() {
        int brokerSetups = broker.setups.get();
        int workerSetups = worker.setups.get();
        int storeSetups = store.setups.get();

        faults.failWhileRunning(Broker.class, new IOException("broker gone"));

        await().atMost(Duration.ofSeconds(10)).until(() -> worker.setups.get() == workerSetups + 1);
        assertThat(broker.setups).hasValue(brokerSetups + 1);
        assertThat(store.setups).hasValue(storeSetups);
    }

    @Test
    void aTestChoosesTheExceptionOfInjectedSetupFailures() {
        int failed = failedRestarts.count.get();
        int workerSetups = worker.setups.get();
        faults.failNextSetups(Broker.class, 1, () -> new IOException("broker not reachable"));

        faults.failWhileRunning(Broker.class, new IOException("broker gone"));

        await().atMost(Duration.ofSeconds(10)).until(() -> worker.setups.get() == workerSetups + 1);
        assertThat(failedRestarts.count).hasValue(failed + 1);
        assertThat(failedRestarts.last.get()).hasRootCauseInstanceOf(IOException.class)
                .hasRootCauseMessage("broker not reachable");
    }

    @Test
    void anUnknownTypeIsRefusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> faults.hangSetup(Unregistered.class))
                .withMessage("Cannot inject a fault into " + Unregistered.class.getName()
                        + ": there is no bean of that type. Name the component by its bean name instead.");
    }

    static class Unregistered implements Component {
    }

    @Test
    void twoTestClassesSharingACachedContextDoNotShareFaults() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeavesAFault.class), selectClass(FindsNoLeakedFault.class))
                .execute().testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(FindsNoLeakedFault.context.get()).isNotNull().isSameAs(LeavesAFault.context.get());
    }

    @SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.NONE,
            properties = "conductor.readiness.check-interval=1h")
    static class LeavesAFault {

        static final AtomicReference<ApplicationContext> context = new AtomicReference<>();

        @Autowired
        ConductorFaults faults;

        @Autowired
        ApplicationContext applicationContext;

        @Test
        void injectsAFaultAndDoesNotUseIt() {
            context.set(applicationContext);
            faults.failNextSetups(Broker.class, 5);
        }
    }

    @SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.NONE,
            properties = "conductor.readiness.check-interval=1h")
    static class FindsNoLeakedFault {

        static final AtomicReference<ApplicationContext> context = new AtomicReference<>();

        @Autowired
        ConductorFaults faults;

        @Autowired
        ApplicationContext applicationContext;

        @Autowired
        Broker broker;

        @Autowired
        Worker worker;

        @Autowired
        FailedRestarts failedRestarts;

        @Test
        void restartsTheBrokerWithoutTheOtherTestsFault() {
            context.set(applicationContext);
            int failed = failedRestarts.count.get();
            int workerSetups = worker.setups.get();
            int brokerSetups = broker.setups.get();
            faults.failWhileRunning(Broker.class, new IOException("broker gone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.setups.get() == workerSetups + 1);
            assertThat(broker.setups).hasValue(brokerSetups + 1);
            assertThat(failedRestarts.count).as("restarts failed by a leaked fault").hasValue(failed);
        }
    }
}
