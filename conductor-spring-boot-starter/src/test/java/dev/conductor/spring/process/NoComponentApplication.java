package dev.conductor.spring.process;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a child JVM by {@link NoComponentClassLoadingTests}: an application with the starter and everything else
 * on the tests' class path auto-configured, but no component at all. Prints {@code [no-component] ready} once
 * {@code run} returned, then closes.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class NoComponentApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(NoComponentApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(args)) {
            System.out.println("[no-component] ready, running: " + context.isRunning());
        }
    }
}
