package dev.conductor.spring.autoconfigure;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.spring.ComponentLifecycleEvent;
import dev.conductor.spring.ConductorComponent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/** Real Spring applications: the graph comes from Spring's wiring, and the lifecycle runs it. */
@ExtendWith(OutputCaptureExtension.class)
class ConductorApplicationTests {

    private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).properties(properties)
                .run();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(10, SECONDS)) {
            throw new AssertionError("latch not released: the components did not overlap");
        }
    }

    abstract static class Recording implements Component {

        private final TransitionRecorder recorder;

        Recording(TransitionRecorder recorder) {
            this.recorder = recorder;
        }
    }

    @ConductorComponent
    static class Database implements Component {
    }

    @ConductorComponent
    static class MessageQueue implements Component {
    }

    /** A plain bean between a component and its dependency. */
    static class OrderRepository {

        OrderRepository(Database database) {
        }
    }

    @ConductorComponent
    static class WebApi implements Component {

        WebApi(OrderRepository repository, MessageQueue queue) {
        }
    }

    @ConductorComponent
    static class BackgroundWorkers implements Component {

        @Autowired
        Database database;

        MessageQueue queue;

        @Autowired
        void setQueue(MessageQueue queue) {
            this.queue = queue;
        }
    }

    static class Cache implements Component {

        Cache(Database database) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Database.class, MessageQueue.class, WebApi.class, BackgroundWorkers.class })
    static class SeedApplication {

        @Bean
        TransitionRecorder recorder() {
            return new TransitionRecorder();
        }

        @Bean
        OrderRepository orderRepository(Database database) {
            return new OrderRepository(database);
        }

        @Bean
        @ConductorComponent(setupTimeout = "5s")
        Cache cache(Database database) {
            return new Cache(database);
        }

        @Bean
        EventRecorder eventRecorder() {
            return new EventRecorder();
        }
    }

    static class EventRecorder {

        final List<ComponentLifecycleEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ComponentLifecycleEvent event) {
            events.add(event);
        }
    }

    private static String name(Class<?> type) {
        return type.getName(); // @Import names beans by their class name
    }

    @Test
    void dependenciesComeFromConstructorFieldMethodAndChainedInjection(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run(SeedApplication.class)) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            String database = graph.names().stream().filter(n -> n.endsWith("Database")).findFirst().orElseThrow();
            String queue = graph.names().stream().filter(n -> n.endsWith("MessageQueue")).findFirst().orElseThrow();
            String webApi = graph.names().stream().filter(n -> n.endsWith("WebApi")).findFirst().orElseThrow();
            String workers = graph.names().stream().filter(n -> n.endsWith("BackgroundWorkers")).findFirst()
                    .orElseThrow();
            assertThat(graph.dependencies(webApi)).containsExactlyInAnyOrder(database, queue);
            assertThat(graph.dependencies(workers)).containsExactlyInAnyOrder(database, queue);
            assertThat(graph.dependencies("cache")).containsExactly(database);
            assertThat(graph.definition("cache").setupTimeout()).hasSeconds(5);
            assertThat(graph.tier(webApi)).isEqualTo(1);
            TransitionRecorder recorder = context.getBean(TransitionRecorder.class);
            assertThat(recorder.before("setup-finished " + database, "setup-started " + webApi)).isTrue();
            assertThat(recorder.before("setup-finished " + queue, "setup-started " + workers)).isTrue();
            assertThat(output).contains("Conductor: Set up 5 components in").contains("critical path")
                    .contains("tier 0:").contains("tier 1:");
            EventRecorder events = context.getBean(EventRecorder.class);
            context.close();
            assertThat(recorder.before("shutdown-finished " + webApi, "shutdown-started " + database)).isTrue();
            assertThat(recorder.before("shutdown-finished " + workers, "shutdown-started " + queue)).isTrue();
            assertThat(events.events).hasSize(20)
                    .first().satisfies(event -> assertThat(event.getKind().isSetup()).isTrue());
        }
    }

    @Test
    void lazyComponentsAreCreatedBeforeTheirDependenciesAreRead() {
        try (ConfigurableApplicationContext context = run(SeedApplication.class,
                "spring.main.lazy-initialization=true")) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.dependencies(name(WebApi.class)))
                    .containsExactlyInAnyOrder(name(Database.class), name(MessageQueue.class));
            assertThat(graph.dependencies("cache")).containsExactly(name(Database.class));
        }
    }

    static final CyclicBarrier BARRIER = new CyclicBarrier(2);

    @ConductorComponent
    static class Left implements Component {

        @Override
        public void setup() throws Exception {
            BARRIER.await(10, SECONDS);
        }
    }

    @ConductorComponent
    static class Right implements Component {

        @Override
        public void setup() throws Exception {
            BARRIER.await(10, SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Left.class, Right.class })
    static class IndependentApplication {
    }

    @Test
    void independentComponentsSetUpConcurrently() {
        BARRIER.reset();
        try (ConfigurableApplicationContext context = run(IndependentApplication.class)) {
            assertThat(context.getBean(ConductorLifecycle.class).isRunning()).isTrue();
        }
    }

    static final CountDownLatch SLOW_RELEASED = new CountDownLatch(1);

    @ConductorComponent
    static class Slow implements Component {

        @Override
        public void setup() throws Exception {
            await(SLOW_RELEASED);
        }
    }

    @ConductorComponent
    static class Fast implements Component {
    }

    @ConductorComponent
    static class AfterFast implements Component {

        AfterFast(Fast fast) {
        }

        @Override
        public void setup() {
            SLOW_RELEASED.countDown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Slow.class, Fast.class, AfterFast.class })
    static class UnevenApplication {
    }

    @Test
    void aComponentStartsWhenItsOwnDependenciesAreActiveEvenWhileASlowSiblingSetsUp() {
        try (ConfigurableApplicationContext context = run(UnevenApplication.class)) {
            assertThat(SLOW_RELEASED.getCount()).isZero();
        }
    }

    @ConductorComponent
    @DependsOn("dev.conductor.spring.autoconfigure.ConductorApplicationTests$Database")
    static class Migrations implements Component {
    }

    @ConductorComponent(dependsOn = MessageQueue.class)
    static class LazyClient implements Component {

        LazyClient(org.springframework.beans.factory.ObjectProvider<MessageQueue> queue) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import({ Database.class, MessageQueue.class, Migrations.class, LazyClient.class })
    static class ExplicitDependenciesApplication {
    }

    @Test
    void dependsOnAndTheDependsOnAttributeCount() {
        try (ConfigurableApplicationContext context = run(ExplicitDependenciesApplication.class)) {
            ComponentGraph graph = context.getBean(ConductorLifecycle.class).getEngine().graph();
            assertThat(graph.dependencies(name(Migrations.class))).containsExactly(name(Database.class));
            assertThat(graph.dependencies(name(LazyClient.class))).containsExactly(name(MessageQueue.class));
        }
    }

    static final AtomicInteger SETUPS = new AtomicInteger();

    @ConductorComponent
    static class Counted implements Component {

        @Override
        public void setup() {
            SETUPS.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    @Import(Counted.class)
    static class CountedApplication {
    }

    @Test
    void contextStopAndStartShutDownAndSetUpAgainButNeverTwiceWhileActive() {
        SETUPS.set(0);
        try (ConfigurableApplicationContext context = run(CountedApplication.class)) {
            ConductorLifecycle lifecycle = context.getBean(ConductorLifecycle.class);
            context.start();
            assertThat(SETUPS).hasValue(1);
            context.stop();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(lifecycle.getEngine().state(name(Counted.class))).isEqualTo(ComponentState.STOPPED);
            context.start();
            assertThat(SETUPS).hasValue(2);
            assertThat(lifecycle.isRunning()).isTrue();
        }
    }

    static class NotAComponent {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class NotAComponentApplication {

        @Bean
        @ConductorComponent
        NotAComponent notAComponent() {
            return new NotAComponent();
        }
    }

    @Test
    void anAnnotatedBeanThatIsNotAComponentFailsTheStartupNamingIt(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(NotAComponentApplication.class));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Component 'notAComponent' is annotated with @ConductorComponent but its type")
                .contains("Implement dev.conductor.core.Component");
    }
}
