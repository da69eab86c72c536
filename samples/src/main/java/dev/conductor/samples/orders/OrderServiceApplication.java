package dev.conductor.samples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The sample order service: {@link Database} and {@link MessageQueue} are set up together, then {@link WebApi} and
 * {@link BackgroundWorkers} together, before the web server takes traffic; on shutdown, the reverse.
 *
 * <p>Run it with {@code java -jar samples/target/conductor-samples.jar}: port 8080, data in {@code ./data}
 * ({@code --server.port=...}, {@code --orders.data-dir=...} to change them).
 */
@SpringBootApplication
@EnableConfigurationProperties({ OrdersProperties.class, DatabaseProperties.class })
public class OrderServiceApplication {

    /** Starts the order service. */
    public static void main(String[] args) {
        SpringApplication.run(OrderServiceApplication.class, args);
    }
}
