package dev.conductor.core;

import dev.conductor.core.TimelineRows.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link BootTimeline}: the timeline's look (see {@link TimelineSvg}) with the JVM's start at 0, a grey
 * bar per stage (lighter the deeper it is), Conductor's setup as a dark bar followed by its components' rows in
 * the timeline's colours, and a labelled line at each mark.
 */
final class BootSvg {

    static final String STYLE = TimelineSvg.STYLE + ".stage{fill:#6b7b8c}.stage.depth-1{fill:#98a6b4}"
            + ".stage.depth-2{fill:#c1cbd5}.conductor{fill:#2f5f8f}.mark{stroke:#b3261e;stroke-width:2;"
            + "stroke-dasharray:4 3}.mark-label{fill:#b3261e;font-size:10px}";

    private static final int MARGIN = 16;

    private static final int NAME_WIDTH = 240;

    private static final int NAME_CHARS = 36;

    private static final int PLOT_X = MARGIN + NAME_WIDTH + 44;

    private static final int PLOT_WIDTH = 900;

    private static final int WIDTH = PLOT_X + PLOT_WIDTH + 90;

    private static final int ROW_HEIGHT = 18;

    private static final int BAR_HEIGHT = 12;

    private static final int INDENT = 14;

    private BootSvg() {
    }

    /** One drawn row: a stage, the setup, or a component of it. */
    private record Line(String name, String cssClass, int depth, long start, long end, long waitFrom,
            long waitUntil, String tooltip, String tier) {
    }

    static String render(BootTimeline boot) {
        long span = boot.span().toNanos();
        TimeAxis axis = new TimeAxis(span, PLOT_WIDTH);
        List<Line> lines = lines(boot);
        String heading = heading(boot);
        int markLabels = boot.marks().size();
        int axisTop = MARGIN + 22 + 22 + 8;
        int rowsTop = axisTop + 6 + markLabels * 13;
        int rowsHeight = Math.max(1, lines.size()) * ROW_HEIGHT;
        int height = rowsTop + rowsHeight + 24 + MARGIN;
        SvgWriter svg = new SvgWriter(WIDTH, height, heading, STYLE);
        svg.label(MARGIN, MARGIN + 14, "heading", heading, 160);
        legend(svg, MARGIN + 36);

        for (int i = 0; i < lines.size(); i += 2) {
            svg.open("rect").raw("class", "stripe").number("x", MARGIN).number("y", rowsTop + i * ROW_HEIGHT)
                    .number("width", WIDTH - 2 * MARGIN).number("height", ROW_HEIGHT).end();
        }
        for (int i = 0; i < axis.tickCount(); i++) {
            double x = PLOT_X + axis.x(axis.tick(i));
            svg.label(x - 4, axisTop, "tick", TimeAxis.label(axis.tick(i)), 20);
            svg.label(x - 4, rowsTop + rowsHeight + 14, "tick", TimeAxis.label(axis.tick(i)), 20);
            svg.open("line").raw("class", "grid").number("x1", x).number("y1", rowsTop).number("x2", x)
                    .number("y2", rowsTop + rowsHeight).end();
        }
        for (int i = 0; i < lines.size(); i++) {
            row(svg, axis, lines.get(i), rowsTop + i * ROW_HEIGHT);
        }
        List<BootTimeline.Mark> marks = boot.marks();
        for (int i = 0; i < marks.size(); i++) {
            BootTimeline.Mark mark = marks.get(i);
            double x = PLOT_X + axis.x(mark.at().toNanos());
            int labelY = axisTop + 13 + i * 13;
            svg.open("line").raw("class", "mark").number("x1", x).number("y1", labelY + 2).number("x2", x)
                    .number("y2", rowsTop + rowsHeight).close().title(mark.name() + " at "
                            + Durations.format(mark.at())).endElement("line");
            String label = mark.at().isZero() ? mark.name() : mark.name() + " " + Durations.format(mark.at());
            // Right of the line, unless that would leave the picture
            double labelX = x + 4 + label.length() * 5.5 > WIDTH - MARGIN ? x - 4 - label.length() * 5.5 : x + 4;
            svg.label(labelX, labelY, "mark-label", label, 60);
        }
        if (lines.isEmpty()) {
            svg.label(PLOT_X, rowsTop + 13, "note", "Nothing was recorded of the start.", 100);
        }
        return svg.finish();
    }

    private static String heading(BootTimeline boot) {
        BootTimeline.Mark ready = null;
        for (BootTimeline.Mark mark : boot.marks()) {
            if (mark.name().equalsIgnoreCase("ready")) {
                ready = mark;
            }
        }
        String whole = ready != null ? "ready " + Durations.format(ready.at()) + " after the JVM's start"
                : Durations.format(boot.span()) + " from the JVM's start";
        if (boot.report() == null) {
            return "Start of the application: " + whole;
        }
        return "Start of the application: " + whole + "; Conductor's setup of " + boot.report().components().size()
                + " components " + Durations.format(boot.report().setupTime());
    }

    private static void legend(SvgWriter svg, int y) {
        String[][] entries = { { "stage", "stage" }, { "stage depth-1", "part of the stage above" },
                { "conductor", "Conductor's setup" }, { "active", "component active" }, { "failed", "failed" },
                { "attempt", "failed attempt" }, { "wait", "waiting for dependencies" } };
        double x = MARGIN;
        for (String[] entry : entries) {
            svg.open("rect").raw("class", entry[0]).number("x", x).number("y", y - 9).number("width", 14)
                    .number("height", 10).end();
            svg.label(x + 18, y, "note", entry[1], 40);
            x += 30 + entry[1].length() * 6.2;
        }
    }

    private static List<Line> lines(BootTimeline boot) {
        List<Line> lines = new ArrayList<>();
        List<BootTimeline.Stage> stages = boot.stages();
        long setupStart = boot.report() == null ? Long.MAX_VALUE : boot.setupStart().toNanos();
        boolean setupDrawn = boot.report() == null;
        int setupDepth = 0;
        for (BootTimeline.Stage stage : stages) {
            if (!setupDrawn && stage.start().toNanos() > setupStart) {
                setup(lines, boot, setupDepth);
                setupDrawn = true;
            }
            if (stage.start().toNanos() <= setupStart && stage.end().toNanos() >= setupStart) {
                setupDepth = Math.max(setupDepth, stage.depth() + 1); // the setup runs inside this stage
            }
            lines.add(new Line(stage.name(), "stage depth-" + Math.min(2, stage.depth()), stage.depth(),
                    stage.start().toNanos(), stage.end().toNanos(), -1, -1, stage.name() + ": from "
                            + Durations.format(stage.start()) + " to " + Durations.format(stage.end()) + ", "
                            + Durations.format(stage.duration()), ""));
        }
        if (!setupDrawn) {
            setup(lines, boot, setupDepth);
        }
        return lines;
    }

    private static void setup(List<Line> lines, BootTimeline boot, int depth) {
        StartupReport report = boot.report();
        long origin = boot.setupStart().toNanos();
        TimelineRows timeline = TimelineRows.setup(report);
        String what = report.rolledBack() ? "Conductor setup (rolled back)" : "Conductor setup";
        lines.add(new Line(what, "conductor", depth, origin, origin + report.setupTime().toNanos(), -1, -1,
                what + " of " + report.components().size() + " components: " + Durations.format(report.setupTime())
                        + (report.criticalPath().isEmpty() ? "" : ", critical path "
                                + SvgWriter.truncate(String.join(" \u2192 ", report.criticalPath()), 300)), ""));
        for (Row row : timeline.rows) {
            Duration duration = row.duration();
            String tooltip = row.component().name() + ": tier " + row.component().tier() + ", setup "
                    + (duration == null ? "still running" : Durations.format(duration)) + ", "
                    + row.outcome().replace('-', ' ') + (row.critical() ? ", on the critical path" : "")
                    + (row.waitedUntil() > 0 ? ", waited " + Durations.format(Duration.ofNanos(row.waitedUntil()))
                            + " for its dependencies" : "");
            lines.add(new Line(row.component().name(), "bar " + row.outcome() + (row.critical() ? " critical" : ""),
                    depth + 1, origin + row.start(), row.end() < 0 ? -1 : origin + row.end(),
                    row.waitedUntil() > 0 ? origin : -1, row.waitedUntil() > 0 ? origin + row.waitedUntil() : -1,
                    tooltip, "tier " + row.component().tier()));
        }
        if (timeline.rows.size() < timeline.participants) {
            lines.add(new Line("+ " + (timeline.participants - timeline.rows.size()) + " more components", "note",
                    depth + 1, origin, origin, -1, -1, "Shown: the critical path, failures and the longest setups",
                    ""));
        }
    }

    private static void row(SvgWriter svg, TimeAxis axis, Line line, int top) {
        double barY = top + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
        int indent = Math.min(6, line.depth()) * INDENT;
        svg.label(MARGIN + 4 + indent, top + 13, line.cssClass().startsWith("conductor") ? "name critical" : "name",
                line.name(), Math.max(8, NAME_CHARS - indent / 6));
        if (!line.tier().isEmpty()) {
            svg.label(MARGIN + NAME_WIDTH + 4, top + 13, "tier", line.tier(), 12);
        }
        if (line.waitUntil() > line.waitFrom() && line.waitFrom() >= 0) {
            svg.open("rect").raw("class", "wait").number("x", PLOT_X + axis.x(line.waitFrom())).number("y", barY + 2)
                    .number("width", axis.x(line.waitUntil()) - axis.x(line.waitFrom()))
                    .number("height", BAR_HEIGHT - 4).end();
        }
        if (line.cssClass().equals("note")) {
            return;
        }
        long end = line.end() < 0 ? axis.spanNanos : line.end();
        double x = PLOT_X + axis.x(line.start());
        double width = Math.max(1, axis.x(end) - axis.x(line.start()));
        svg.open("rect").raw("class", line.cssClass()).number("x", x).number("y", barY).number("width", width)
                .number("height", BAR_HEIGHT).close().title(line.tooltip()).endElement("rect");
        svg.label(x + width + 4, top + 13, "duration", line.end() < 0 ? "running"
                : Durations.format(Duration.ofNanos(line.end() - line.start())), 20);
    }
}
