package dev.conductor.core;

import dev.conductor.core.TimelineRows.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link TimelineRows} as SVG, in the manner of {@code systemd-analyze plot}: a row per component in
 * start order with its name and tier, a light bar for the time it waited, a bar from its start to its end
 * coloured by outcome and labelled with its duration, the critical path outlined, a time axis with round ticks,
 * and above the rows a strip of how many steps were in flight.
 */
final class TimelineSvg {

    static final String STYLE = ".background{fill:#fff}"
            + ".heading{font-size:15px;font-weight:bold;fill:#222}.note{fill:#555}.warning{fill:#b3261e}"
            + ".stripe{fill:#f4f6f8}.grid{stroke:#d5dbe1;stroke-width:1}.tick{fill:#555;font-size:10px}"
            + ".name{fill:#222}.name.critical{font-weight:bold}.tier{fill:#777;font-size:10px}"
            + ".tier.leader-only{fill:#6a3d9a;font-style:italic}"
            + ".duration{fill:#333;font-size:10px}"
            + ".wait{fill:#dde7f3}.bar{stroke:none}"
            + ".active{fill:#4a90d9}.stopped{fill:#7e6bc4}.failed{fill:#d64541}.timed-out{fill:#f0932b}"
            + ".rolled-back{fill:#9aa4ad}.running{fill:#8fd19e}.attempt{fill:#f3b3b1}"
            + ".bar.critical,.swatch{stroke:#1b1b1b;stroke-width:2}"
            + ".flight{fill:#c9d8ea;stroke:#4a90d9;stroke-width:1}.frame{fill:none;stroke:#d5dbe1}";

    private static final int MARGIN = 16;

    private static final int NAME_WIDTH = 240;

    private static final int NAME_CHARS = 38;

    private static final int PLOT_X = MARGIN + NAME_WIDTH + 44;

    private static final int PLOT_WIDTH = 900;

    private static final int WIDTH = PLOT_X + PLOT_WIDTH + 90;

    private static final int ROW_HEIGHT = 18;

    private static final int BAR_HEIGHT = 12;

    private static final int FLIGHT_HEIGHT = 36;

    /** Slices of the in-flight strip: two pixels each. */
    private static final int FLIGHT_BUCKETS = PLOT_WIDTH / 2;

    /** Every this many rows the tick labels repeat, so that a long timeline can be read without scrolling up. */
    private static final int AXIS_REPEAT = 50;

    private TimelineSvg() {
    }

    static String render(StartupReport report, TimelineRows timeline) {
        TimeAxis axis = new TimeAxis(timeline.span, PLOT_WIDTH);
        List<Row> rows = timeline.rows;
        List<String> notes = notes(report, timeline);
        int headerHeight = MARGIN + 22 + 18 + notes.size() * 16;
        int flightTop = headerHeight + 8;
        int axisTop = flightTop + FLIGHT_HEIGHT + 18;
        int rowsTop = axisTop + 6;
        int rowsHeight = Math.max(1, rows.size()) * ROW_HEIGHT;
        int height = rowsTop + rowsHeight + 24 + MARGIN;
        SvgWriter svg = new SvgWriter(WIDTH, height, heading(report, timeline), STYLE);

        svg.label(MARGIN, MARGIN + 14, "heading", heading(report, timeline), 160);
        legend(svg, timeline.shutdown, MARGIN + 34);
        for (int i = 0; i < notes.size(); i++) {
            boolean warning = notes.get(i).startsWith("!");
            String note = warning ? notes.get(i).substring(1) : notes.get(i);
            svg.label(MARGIN, MARGIN + 52 + i * 16, warning ? "note warning" : "note", note, 200);
        }

        inFlight(svg, timeline, flightTop);

        for (int i = 0; i < rows.size(); i += 2) {
            svg.open("rect").raw("class", "stripe").number("x", MARGIN).number("y", rowsTop + i * ROW_HEIGHT)
                    .number("width", WIDTH - 2 * MARGIN).number("height", ROW_HEIGHT).end();
        }
        ticks(svg, axis, axisTop, rowsTop, rowsTop + rowsHeight);
        for (int i = AXIS_REPEAT; i < rows.size(); i += AXIS_REPEAT) {
            tickLabels(svg, axis, rowsTop + i * ROW_HEIGHT - 3);
        }
        tickLabels(svg, axis, rowsTop + rowsHeight + 14);

        for (int i = 0; i < rows.size(); i++) {
            row(svg, axis, rows.get(i), rowsTop + i * ROW_HEIGHT, timeline.shutdown, report);
        }
        if (rows.isEmpty()) {
            svg.label(PLOT_X, rowsTop + 13, "note", timeline.shutdown ? "Nothing has shut down yet."
                    : "Nothing has been set up yet.", 100);
        }
        return svg.finish();
    }

    private static String heading(StartupReport report, TimelineRows timeline) {
        int count = timeline.participants;
        String components = count + (count == 1 ? " component" : " components");
        if (timeline.shutdown) {
            return (report.rolledBack() ? "Rollback: shut down " : "Shutdown of ") + components + " in "
                    + Durations.format(Duration.ofNanos(timeline.span));
        }
        String what = report.rolledBack() ? "Setup failed and rolled back: " : "Setup of ";
        return what + components + " in " + Durations.format(report.setupTime()) + ", critical path "
                + Durations.format(report.criticalPathTime());
    }

    private static List<String> notes(StartupReport report, TimelineRows timeline) {
        List<String> notes = new ArrayList<>();
        if (timeline.rows.size() < timeline.participants) {
            notes.add("!Showing " + timeline.rows.size() + " of " + timeline.participants + " components: the "
                    + "critical path, failures and the longest " + (timeline.shutdown ? "shutdowns" : "setups")
                    + "; the other " + (timeline.participants - timeline.rows.size()) + " are counted in the "
                    + "in-flight strip only.");
        }
        if (timeline.absent > 0) {
            notes.add((timeline.shutdown ? "" : "!") + timeline.absent + " of " + report.components().size()
                    + " components " + (timeline.shutdown ? "did not shut down (not active, or not yet)."
                            : "did not start their setup."));
        }
        long restarted = report.components().stream().filter(component -> component.restarts() > 0).count();
        if (restarted > 0) {
            boolean one = restarted == 1;
            notes.add("!" + restarted + (one ? " component was" : " components were") + " restarted since the"
                    + " setup: " + (one ? "its row shows its" : "their rows show their") + " last "
                    + (timeline.shutdown ? "shutdown." : "setup, the restart's, on the same clock."));
        }
        if (!timeline.shutdown && !report.criticalPath().isEmpty()) {
            notes.add("Critical path: " + SvgWriter.truncate(String.join(" \u2192 ", report.criticalPath()), 180));
        }
        return notes;
    }

    private static void legend(SvgWriter svg, boolean shutdown, int y) {
        String[][] entries = shutdown
                ? new String[][] { { "stopped", "stopped" }, { "failed", "failed" }, { "timed-out", "timed out" },
                        { "wait", "waiting for dependents" } }
                : new String[][] { { "active", "active" }, { "failed", "failed" }, { "timed-out", "timed out" },
                        { "rolled-back", "rolled back" }, { "attempt", "failed attempt, retried" },
                        { "wait", "waiting for dependencies" } };
        double x = MARGIN;
        for (String[] entry : entries) {
            svg.open("rect").raw("class", entry[0]).number("x", x).number("y", y - 9).number("width", 14)
                    .number("height", 10).end();
            svg.label(x + 18, y, "note", entry[1], 40);
            x += 30 + entry[1].length() * 6.2;
        }
        svg.open("rect").raw("class", shutdown ? "swatch stopped" : "swatch active").number("x", x).number("y", y - 9).number("width", 14)
                .number("height", 10).end();
        svg.label(x + 18, y, "note", "critical path (outlined)", 40);
    }

    private static void inFlight(SvgWriter svg, TimelineRows timeline, int top) {
        int[] counts = timeline.inFlight(FLIGHT_BUCKETS);
        int max = 1;
        for (int count : counts) {
            max = Math.max(max, count);
        }
        svg.label(MARGIN, top + FLIGHT_HEIGHT / 2 + 4, "note", "in flight (max " + max + ")", 40);
        svg.open("rect").raw("class", "frame").number("x", PLOT_X).number("y", top).number("width", PLOT_WIDTH)
                .number("height", FLIGHT_HEIGHT).end();
        double bottom = top + FLIGHT_HEIGHT;
        double sliceWidth = (double) PLOT_WIDTH / FLIGHT_BUCKETS;
        svg.open("path").raw("class", "flight").markup(" d=\"M").coordinate(PLOT_X).markup(" ").coordinate(bottom);
        for (int i = 0; i < counts.length; i++) {
            double y = bottom - (double) counts[i] / max * FLIGHT_HEIGHT;
            svg.markup(" V").coordinate(y).markup(" H").coordinate(PLOT_X + (i + 1) * sliceWidth);
        }
        svg.markup(" V").coordinate(bottom).markup(" Z\"").end();
    }

    private static void ticks(SvgWriter svg, TimeAxis axis, int labelY, int top, int bottom) {
        tickLabels(svg, axis, labelY);
        for (int i = 0; i < axis.tickCount(); i++) {
            double x = PLOT_X + axis.x(axis.tick(i));
            svg.open("line").raw("class", "grid").number("x1", x).number("y1", top).number("x2", x)
                    .number("y2", bottom).end();
        }
    }

    private static void tickLabels(SvgWriter svg, TimeAxis axis, int y) {
        for (int i = 0; i < axis.tickCount(); i++) {
            svg.label(PLOT_X + axis.x(axis.tick(i)) - 4, y, "tick", TimeAxis.label(axis.tick(i)), 20);
        }
    }

    private static void row(SvgWriter svg, TimeAxis axis, Row row, int top, boolean shutdown, StartupReport report) {
        String critical = row.critical() ? " critical" : "";
        double barY = top + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
        String role = report.leaderOnly().get(row.component().name());
        svg.label(MARGIN + 4, top + 13, "name" + critical, row.component().name(), NAME_CHARS);
        svg.label(MARGIN + NAME_WIDTH + 4, top + 13, role == null ? "tier" : "tier leader-only",
                role == null ? "tier " + row.component().tier() : "leader: " + role, 12);
        if (row.waitedUntil() > 0) {
            svg.open("rect").raw("class", "wait").number("x", PLOT_X).number("y", barY + 2)
                    .number("width", axis.x(row.waitedUntil())).number("height", BAR_HEIGHT - 4).end();
        }
        long end = row.end() < 0 ? axis.spanNanos : row.end();
        double x = PLOT_X + axis.x(row.start());
        double width = Math.max(1, axis.x(end) - axis.x(row.start()));
        svg.open("rect").raw("class", "bar " + row.outcome() + critical).number("x", x).number("y", barY)
                .number("width", width).number("height", BAR_HEIGHT).close()
                .title(tooltip(row, shutdown) + (role == null ? "" : ", leader-only for role '" + role + "'"))
                .endElement("rect");
        if (!shutdown) {
            failedAttempts(svg, axis, row, barY);
        }
        Duration duration = row.duration();
        svg.label(x + width + 4, top + 13, "duration", duration == null ? "running" : Durations.format(duration),
                20);
    }

    /** Over a retried setup's bar, its failed attempts in a lighter red; the gaps between them are the backoff. */
    private static void failedAttempts(SvgWriter svg, TimeAxis axis, Row row, double barY) {
        List<StartupReport.Attempt> attempts = row.component().attempts();
        if (attempts.size() < 2 || row.component().setupStart() == null) {
            return;
        }
        long origin = row.component().setupStart().toNanos() - row.start();
        for (StartupReport.Attempt attempt : attempts) {
            if (attempt.failure() == null || attempt.duration() == null || attempt == attempts.get(attempts.size() - 1)) {
                continue;
            }
            long start = attempt.start().toNanos() - origin;
            double x = PLOT_X + axis.x(start);
            double width = Math.max(1, axis.x(start + attempt.duration().toNanos()) - axis.x(start));
            svg.open("rect").raw("class", "attempt").number("x", x).number("y", barY + 2).number("width", width)
                    .number("height", BAR_HEIGHT - 4).close()
                    .title("attempt " + attempt.number() + " failed after " + Durations.format(attempt.duration())
                            + ": " + SvgWriter.truncate(String.valueOf(attempt.failure()), 300))
                    .endElement("rect");
        }
    }

    private static String tooltip(Row row, boolean shutdown) {
        StringBuilder text = new StringBuilder(SvgWriter.truncate(row.component().name(), SvgWriter.TOOLTIP_CHARS))
                .append(": tier ").append(row.component().tier());
        if (row.waitedUntil() > 0) {
            text.append(", waited ").append(Durations.format(Duration.ofNanos(row.waitedUntil())))
                    .append(shutdown ? " for its dependents" : " for its dependencies");
        }
        text.append(", ").append(shutdown ? "shutdown " : "setup ")
                .append(row.duration() == null ? "still running" : Durations.format(row.duration()))
                .append(", ").append(row.outcome().replace('-', ' ').toLowerCase(Locale.ROOT));
        int attempts = row.component().attempts().size();
        if (!shutdown && attempts > 1) {
            text.append(", ").append(attempts).append(" attempts");
        }
        if (row.critical()) {
            text.append(", on the critical path");
        }
        Throwable failure = row.component().failure();
        if (failure != null && ("failed".equals(row.outcome()) || "timed-out".equals(row.outcome()))) {
            text.append(": ").append(SvgWriter.truncate(String.valueOf(failure), 300));
        }
        return text.toString();
    }
}
