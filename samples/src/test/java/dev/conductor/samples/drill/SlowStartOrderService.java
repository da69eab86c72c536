package dev.conductor.samples.drill;

import dev.conductor.core.Component;
import dev.conductor.samples.orders.OrderServiceApplication;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.DependsOn;

/**
 * The order service with one more component, {@code startupGate}, that depends on {@code webApi} and
 * {@code backgroundWorkers} and whose setup blocks until it is interrupted: the service as it is when a pod that
 * is still starting gets SIGTERM. Its own package keeps the gate out of the service's component scan.
 */
public final class SlowStartOrderService {

    private SlowStartOrderService() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(OrderServiceApplication.class, StartupGate.class).run(args);
    }

    /** Waits for something that never comes, after every other component is active. */
    @ConductorComponent("startupGate")
    @DependsOn({ "webApi", "backgroundWorkers" })
    static class StartupGate implements Component {

        @Override
        public void setup() throws InterruptedException {
            System.out.println("[drill] startupGate blocks its setup");
            System.out.flush();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                System.out.println("[drill] startupGate setup interrupted");
                System.out.flush();
                throw ex;
            }
        }

        @Override
        public void shutdown() {
            System.out.println("[drill] startupGate shut down");
        }
    }
}
