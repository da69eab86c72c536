package dev.conductor.core;

import dev.conductor.core.StartupReport.ComponentReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the graph picture puts each component: a column per tier, tier 0 on the left, and in each column the
 * components ordered by the average position of their dependencies (one barycentre pass, which untangles most
 * crossings of a layered graph). Bounded for large graphs: at most {@link #MAX_TIERS} columns and
 * {@link #MAX_NODES} boxes in all; each column keeps its critical-path components, its failures and its longest
 * setups, and counts the rest. Edges are kept between drawn components only, at most {@link #MAX_EDGES}, those of
 * the critical path first.
 */
final class GraphLayout {

    static final int MAX_TIERS = 60;

    static final int MAX_NODES = 600;

    /** The most components a tier keeps when the graph has more than {@link #MAX_NODES}. */
    static final int MAX_PER_TIER = 40;

    /** The most boxes in one column: a tier with more wraps into several columns side by side. */
    static final int ROWS_PER_COLUMN = 40;

    static final int MAX_EDGES = 3000;

    /** A drawn component: its column (a tier may span several) and its position in the column. */
    record Node(ComponentReport component, int column, int row, String outcome, boolean critical) {
    }

    /** An edge from a dependency to a component that depends on it. */
    record Edge(Node dependency, Node dependent, boolean critical) {
    }

    final List<Node> nodes = new ArrayList<>();

    final List<Edge> edges = new ArrayList<>();

    /** Per drawn tier, how many of its components are not drawn. */
    final int[] hiddenPerTier;

    /** Per drawn tier, its first column. */
    final int[] firstColumn;

    /** Per drawn tier, where its "more" box goes: column and row. */
    final int[] moreColumn;

    final int[] moreRow;

    /** How many columns the tiers take. */
    final int columns;

    /** How many rows the tallest column has, its "more" box included. */
    final int rows;

    final int tiers;

    final int hiddenTiers;

    final int hiddenComponents;

    final int totalEdges;

    GraphLayout(StartupReport report) {
        List<List<String>> allTiers = report.tiers();
        Map<String, ComponentReport> byName = new HashMap<>(report.components().size() * 2);
        Map<String, Integer> order = new HashMap<>(report.components().size() * 2);
        for (ComponentReport component : report.components()) {
            byName.put(component.name(), component);
            order.put(component.name(), order.size());
        }
        List<String> path = report.criticalPath();
        Set<String> critical = new HashSet<>(path);
        Set<String> criticalEdges = new HashSet<>();
        for (int i = 1; i < path.size(); i++) {
            criticalEdges.add(path.get(i - 1) + '\u0000' + path.get(i));
        }
        boolean rolledBack = report.rolledBack();

        tiers = Math.min(allTiers.size(), MAX_TIERS);
        int hiddenTierComponents = 0;
        for (int tier = tiers; tier < allTiers.size(); tier++) {
            hiddenTierComponents += allTiers.get(tier).size();
        }
        hiddenTiers = allTiers.size() - tiers;
        int perTier = report.components().size() - hiddenTierComponents <= MAX_NODES ? Integer.MAX_VALUE
                : Math.max(3, Math.min(MAX_PER_TIER, MAX_NODES / Math.max(1, tiers)));
        hiddenPerTier = new int[tiers];
        firstColumn = new int[tiers];
        moreColumn = new int[tiers];
        moreRow = new int[tiers];
        int column = 0;
        Map<String, Node> drawn = new HashMap<>();
        int tallest = 0;
        int hidden = hiddenTierComponents;
        for (int tier = 0; tier < tiers; tier++) {
            List<String> names = new ArrayList<>(allTiers.get(tier));
            if (names.size() > perTier) {
                List<String> all = names;
                boolean[] kept = Ranking.top(all.size(), perTier - 1,
                        i -> priority(byName.get(all.get(i)), critical), i -> setupNanos(byName.get(all.get(i))));
                names = new ArrayList<>(perTier - 1);
                for (int i = 0; i < kept.length; i++) {
                    if (kept[i]) {
                        names.add(all.get(i));
                    }
                }
                hiddenPerTier[tier] = all.size() - names.size();
                hidden += hiddenPerTier[tier];
            }
            Map<String, Double> barycentre = new HashMap<>();
            for (String name : names) {
                double sum = 0;
                int count = 0;
                for (String dependency : byName.get(name).dependencies()) {
                    Node node = drawn.get(dependency);
                    if (node != null) {
                        sum += node.row() + (node.column() - firstColumn[node.component().tier()])
                                * ROWS_PER_COLUMN;
                        count++;
                    }
                }
                barycentre.put(name, count == 0 ? order.get(name) : sum / count);
            }
            if (tier > 0) {
                names.sort(Comparator.<String>comparingDouble(barycentre::get).thenComparingInt(order::get));
            }
            else {
                names.sort(Comparator.comparingInt(order::get));
            }
            firstColumn[tier] = column;
            for (int i = 0; i < names.size(); i++) {
                ComponentReport component = byName.get(names.get(i));
                Node node = new Node(component, column + i / ROWS_PER_COLUMN, i % ROWS_PER_COLUMN,
                        outcome(component, rolledBack), critical.contains(component.name()));
                nodes.add(node);
                drawn.put(component.name(), node);
            }
            int boxes = names.size() + (hiddenPerTier[tier] > 0 ? 1 : 0);
            moreColumn[tier] = column + names.size() / ROWS_PER_COLUMN;
            moreRow[tier] = names.size() % ROWS_PER_COLUMN;
            tallest = Math.max(tallest, Math.min(boxes, ROWS_PER_COLUMN));
            column += Math.max(1, (boxes + ROWS_PER_COLUMN - 1) / ROWS_PER_COLUMN);
        }
        rows = tallest;
        columns = column;
        hiddenComponents = hidden;

        List<Edge> ordinary = new ArrayList<>();
        int total = 0;
        for (ComponentReport component : report.components()) {
            total += component.dependencies().size();
        }
        totalEdges = total;
        for (Node node : nodes) {
            for (String dependency : node.component().dependencies()) {
                Node from = drawn.get(dependency);
                if (from == null) {
                    continue;
                }
                boolean onPath = criticalEdges.contains(dependency + '\u0000' + node.component().name());
                (onPath ? edges : ordinary).add(new Edge(from, node, onPath));
            }
        }
        int room = Math.max(0, MAX_EDGES - edges.size());
        edges.addAll(0, ordinary.subList(0, Math.min(room, ordinary.size())));
    }

    private static int priority(ComponentReport component, Set<String> critical) {
        if (critical.contains(component.name())) {
            return 0;
        }
        return component.state() == ComponentState.FAILED ? 1 : 2;
    }

    private static long setupNanos(ComponentReport component) {
        return component.setupDuration() == null ? 0 : component.setupDuration().toNanos();
    }

    /** The outcome of a component's setup, as the setup timeline colours it. */
    static String outcome(ComponentReport component, boolean rolledBack) {
        return component.setupStart() == null ? "not-started" : TimelineRows.setupOutcome(component, rolledBack);
    }

    /** How many edges are not drawn: to or from a hidden component, or past {@link #MAX_EDGES}. */
    int hiddenEdges() {
        return totalEdges - edges.size();
    }

}
