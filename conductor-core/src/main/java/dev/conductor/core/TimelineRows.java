package dev.conductor.core;

import dev.conductor.core.StartupReport.ComponentReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a timeline shows of one phase of a report, setup or shutdown: a row per component that took part, in the
 * order they started, with when it started and ended, how long it waited (for its dependencies, or in a shutdown
 * for its dependents), its outcome and whether it is on the critical path. Above {@link #MAX_ROWS} components it
 * keeps the critical path, the failures and the longest steps, and counts the rest; how many steps were in
 * flight is kept for every component, shown or not.
 */
final class TimelineRows {

    /** The most rows a timeline draws: a person reads a few hundred; thousands only make the file big. */
    static final int MAX_ROWS = 300;

    /** One component's row; times in nanoseconds from the start of the phase, {@code end < 0} while running. */
    record Row(ComponentReport component, long start, long end, long waitedUntil, String outcome,
            boolean critical) {

        Duration duration() {
            return end < 0 ? null : Duration.ofNanos(end - start);
        }
    }

    final boolean shutdown;

    /** The rows drawn, in start order. */
    final List<Row> rows;

    /** Every component that took part in the phase, drawn or not. */
    final int participants;

    /** The components that took no part: never set up, or not (yet) shut down. */
    final int absent;

    /** From the start of the phase to the last end (or start) in it. */
    final long span;

    /** The start and end of every participant, for how many were in flight at each moment. */
    final long[] starts;

    final long[] ends;

    private TimelineRows(boolean shutdown, List<Row> all, int absent) {
        this.shutdown = shutdown;
        this.participants = all.size();
        this.absent = absent;
        long last = 0;
        starts = new long[all.size()];
        ends = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Row row = all.get(i);
            starts[i] = row.start;
            ends[i] = row.end;
            last = Math.max(last, Math.max(row.start, Math.max(row.end, row.waitedUntil)));
        }
        this.span = Math.max(1, last);
        this.rows = select(all);
    }

    static TimelineRows setup(StartupReport report) {
        Set<String> critical = new HashSet<>(report.criticalPath());
        boolean rolledBack = report.rolledBack();
        List<Row> rows = new ArrayList<>();
        for (ComponentReport component : report.components()) {
            if (component.setupStart() == null) {
                continue;
            }
            long start = component.setupStart().toNanos();
            long end = component.setupDuration() == null ? -1 : start + component.setupDuration().toNanos();
            long waited = component.dependencies().isEmpty() || component.dependenciesActive() == null ? -1
                    : component.dependenciesActive().toNanos();
            rows.add(new Row(component, start, end, waited, setupOutcome(component, rolledBack),
                    critical.contains(component.name())));
        }
        rows.sort(Comparator.comparingLong(Row::start));
        return new TimelineRows(false, rows, report.components().size() - rows.size());
    }

    /** How a started setup went: running, failed, timed-out, rolled-back or active (the CSS classes). */
    static String setupOutcome(ComponentReport component, boolean rolledBack) {
        if (component.setupDuration() == null) {
            return "running";
        }
        if (component.state() == ComponentState.FAILED && component.shutdownStart() == null) {
            return component.timedOut() ? "timed-out" : "failed";
        }
        return rolledBack ? "rolled-back" : "active";
    }

    static TimelineRows shutdown(StartupReport report) {
        long origin = Long.MAX_VALUE;
        for (ComponentReport component : report.components()) {
            if (component.shutdownStart() != null) {
                origin = Math.min(origin, component.shutdownStart().toNanos());
            }
        }
        Map<String, Long> ends = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (ComponentReport component : report.components()) {
            if (component.shutdownStart() != null) {
                ends.put(component.name(), component.shutdownDuration() == null ? -1
                        : component.shutdownStart().toNanos() - origin + component.shutdownDuration().toNanos());
                for (String dependency : component.dependencies()) {
                    dependents.computeIfAbsent(dependency, name -> new ArrayList<>()).add(component.name());
                }
            }
        }
        Set<String> critical = shutdownCriticalPath(ends, dependents);
        List<Row> rows = new ArrayList<>();
        for (ComponentReport component : report.components()) {
            if (component.shutdownStart() == null) {
                continue;
            }
            long start = component.shutdownStart().toNanos() - origin;
            long end = ends.get(component.name());
            long waited = -1;
            for (String dependent : dependents.getOrDefault(component.name(), List.of())) {
                waited = Math.max(waited, ends.get(dependent));
            }
            String outcome = end < 0 ? "running"
                    : component.state() == ComponentState.FAILED ? (component.timedOut() ? "timed-out" : "failed")
                    : "stopped";
            rows.add(new Row(component, start, end, waited, outcome, critical.contains(component.name())));
        }
        rows.sort(Comparator.comparingLong(Row::start));
        return new TimelineRows(true, rows, report.components().size() - rows.size());
    }

    /**
     * The shutdown's critical path: from the last shutdown to end, back through the dependent that ended last
     * each time, as the setup's runs back through the dependency that ended last.
     */
    private static Set<String> shutdownCriticalPath(Map<String, Long> ends, Map<String, List<String>> dependents) {
        Set<String> path = new HashSet<>();
        String current = null;
        long latest = -1;
        for (Map.Entry<String, Long> entry : ends.entrySet()) {
            if (entry.getValue() > latest) {
                latest = entry.getValue();
                current = entry.getKey();
            }
        }
        while (current != null && path.add(current)) {
            String gate = null;
            long gateEnd = -1;
            for (String dependent : dependents.getOrDefault(current, List.of())) {
                long end = ends.get(dependent);
                if (end > gateEnd) {
                    gateEnd = end;
                    gate = dependent;
                }
            }
            current = gate;
        }
        return path;
    }

    /** All rows up to the cap; above it the critical path, the failures, then the longest steps, in start order. */
    private static List<Row> select(List<Row> all) {
        if (all.size() <= MAX_ROWS) {
            return List.copyOf(all);
        }
        Integer[] byPriority = new Integer[all.size()];
        for (int i = 0; i < byPriority.length; i++) {
            byPriority[i] = i;
        }
        Arrays.sort(byPriority, Comparator.<Integer>comparingInt(i -> priority(all.get(i)))
                .thenComparingLong(i -> -length(all.get(i))));
        boolean[] kept = new boolean[all.size()];
        for (int i = 0; i < MAX_ROWS; i++) {
            kept[byPriority[i]] = true;
        }
        List<Row> rows = new ArrayList<>(MAX_ROWS);
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                rows.add(all.get(i));
            }
        }
        return List.copyOf(rows);
    }

    private static int priority(Row row) {
        if (row.critical) {
            return 0;
        }
        return switch (row.outcome) {
            case "failed", "timed-out", "running" -> 1;
            default -> 2;
        };
    }

    private static long length(Row row) {
        return row.end < 0 ? Long.MAX_VALUE : row.end - row.start;
    }

    /** How many participants were in flight during each of {@code buckets} equal slices of the span. */
    int[] inFlight(int buckets) {
        int[] delta = new int[buckets + 1];
        for (int i = 0; i < starts.length; i++) {
            int first = bucket(starts[i], buckets);
            int last = ends[i] < 0 ? buckets - 1 : bucket(ends[i], buckets);
            delta[first]++;
            delta[last + 1]--;
        }
        int[] counts = new int[buckets];
        int running = 0;
        for (int i = 0; i < buckets; i++) {
            running += delta[i];
            counts[i] = running;
        }
        return counts;
    }

    private int bucket(long time, int buckets) {
        return (int) Math.min(buckets - 1, Math.max(0, (double) time * buckets / span));
    }
}
