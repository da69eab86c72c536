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
        List<ComponentReport> components = report.components();
        int size = components.size();
        Map<String, Integer> index = new HashMap<>(size * 2);
        long origin = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            ComponentReport component = components.get(i);
            index.put(component.name(), i);
            if (component.shutdownStart() != null) {
                origin = Math.min(origin, component.shutdownStart().toNanos());
            }
        }
        // Per component, the end of its shutdown from the first start (-1: running or none), and its dependents
        // that took part in the shutdown
        long[] ends = new long[size];
        int[] dependentCount = new int[size];
        int[][] dependencies = new int[size][];
        for (int i = 0; i < size; i++) {
            ComponentReport component = components.get(i);
            ends[i] = component.shutdownStart() == null || component.shutdownDuration() == null ? -1
                    : component.shutdownStart().toNanos() - origin + component.shutdownDuration().toNanos();
            if (component.shutdownStart() == null) {
                dependencies[i] = new int[0];
                continue;
            }
            int[] own = new int[component.dependencies().size()];
            int count = 0;
            for (String dependency : component.dependencies()) {
                Integer found = index.get(dependency);
                if (found != null) {
                    own[count++] = found;
                    dependentCount[found]++;
                }
            }
            dependencies[i] = count == own.length ? own : Arrays.copyOf(own, count);
        }
        int[][] dependents = new int[size][];
        for (int i = 0; i < size; i++) {
            dependents[i] = new int[dependentCount[i]];
            dependentCount[i] = 0;
        }
        for (int i = 0; i < size; i++) {
            for (int dependency : dependencies[i]) {
                dependents[dependency][dependentCount[dependency]++] = i;
            }
        }
        boolean[] critical = shutdownCriticalPath(ends, dependents);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ComponentReport component = components.get(i);
            if (component.shutdownStart() == null) {
                continue;
            }
            long start = component.shutdownStart().toNanos() - origin;
            long waited = -1;
            for (int dependent : dependents[i]) {
                waited = Math.max(waited, ends[dependent]);
            }
            String outcome = ends[i] < 0 ? "running"
                    : component.state() == ComponentState.FAILED ? (component.timedOut() ? "timed-out" : "failed")
                    : "stopped";
            rows.add(new Row(component, start, ends[i], waited, outcome, critical[i]));
        }
        rows.sort(Comparator.comparingLong(Row::start));
        return new TimelineRows(true, rows, size - rows.size());
    }

    /**
     * The shutdown's critical path: from the last shutdown to end, back through the dependent that ended last
     * each time, as the setup's runs back through the dependency that ended last.
     */
    private static boolean[] shutdownCriticalPath(long[] ends, int[][] dependents) {
        boolean[] path = new boolean[ends.length];
        int current = -1;
        long latest = -1;
        for (int i = 0; i < ends.length; i++) {
            if (ends[i] > latest) {
                latest = ends[i];
                current = i;
            }
        }
        while (current >= 0 && !path[current]) {
            path[current] = true;
            int gate = -1;
            long gateEnd = -1;
            for (int dependent : dependents[current]) {
                if (ends[dependent] > gateEnd) {
                    gateEnd = ends[dependent];
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
        boolean[] kept = Ranking.top(all.size(), MAX_ROWS, i -> priority(all.get(i)), i -> length(all.get(i)));
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
        String outcome = row.outcome;
        return outcome.equals("active") || outcome.equals("stopped") || outcome.equals("rolled-back") ? 2 : 1;
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
