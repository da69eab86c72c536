package dev.conductor.core;

import dev.conductor.core.GraphLayout.Edge;
import dev.conductor.core.GraphLayout.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link GraphLayout}: a column per tier, a box per component with its name and setup time coloured
 * like its bar in the timeline, an arrow from each dependency to the component that depends on it (the order of
 * the setup, left to right), and the critical path in a heavier line.
 */
final class GraphSvg {

    private static final String STYLE = ".background{fill:#fff}"
            + ".heading{font-size:15px;font-weight:bold;fill:#222}.note{fill:#555}.warning{fill:#b3261e}"
            + ".column{fill:#555;font-size:11px;font-weight:bold}"
            + ".node{stroke:#5f6b76;stroke-width:1}.node.critical{stroke:#1b1b1b;stroke-width:2.5}"
            + ".active{fill:#cfe2f6}.failed{fill:#f5c6c4}.timed-out{fill:#fbdcb8}.rolled-back{fill:#e3e7ea}"
            + ".running{fill:#d5f0db}.not-started{fill:#fff;stroke-dasharray:4 3}.more{fill:#f4f6f8;stroke:#aab4bd;"
            + "stroke-dasharray:2 2}"
            + ".name{fill:#1b1b1b}.name.critical{font-weight:bold}.detail{fill:#555;font-size:10px}"
            + ".edge{fill:none;stroke:#8a949d;stroke-opacity:0.6;stroke-width:1;marker-end:url(#arrow)}"
            + ".edge.critical{stroke:#1b1b1b;stroke-opacity:1;stroke-width:2.5;marker-end:url(#arrow-critical)}"
            + "#arrow path{fill:#9aa4ad}#arrow-critical path{fill:#1b1b1b}";

    private static final int MARGIN = 16;

    private static final int NODE_WIDTH = 170;

    private static final int NODE_HEIGHT = 32;

    private static final int COLUMN_WIDTH = NODE_WIDTH + 60;

    private static final int ROW_HEIGHT = NODE_HEIGHT + 14;

    private static final int NAME_CHARS = 26;

    private GraphSvg() {
    }

    static String render(StartupReport report) {
        GraphLayout layout = new GraphLayout(report);
        List<String> notes = new ArrayList<>();
        notes.add("Columns are tiers; an arrow runs from a dependency to the component that depends on it."
                + " The critical path is drawn heavier.");
        if (layout.hiddenComponents > 0) {
            notes.add("!Showing " + layout.nodes.size() + " of " + report.components().size() + " components"
                    + (layout.hiddenTiers > 0 ? " and " + layout.tiers + " of " + (layout.tiers + layout.hiddenTiers)
                            + " tiers" : "")
                    + ": per tier the critical path, failures and the longest setups.");
        }
        if (layout.hiddenEdges() > 0) {
            notes.add("!" + layout.edges.size() + " of " + layout.totalEdges + " dependencies drawn: only those"
                    + " between drawn components" + (layout.edges.size() >= GraphLayout.MAX_EDGES
                            ? ", at most " + GraphLayout.MAX_EDGES : "") + ".");
        }
        int top = MARGIN + 24 + notes.size() * 16 + 12;
        int nodesTop = top + 22;
        int width = Math.max(760, MARGIN * 2 + Math.max(1, layout.columns) * COLUMN_WIDTH);
        int height = nodesTop + Math.max(1, layout.rows) * ROW_HEIGHT + MARGIN;
        String heading = "Dependency graph: " + report.components().size() + " components in "
                + layout.tiers + (layout.tiers == 1 ? " tier" : " tiers")
                + (report.rolledBack() ? " (setup failed and rolled back)" : "");
        SvgWriter svg = new SvgWriter(width, height, heading, STYLE);
        svg.markup("<defs>").markup(arrow("arrow")).markup(arrow("arrow-critical")).markup("</defs>\n");
        svg.label(MARGIN, MARGIN + 14, "heading", heading, 160);
        for (int i = 0; i < notes.size(); i++) {
            boolean warning = notes.get(i).startsWith("!");
            svg.label(MARGIN, MARGIN + 34 + i * 16, warning ? "note warning" : "note",
                    warning ? notes.get(i).substring(1) : notes.get(i), 220);
        }
        for (int tier = 0; tier < layout.tiers; tier++) {
            svg.label(x(layout.firstColumn[tier]), top + 10, "column", "tier " + tier, 20);
        }
        for (Edge edge : layout.edges) {
            double x1 = x(edge.dependency().column()) + NODE_WIDTH;
            double y1 = y(nodesTop, edge.dependency().row()) + NODE_HEIGHT / 2.0;
            double x2 = x(edge.dependent().column()) - 3;
            double y2 = y(nodesTop, edge.dependent().row()) + NODE_HEIGHT / 2.0;
            double bend = (x2 - x1) / 2;
            svg.open("path").raw("class", edge.critical() ? "edge critical" : "edge").markup(" d=\"M")
                    .coordinate(x1).markup(" ").coordinate(y1).markup(" C").coordinate(x1 + bend).markup(" ")
                    .coordinate(y1).markup(" ").coordinate(x2 - bend).markup(" ").coordinate(y2).markup(" ")
                    .coordinate(x2).markup(" ").coordinate(y2).markup("\"").end();
        }
        for (Node node : layout.nodes) {
            double x = x(node.column());
            double y = y(nodesTop, node.row());
            String critical = node.critical() ? " critical" : "";
            svg.open("rect").raw("class", "node " + node.outcome() + critical).number("x", x).number("y", y)
                    .number("width", NODE_WIDTH).number("height", NODE_HEIGHT).number("rx", 4).close()
                    .title(tooltip(node)).endElement("rect");
            svg.label(x + 6, y + 13, "name" + critical, node.component().name(), NAME_CHARS);
            svg.label(x + 6, y + 26, "detail", detail(node), 40);
        }
        for (int tier = 0; tier < layout.tiers; tier++) {
            int hidden = layout.hiddenPerTier[tier];
            if (hidden > 0) {
                double x = x(layout.moreColumn[tier]);
                double y = y(nodesTop, layout.moreRow[tier]);
                svg.open("rect").raw("class", "more").number("x", x).number("y", y)
                        .number("width", NODE_WIDTH).number("height", NODE_HEIGHT).number("rx", 4).end();
                svg.label(x + 6, y + 20, "detail", "+ " + hidden + " more in tier " + tier, 40);
            }
        }
        return svg.finish();
    }

    private static String arrow(String id) {
        return "<marker id=\"" + id + "\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"6\""
                + " markerHeight=\"6\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0 L8 4 L0 8 Z\"/></marker>";
    }

    private static double x(int column) {
        return MARGIN + column * COLUMN_WIDTH;
    }

    private static double y(int top, int row) {
        return top + row * ROW_HEIGHT;
    }

    private static String detail(Node node) {
        Duration setup = node.component().setupDuration();
        String outcome = node.outcome().replace('-', ' ');
        if (setup == null) {
            return outcome;
        }
        return Durations.format(setup) + ("active".equals(outcome) ? "" : ", " + outcome);
    }

    private static String tooltip(Node node) {
        StringBuilder text = new StringBuilder(SvgWriter.truncate(node.component().name(), SvgWriter.TOOLTIP_CHARS))
                .append(": tier ").append(node.component().tier()).append(", ").append(detail(node));
        int dependencies = node.component().dependencies().size();
        text.append(", ").append(dependencies).append(dependencies == 1 ? " dependency" : " dependencies");
        if (node.critical()) {
            text.append(", on the critical path");
        }
        return text.toString();
    }
}
