package dev.conductor.spring.process;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.Supervision;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Run in a child JVM by {@link EscalationExitDrillTests}: once ready, its broker reports a failure whose supervision
 * escalates, with {@code conductor.supervision.on-escalation=exit}. Prints what its components do. With the argument
 * {@code web} it runs a servlet web server on a free port of 127.0.0.1.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ EscalationApplication.Store.class, EscalationApplication.Broker.class })
public class EscalationApplication {

    @ConductorComponent("store")
    static class Store implements Component {

        @Override
        public void setup() {
            System.out.println("[escalation] store set up");
        }

        @Override
        public void shutdown() {
            System.out.println("[escalation] store shut down");
        }
    }

    /**
     * Consumes on a non-daemon thread of its own, as a message listener would, from its setup to its shutdown;
     * once the application is ready, that thread loses its connection for good and reports it.
     */
    @ConductorComponent(value = "broker", supervision = @Supervision(policy = "escalate"))
    static class Broker implements Component {

        private final ComponentFailures failures;

        private final CountDownLatch ready = new CountDownLatch(1);

        private final CountDownLatch stopped = new CountDownLatch(1);

        Broker(ComponentFailures failures, Store store) {
            this.failures = failures;
        }

        @Override
        public void setup() {
            Thread consumer = new Thread(() -> {
                try {
                    ready.await();
                    System.out.println("[escalation] broker fails");
                    failures.failed("broker", new IOException("connection lost for good"));
                    stopped.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "broker-consumer");
            consumer.setDaemon(false);
            consumer.start();
        }

        @Override
        public void shutdown() {
            stopped.countDown();
            System.out.println("[escalation] broker shut down");
        }

        @EventListener
        void ready(ApplicationReadyEvent event) {
            ready.countDown();
        }
    }

    /**
     * No thread of its own keeps the JVM alive: with {@code web}, the web server's; without, the broker's consumer.
     * Both end as the escalation shuts everything down, before the JVM exits with the exit code.
     */
    public static void main(String[] args) {
        boolean web = java.util.Arrays.asList(args).contains("web");
        SpringApplication application = new SpringApplication(EscalationApplication.class);
        application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("conductor.supervision.on-escalation", "exit",
                "conductor.supervision.exit-code", "7", "server.port", "0", "server.address", "127.0.0.1"));
        application.run(args);
    }
}
