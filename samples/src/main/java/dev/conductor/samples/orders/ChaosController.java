package dev.conductor.samples.orders;

import dev.conductor.core.Faults;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fault injection into the running service, for the chaos drill ({@code ChaosDrillIT}) and for trying the
 * supervision by hand. Off by default: it exists only with {@code orders.chaos.enabled=true} (evaluated when the
 * context starts, so an AOT-processed build, whose conditions were evaluated at build time, never has it). Never
 * enable it where untrusted clients reach the port. With it, the context holds a {@link Faults} that Conductor
 * attaches to its engine, and:
 *
 * <ul>
 * <li>{@code POST /chaos/{component}/fail}: the running component fails, as its failure reporter would say; its
 * supervision restarts it with its dependents (or escalates once its restart budget is spent).</li>
 * <li>{@code POST /chaos/{component}/fail-next-setups?times=n}: its next {@code n} setups throw, so the setup
 * retries ({@code conductor.setup-retry.*}) have something to do.</li>
 * <li>{@code POST /chaos/messageQueue/health-down}: the broker reports {@code DOWN} until its next setup; after
 * {@code conductor.supervision.health-failure-threshold} readiness checks in a row its supervision restarts it.</li>
 * </ul>
 */
@RestController
@RequestMapping("/chaos")
@ConditionalOnBooleanProperty("orders.chaos.enabled")
class ChaosController {

    private static final Log logger = LogFactory.getLog(ChaosController.class);

    private final Faults faults;

    private final ObjectProvider<ArtemisMessageQueue> broker;

    ChaosController(Faults faults, ObjectProvider<ArtemisMessageQueue> broker) {
        this.faults = faults;
        this.broker = broker;
    }

    @PostMapping("/{component}/fail")
    ResponseEntity<Map<String, String>> fail(@PathVariable String component) {
        logger.info("Chaos: failing component '" + component + "' while it runs");
        faults.failWhileRunning(component,
                new IllegalStateException("chaos drill: injected runtime failure of '" + component + "'"));
        return ResponseEntity.accepted().body(Map.of("injected", "fail", "component", component));
    }

    @PostMapping("/{component}/fail-next-setups")
    ResponseEntity<Map<String, String>> failNextSetups(@PathVariable String component,
            @RequestParam(defaultValue = "1") int times) {
        logger.info("Chaos: the next " + times + " setup(s) of component '" + component + "' fail");
        faults.failNextSetups(component, times, () -> new IllegalStateException(
                "chaos drill: injected setup failure of '" + component + "'"));
        return ResponseEntity.accepted().body(Map.of("injected", "fail-next-setups", "component", component,
                "times", Integer.toString(times)));
    }

    @PostMapping("/messageQueue/health-down")
    ResponseEntity<Map<String, String>> healthDown() {
        ArtemisMessageQueue queue = broker.getIfAvailable();
        if (queue == null) {
            return ResponseEntity.notFound().build();
        }
        logger.info("Chaos: the broker reports itself DOWN until its next setup");
        queue.reportDown("chaos drill: the broker reports itself down");
        return ResponseEntity.accepted().body(Map.of("injected", "health-down", "component", "messageQueue"));
    }

    /** The {@link Faults}, also only with {@code orders.chaos.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("orders.chaos.enabled")
    static class Enabled {

        /** Conductor's auto-configuration attaches the context's single {@link Faults} to its engine. */
        @Bean
        Faults ordersChaosFaults() {
            return new Faults();
        }
    }
}
