package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ComponentFailedException;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an escalated supervision does to the application once Conductor shut every component down
 * ({@code conductor.supervision.on-escalation}): report {@link LivenessState#BROKEN}, or close the application
 * with {@link SpringApplication#exit} and exit the JVM with {@code conductor.supervision.exit-code}.
 */
final class EscalationHandler implements Consumer<ComponentFailedException> {

    private static final Log logger = LogFactory.getLog(EscalationHandler.class);

    private final ConfigurableApplicationContext context;

    private final ConductorProperties.Supervision properties;

    EscalationHandler(ConfigurableApplicationContext context, ConductorProperties.Supervision properties) {
        this.context = context;
        this.properties = properties;
    }

    @Override
    public void accept(ComponentFailedException failure) {
        if (properties.getOnEscalation() == ConductorProperties.Supervision.OnEscalation.EXIT) {
            logger.error("Conductor: " + failure.getMessage() + " The application exits with code "
                    + properties.getExitCode() + ".", failure);
            // Not on the supervision thread: closing the context waits for the engine's shutdown. Not a daemon
            // either: closing the context stops the web server, whose threads may be all that keeps the JVM alive,
            // and the JVM would then end with status 0 before System.exit(code) ran.
            Thread exit = new Thread(() -> {
                int code = SpringApplication.exit(context, properties::getExitCode);
                System.exit(code != 0 ? code : properties.getExitCode());
            }, "conductor-escalation-exit");
            exit.setDaemon(false);
            exit.start();
        }
        else {
            logger.error("Conductor: " + failure.getMessage() + " The application's liveness is BROKEN.", failure);
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        }
    }
}
