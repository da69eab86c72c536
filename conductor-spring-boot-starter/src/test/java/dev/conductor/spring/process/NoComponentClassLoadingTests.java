package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application with the starter and no component at all loads none of what only components need: the engine's
 * phases, records, retries, supervision and leadership, and the starter's policies built from the annotations. A
 * cold JVM pays for every class it loads, so this is the starter's cost in such an application
 * ({@code ColdStartHarness} in the benchmarks measures it); the JVM logs each class it loads.
 */
class NoComponentClassLoadingTests {

    /** Classes that only an application with components needs; each was once loaded without any. */
    private static final List<String> NOT_NEEDED = List.of("dev.conductor.core.ComponentGraph$Builder",
            "dev.conductor.core.ComponentRecord", "dev.conductor.core.Phase", "dev.conductor.core.SetupPhase",
            "dev.conductor.core.Retries", "dev.conductor.core.RetryPolicy", "dev.conductor.core.Supervisor",
            "dev.conductor.core.SupervisionPolicy", "dev.conductor.core.LeaderRoles",
            "dev.conductor.spring.autoconfigure.RetryPolicies", "dev.conductor.spring.autoconfigure.SupervisionPolicies",
            "dev.conductor.spring.autoconfigure.LeaderOnlyBeans");

    @Test
    void anApplicationWithoutComponentsLoadsNothingOnlyComponentsNeed() throws Exception {
        try (ChildJvm child = ChildJvm.start("no-component", List.of("-Xlog:class+load=info"),
                NoComponentApplication.class, "--logging.level.root=WARN")) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("the JVM exited").isTrue();
            assertThat(child.exitValue()).as(child::tail).isZero();
            assertThat(child.contains("[no-component] ready, running: true")).as(child::tail).isTrue();
            // the log names each class as it is loaded: the starter's are there, so is the lifecycle
            assertThat(child.contains(" dev.conductor.spring.autoconfigure.ConductorLifecycle "))
                    .as("the lifecycle was loaded").isTrue();
            for (String type : NOT_NEEDED) {
                assertThat(child.contains(" " + type + " ")).as(type + " was loaded").isFalse();
            }
        }
    }
}
