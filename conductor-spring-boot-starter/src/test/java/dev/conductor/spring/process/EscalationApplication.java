package dev.conductor.spring.process;

import dev.conductor.core.Component;
import dev.conductor.spring.ComponentFailures;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.Supervision;
import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Run in a child JVM by {@link EscalationExitDrillTests}: once ready, its broker reports a failure whose supervision
 * escalates, with {@code conductor.supervision.on-escalation=exit}. Prints what its components do.
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

    @ConductorComponent(value = "broker", supervision = @Supervision(policy = "escalate"))
    static class Broker implements Component {

        private final ComponentFailures failures;

        Broker(ComponentFailures failures, Store store) {
            this.failures = failures;
        }

        @Override
        public void shutdown() {
            System.out.println("[escalation] broker shut down");
        }

        @EventListener
        void ready(ApplicationReadyEvent event) {
            System.out.println("[escalation] broker fails");
            failures.failed("broker", new IOException("connection lost for good"));
        }
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(EscalationApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("conductor.supervision.on-escalation", "exit",
                "conductor.supervision.exit-code", "7"));
        application.run(args);
        // Keep the JVM alive like a server would, until the escalation exits it
        Thread keepAlive = new Thread(() -> {
            try {
                Thread.currentThread().join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "keep-alive");
        keepAlive.start();
    }
}
