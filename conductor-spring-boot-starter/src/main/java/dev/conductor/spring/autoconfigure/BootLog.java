package dev.conductor.spring.autoconfigure;

import dev.conductor.core.BootTimeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The log's companion of the whole-start picture: once the application is ready, a line at INFO with where the
 * seconds went (only when Conductor set components up), and the whole text at DEBUG. The JVM's first
 * {@code SpringApplication} run counts from the JVM's start; a later one (a test's second context) from its own
 * {@code SpringApplication.run}, since the JVM's start lies before the earlier runs.
 */
final class BootLog {

    private static final Log logger = LogFactory.getLog(BootLog.class);

    /** The stage from the JVM's start to the run's {@code ApplicationStartingEvent}; see {@link BootTimes}. */
    private static final String BEFORE_RUN = "JVM start to SpringApplication.run";

    private BootLog() {
    }

    static void ready(BootTimes times, boolean firstRun) {
        if (!logger.isInfoEnabled() || !times.setUp()) {
            return; // no line without components: and no picture to build for it
        }
        BootTimeline timeline;
        try {
            timeline = times.timeline();
        }
        catch (RuntimeException ex) {
            logger.debug("Conductor: no picture of the start", ex);
            return;
        }
        if (timeline.report() == null) {
            return;
        }
        logger.info("Conductor: " + summary(timeline, firstRun)
                + "; the whole start: /actuator/conductor?format=svg&view=boot");
        if (logger.isDebugEnabled()) {
            logger.debug("Conductor: " + timeline.toText());
        }
    }

    /**
     * For the JVM's first run, {@code ready 2.9 s after the JVM's start: JVM start to SpringApplication.run 0.4 s,
     * ...}; for a later one, {@code ready 0.6 s after its SpringApplication.run: environment and context prepared
     * 0.1 s, ...}.
     */
    static String summary(BootTimeline timeline, boolean firstRun) {
        BootTimeline.Stage beforeRun = timeline.stages().stream()
                .filter(stage -> stage.name().equals(BEFORE_RUN)).findFirst().orElse(null);
        boolean fromRun = !firstRun && beforeRun != null;
        List<String> parts = new ArrayList<>();
        for (BootTimeline.Stage stage : timeline.stages()) {
            boolean shown = stage.depth() == 0 || stage.name().equals("bean creation");
            if (shown && !(fromRun && stage.name().equals(BEFORE_RUN))) {
                parts.add(stage.name() + " " + seconds(stage.duration()));
            }
        }
        parts.add("Conductor's setup " + seconds(timeline.report().setupTime()));
        BootTimeline.Mark ready = timeline.marks().stream().filter(mark -> mark.name().equals("ready")).findFirst()
                .orElse(null);
        String when;
        if (ready == null) {
            when = "started";
        }
        else if (fromRun) {
            when = "ready " + seconds(ready.at().minus(beforeRun.end())) + " after its SpringApplication.run";
        }
        else if (firstRun) {
            when = "ready " + seconds(ready.at()) + " after the JVM's start";
        }
        else {
            when = "ready"; // a later run whose SpringApplication.run was not seen: the JVM's start is not its own
        }
        return when + ": " + String.join(", ", parts);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }
}
