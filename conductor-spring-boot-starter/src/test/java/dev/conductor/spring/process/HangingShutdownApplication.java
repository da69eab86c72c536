package dev.conductor.spring.process;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application of the shutdown-deadline drill, run in a child JVM: a servlet web server with graceful
 * shutdown, {@code database}, then {@code api} (needs it), and {@code exporter}, whose shutdown hangs for good,
 * deaf to interrupts. Each component's shutdown timeout is long (60 s): only {@code conductor.shutdown-deadline}
 * ends the wait. {@code GET /slow} never answers, so the web server's drain lasts its whole timeout
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}). Every step is printed as {@code [drill] ...}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ HangingShutdownApplication.Database.class, HangingShutdownApplication.Api.class,
        HangingShutdownApplication.Exporter.class, HangingShutdownApplication.SlowController.class })
public class HangingShutdownApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(HangingShutdownApplication.class)
                .properties("server.port=0", "server.shutdown=graceful", "conductor.shutdown-timeout=60s")
                .run(args);
        DrillApplication.print("started");
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> portPrinter() {
        return event -> DrillApplication.print("listening on port " + event.getWebServer().getPort());
    }

    @ConductorComponent("database")
    static class Database implements Component {

        @Override
        public void shutdown() {
            DrillApplication.print("database shut down");
        }
    }

    @ConductorComponent("api")
    static class Api implements Component {

        Api(Database database) {
        }

        @Override
        public void shutdown() {
            DrillApplication.print("api shut down");
        }
    }

    /** A metrics exporter whose final flush never returns: the worst case for a grace period. */
    @ConductorComponent("exporter")
    static class Exporter implements Component {

        @Override
        public void shutdown() {
            DrillApplication.print("exporter hangs its shutdown");
            while (true) {
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ignored) {
                    DrillApplication.print("exporter ignores an interrupt");
                }
            }
        }
    }

    /** A request that never finishes, so that the web server's graceful drain takes its whole timeout. */
    @RestController
    static class SlowController {

        @GetMapping("/slow")
        String slow() throws InterruptedException {
            DrillApplication.print("request in flight");
            new CountDownLatch(1).await();
            return "never";
        }
    }
}
