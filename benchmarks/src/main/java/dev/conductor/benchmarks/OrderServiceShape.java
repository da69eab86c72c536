package dev.conductor.benchmarks;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample order service's shape as a benchmark-only Spring Boot application, with simulated latencies
 * instead of H2, Artemis and Tomcat (whose own start times, seconds on a busy 2-core machine, would drown what
 * is compared): {@code database} and {@code messageQueue} without dependencies, {@code webApi} and
 * {@code backgroundWorkers} each needing both. {@link WholeAppHarness} starts it in a child JVM per run; this
 * class is that child's {@code main}.
 *
 * <p>Three variants of the same four parts, the latencies spent in the same places:
 * <ul>
 * <li>{@code conductor}: {@code @ConductorComponent} beans; setup and shutdown are the components'.</li>
 * <li>{@code spring-sequential}: the usual Spring way, {@code InitializingBean.afterPropertiesSet()} and
 * {@code DisposableBean.destroy()}, dependencies by {@code @Bean} method parameters; Spring creates the beans one
 * at a time and destroys them one at a time in reverse.</li>
 * <li>{@code spring-background}: Spring's supported use of background bootstrap: {@code database} and
 * {@code messageQueue} as {@code @Bean(bootstrap = BACKGROUND)} beans on a {@code bootstrapExecutor}, their
 * dependents mainline beans that receive them through {@code ObjectProvider} (Spring refuses a direct injection of
 * a background bean into a mainline bean, and a background bean needing another one that is still being created
 * fails or deadlocks, see {@link SpringBackgroundBootstrapStrategy}). Destruction is Spring's: sequential.</li>
 * </ul>
 *
 * <p>Prints {@code START}/{@code UP <part> <uptime ms>} and {@code STOP}/{@code DOWN <part> <uptime ms>} as each
 * part begins and finishes its setup and shutdown, then
 * {@code READY} once {@code SpringApplication.run} returned, and waits for SIGTERM; Spring Boot's shutdown hook
 * then closes the context and the JVM exits.
 */
public final class OrderServiceShape {

    /** One part of the service: its name and simulated latencies in milliseconds. */
    record Part(String name, int setupMillis, int shutdownMillis, List<String> dependencies) {
    }

    static final Part DATABASE = new Part("database", 400, 100, List.of());

    static final Part MESSAGE_QUEUE = new Part("messageQueue", 600, 300, List.of());

    static final Part WEB_API = new Part("webApi", 50, 200, List.of("database", "messageQueue"));

    static final Part BACKGROUND_WORKERS = new Part("backgroundWorkers", 150, 250,
            List.of("database", "messageQueue"));

    static final List<Part> PARTS = List.of(DATABASE, MESSAGE_QUEUE, WEB_API, BACKGROUND_WORKERS);

    /** The variants, by the name {@code --variant=} and {@code WholeAppHarness --variants=} take. */
    enum Variant {
        CONDUCTOR("conductor", "Conductor, early start (parts' beans early in the refresh)", ConductorParts.class),
        CONDUCTOR_LATE_BEANS("conductor-late-beans", "Conductor, early start (parts' beans late in the refresh)",
                LateConductorParts.class),
        CONDUCTOR_NEVER("conductor-never", "Conductor, early start off (conductor.early-start=never, as before)",
                ConductorParts.class, "conductor.early-start=never"),
        CONDUCTOR_NOOP("conductor-noop", "Conductor, no-op parts (for the bound)", ConductorParts.class,
                "bench.no-op-parts=true"),
        SPRING_SEQUENTIAL("spring-sequential", "Spring: InitializingBean + DisposableBean", SequentialParts.class),
        SPRING_BACKGROUND("spring-background", "Spring: background bootstrap for the two roots",
                BackgroundParts.class),
        CONDUCTOR_BUSY("conductor-busy", "Conductor, early start, then 700 ms of other beans", ConductorParts.class,
                "bench.rest-of-refresh=700"),
        CONDUCTOR_NOOP_BUSY("conductor-noop-busy", "Conductor, no-op parts, then 700 ms of other beans (for the bound)",
                ConductorParts.class, "bench.no-op-parts=true", "bench.rest-of-refresh=700"),
        SPRING_BACKGROUND_BUSY("spring-background-busy", "Spring: background bootstrap, then 700 ms of other beans",
                BackgroundParts.class, "bench.rest-of-refresh=700");

        final String id;

        final String description;

        final Class<?> configuration;

        final List<String> properties;

        Variant(String id, String description, Class<?> configuration, String... properties) {
            this.id = id;
            this.description = description;
            this.configuration = configuration;
            this.properties = List.of(properties);
        }

        boolean conductor() {
            return id.startsWith("conductor");
        }

        /** The variant with no-op parts and the same rest of the refresh: the no-op term of this one's bound. */
        Variant noOpBound() {
            return id.endsWith("-busy") ? CONDUCTOR_NOOP_BUSY : CONDUCTOR_NOOP;
        }

        static Variant of(String id) {
            for (Variant variant : values()) {
                if (variant.id.equals(id)) {
                    return variant;
                }
            }
            throw new IllegalArgumentException("Unknown variant '" + id + "'; known: conductor, conductor-late-beans,"
                    + " conductor-never, conductor-noop, spring-sequential, spring-background, conductor-busy,"
                    + " conductor-noop-busy, spring-background-busy");
        }
    }

    private OrderServiceShape() {
    }

    public static void main(String[] args) throws Exception {
        Args parsed = Args.parse(args, "variant");
        Variant variant = Variant.of(parsed.value("variant", "conductor"));
        List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off",
                "logging.level.root=WARN", "spring.main.web-application-type=none"));
        properties.addAll(variant.properties);
        noOpParts = variant.properties.contains("bench.no-op-parts=true");
        if (!variant.conductor()) {
            // As if the starter were not on the class path at all
            List<String> conductor = StartupHarness.conductorAutoConfigurations();
            if (!conductor.isEmpty()) {
                properties.add("spring.autoconfigure.exclude=" + String.join(",", conductor));
            }
        }
        SpringApplication application = new SpringApplication(Application.class, variant.configuration,
                RestOfRefresh.class);
        application.setDefaultProperties(properties.stream()
                .collect(java.util.stream.Collectors.toMap(p -> p.substring(0, p.indexOf('=')),
                        p -> (Object) p.substring(p.indexOf('=') + 1))));
        ConfigurableApplicationContext context = application.run();
        System.out.println("READY " + variant.id + " " + uptimeMillis());
        System.out.flush();
        // Until SIGTERM: Spring Boot's shutdown hook closes the context, then the JVM exits
        new CountDownLatch(1).await();
        context.close();
    }

    /**
     * The rest of an application's own beans, created after the parts' (their definitions come next): for the
     * {@code -busy} variants, {@code bench.rest-of-refresh} milliseconds of work on the refresh's thread, as
     * Tomcat, MVC and Actuator take in the sample; none otherwise.
     */
    @Configuration(proxyBeanMethods = false)
    static class RestOfRefresh {

        @Bean
        Object restOfRefresh(org.springframework.core.env.Environment environment) {
            sleep(environment.getProperty("bench.rest-of-refresh", Integer.class, 0));
            return new Object();
        }
    }

    /** Auto-configuration only: the variant's configuration class brings the parts. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while standing in for I/O", ex);
        }
    }

    /** Whether the parts do nothing but print: the same application's ready time without the parts' work. */
    static volatile boolean noOpParts;

    static void up(Part part) {
        System.out.println(String.format(Locale.ROOT, "START %s %d", part.name(), uptimeMillis()));
        sleep(noOpParts ? 0 : part.setupMillis());
        System.out.println(String.format(Locale.ROOT, "UP %s %d", part.name(), uptimeMillis()));
    }

    static void down(Part part) {
        System.out.println(String.format(Locale.ROOT, "STOP %s %d", part.name(), uptimeMillis()));
        sleep(noOpParts ? 0 : part.shutdownMillis());
        System.out.println(String.format(Locale.ROOT, "DOWN %s %d", part.name(), uptimeMillis()));
    }

    /** Milliseconds since this JVM started, for reading a child's output by eye. */
    private static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** A part as a Conductor component. */
    static class ComponentPart implements Component {

        private final Part part;

        ComponentPart(Part part, Object... dependencies) {
            this.part = part;
            System.out.println(String.format(Locale.ROOT, "BEAN %s %d", part.name(), uptimeMillis()));
        }

        @Override
        public void setup() {
            up(part);
        }

        @Override
        public void shutdown() {
            down(part);
        }
    }

    /** Distinct types, so that each part is its own bean type as in the sample. */
    static final class Database extends ComponentPart {
        Database() {
            super(DATABASE);
        }
    }

    static final class MessageQueue extends ComponentPart {
        MessageQueue() {
            super(MESSAGE_QUEUE);
        }
    }

    static final class WebApi extends ComponentPart {
        WebApi(Database database, MessageQueue queue) {
            super(WEB_API, database, queue);
        }
    }

    static final class BackgroundWorkers extends ComponentPart {
        BackgroundWorkers(Database database, MessageQueue queue) {
            super(BACKGROUND_WORKERS, database, queue);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConductorParts {

        // destroyMethod = "": otherwise Spring infers the public shutdown() as the bean's destroy method and
        // calls it a second time when the context closes, after Conductor already shut the component down

        @Bean(destroyMethod = "")
        @ConductorComponent
        Database database() {
            return new Database();
        }

        @Bean(destroyMethod = "")
        @ConductorComponent
        MessageQueue messageQueue() {
            return new MessageQueue();
        }

        @Bean(destroyMethod = "")
        @ConductorComponent
        WebApi webApi(Database database, MessageQueue messageQueue) {
            return new WebApi(database, messageQueue);
        }

        @Bean(destroyMethod = "")
        @ConductorComponent
        BackgroundWorkers backgroundWorkers(Database database, MessageQueue messageQueue) {
            return new BackgroundWorkers(database, messageQueue);
        }
    }

    /**
     * The same four components, their bean definitions registered after every other one (the auto-configurations'
     * included), so that Spring creates them last in the refresh.
     */
    @Configuration(proxyBeanMethods = false)
    static class LateConductorParts {

        @Bean
        static org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor lateParts() {
            return registry -> {
                for (Class<?> type : List.of(LateDatabase.class, LateMessageQueue.class, LateWebApi.class,
                        LateBackgroundWorkers.class)) {
                    org.springframework.beans.factory.support.RootBeanDefinition definition =
                            new org.springframework.beans.factory.support.RootBeanDefinition(type);
                    definition.setAutowireMode(
                            org.springframework.beans.factory.support.AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
                    definition.setDestroyMethodName("");
                    String name = type.getSimpleName().substring("Late".length());
                    registry.registerBeanDefinition(Character.toLowerCase(name.charAt(0)) + name.substring(1),
                            definition);
                }
            };
        }
    }

    @ConductorComponent
    static final class LateDatabase extends ComponentPart {
        LateDatabase() {
            super(DATABASE);
        }
    }

    @ConductorComponent
    static final class LateMessageQueue extends ComponentPart {
        LateMessageQueue() {
            super(MESSAGE_QUEUE);
        }
    }

    @ConductorComponent
    static final class LateWebApi extends ComponentPart {
        LateWebApi(LateDatabase database, LateMessageQueue queue) {
            super(WEB_API, database, queue);
        }
    }

    @ConductorComponent
    static final class LateBackgroundWorkers extends ComponentPart {
        LateBackgroundWorkers(LateDatabase database, LateMessageQueue queue) {
            super(BACKGROUND_WORKERS, database, queue);
        }
    }

    /** A part the usual Spring way: set up when created, shut down when destroyed. */
    static class BeanPart implements InitializingBean, DisposableBean {

        private final Part part;

        BeanPart(Part part) {
            this.part = part;
        }

        @Override
        public void afterPropertiesSet() {
            up(part);
        }

        @Override
        public void destroy() {
            down(part);
        }
    }

    static final class DatabaseBean extends BeanPart {
        DatabaseBean() {
            super(DATABASE);
        }
    }

    static final class MessageQueueBean extends BeanPart {
        MessageQueueBean() {
            super(MESSAGE_QUEUE);
        }
    }

    static final class WebApiBean extends BeanPart {
        WebApiBean(DatabaseBean database, MessageQueueBean queue) {
            super(WEB_API);
        }
    }

    static final class BackgroundWorkersBean extends BeanPart {
        BackgroundWorkersBean(DatabaseBean database, MessageQueueBean queue) {
            super(BACKGROUND_WORKERS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SequentialParts {

        @Bean
        DatabaseBean database() {
            return new DatabaseBean();
        }

        @Bean
        MessageQueueBean messageQueue() {
            return new MessageQueueBean();
        }

        @Bean
        WebApiBean webApi(DatabaseBean database, MessageQueueBean messageQueue) {
            return new WebApiBean(database, messageQueue);
        }

        @Bean
        BackgroundWorkersBean backgroundWorkers(DatabaseBean database, MessageQueueBean messageQueue) {
            return new BackgroundWorkersBean(database, messageQueue);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BackgroundParts {

        /** Virtual threads on 21+, else a new daemon platform thread per bean: nothing waits for a thread. */
        @Bean(name = ConfigurableApplicationContext.BOOTSTRAP_EXECUTOR_BEAN_NAME)
        Executor bootstrapExecutor() {
            return PerTaskThreads.executor();
        }

        @Bean(bootstrap = Bean.Bootstrap.BACKGROUND)
        DatabaseBean database() {
            return new DatabaseBean();
        }

        @Bean(bootstrap = Bean.Bootstrap.BACKGROUND)
        MessageQueueBean messageQueue() {
            return new MessageQueueBean();
        }

        @Bean
        WebApiBean webApi(ObjectProvider<DatabaseBean> database, ObjectProvider<MessageQueueBean> messageQueue) {
            return new WebApiBean(database.getObject(), messageQueue.getObject());
        }

        @Bean
        BackgroundWorkersBean backgroundWorkers(ObjectProvider<DatabaseBean> database,
                ObjectProvider<MessageQueueBean> messageQueue) {
            return new BackgroundWorkersBean(database.getObject(), messageQueue.getObject());
        }
    }
}
