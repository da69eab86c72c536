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
 * seconds went (only when Conductor set components up), and the whole text at DEBUG.
 */
final class BootLog {

    private static final Log logger = LogFactory.getLog(BootLog.class);

    private BootLog() {
    }

    static void ready(BootTimes times) {
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
        logger.info("Conductor: " + summary(timeline)
                + "; the whole start: /actuator/conductor?format=svg&view=boot");
        if (logger.isDebugEnabled()) {
            logger.debug("Conductor: " + timeline.toText());
        }
    }

    /** {@code ready 2.9 s after the JVM's start: JVM start to SpringApplication.run 0.4 s, ...}. */
    static String summary(BootTimeline timeline) {
        List<String> parts = new ArrayList<>();
        for (BootTimeline.Stage stage : timeline.stages()) {
            if (stage.depth() == 0 || stage.name().equals("bean creation")) {
                parts.add(stage.name() + " " + seconds(stage.duration()));
            }
        }
        parts.add("Conductor's setup " + seconds(timeline.report().setupTime()));
        BootTimeline.Mark ready = timeline.marks().stream().filter(mark -> mark.name().equals("ready")).findFirst()
                .orElse(null);
        return (ready == null ? "started" : "ready " + seconds(ready.at()) + " after the JVM's start") + ": "
                + String.join(", ", parts);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }
}
