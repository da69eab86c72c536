package dev.conductor.spring.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "Conductor: ready" line of each of two {@code SpringApplication} runs in one fresh JVM: the first counts from
 * the JVM's start, as it always did; the second from its own {@code SpringApplication.run}, and not the first run's
 * time as well.
 */
class ReadyLineDrillTests {

    private static final Pattern READY = Pattern.compile("Conductor: ready ([0-9.]+) s after (.*?): (.*)");

    private static final Pattern TOOK = Pattern.compile("\\[two-runs\\] run ([12]) took ([0-9]+) ms");

    @Test
    void aLaterRunInTheSameJvmSaysHowLongAfterItsOwnRunItWasReady() throws Exception {
        try (ChildJvm child = ChildJvm.start("two-runs", TwoRunsApplication.class)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("the JVM exited").isTrue();
            assertThat(child.exitValue()).as(child::tail).isZero();
            List<Matcher> ready = child.log().stream().map(READY::matcher).filter(Matcher::find).toList();
            List<Matcher> took = child.log().stream().map(TOOK::matcher).filter(Matcher::find).toList();
            assertThat(ready).as(child::tail).hasSize(2);
            assertThat(took).as(child::tail).hasSize(2);

            Matcher first = ready.get(0);
            assertThat(first.group(2)).isEqualTo("the JVM's start");
            assertThat(first.group(3)).startsWith("JVM start to SpringApplication.run ");

            Matcher second = ready.get(1);
            assertThat(second.group(2)).as(second.group()).isEqualTo("its SpringApplication.run");
            assertThat(second.group(3)).startsWith("environment and context prepared ").doesNotContain("JVM");
            // true: no longer than the run took, measured around SpringApplication.run (to the line's rounding)
            double seconds = Double.parseDouble(second.group(1));
            assertThat(seconds * 1000).as(second.group()).isLessThanOrEqualTo(Long.parseLong(took.get(1).group(2)) + 1);
        }
    }
}
