package dev.conductor.spring.process;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Run in a child JVM by {@link ReadyLineDrillTests}: the same application run twice, one after the other, as a test
 * JVM runs a second context. After each run prints {@code [two-runs] run N took M ms}, measured around
 * {@code SpringApplication.run}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(TwoRunsApplication.Database.class)
public class TwoRunsApplication {

    @ConductorComponent
    static class Database implements Component {
    }

    public static void main(String[] args) {
        for (int run = 1; run <= 2; run++) {
            SpringApplication application = new SpringApplication(TwoRunsApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            long start = System.nanoTime();
            try (ConfigurableApplicationContext context = application.run(args)) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("[two-runs] run " + run + " took " + millis + " ms");
            }
        }
    }
}
