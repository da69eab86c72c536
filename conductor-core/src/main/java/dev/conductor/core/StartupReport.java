package dev.conductor.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one lifecycle of a graph looked like: each component's tier, state and timings, the total setup time,
 * and the critical path, the chain of dependencies whose setups bounded the total time. Immutable: a snapshot
 * taken when {@link LifecycleEngine#report()} was called.
 *
 * @param setupTime from the start of the setup until the last component finished its setup
 * @param components every component, in the order they were added to the graph
 * @param criticalPath the components on the critical path, the first one set up first; each depends on the one
 *        before it, and each started when the one before it finished
 * @param leaderOnly the role of each leader-only component (see {@link LeaderOnly}), by component name; empty
 *        when there are none
 */
public record StartupReport(Duration setupTime, List<ComponentReport> components, List<String> criticalPath,
        Map<String, String> leaderOnly) {

    private static final int NAMES_PER_TIER_LINE = 12;

    public StartupReport {
        components = List.copyOf(components);
        criticalPath = List.copyOf(criticalPath);
        leaderOnly = Map.copyOf(leaderOnly);
    }

    /** A report without leader-only components. */
    public StartupReport(Duration setupTime, List<ComponentReport> components, List<String> criticalPath) {
        this(setupTime, components, criticalPath, Map.of());
    }

    /** This report with the roles of its leader-only components. */
    StartupReport withLeaderOnly(Map<String, String> roles) {
        return roles.isEmpty() ? this : new StartupReport(setupTime, components, criticalPath, roles);
    }

    /**
     * One component in the report.
     *
     * @param name its name
     * @param state its state when the report was taken
     * @param tier its depth in the graph: 0 without dependencies
     * @param dependencies the names of the components it depends on
     * @param setupStart when its setup started, from the start of the whole setup; {@code null} if it did not
     * @param setupDuration how long its setup took; {@code null} if it has not finished
     * @param shutdownDuration how long its shutdown took; {@code null} if it has not finished
     * @param failure why its setup or shutdown failed; {@code null} if it did not
     * @param implementation the class name of the instance; for a patched component, the replacement's, while
     *        {@code name} is the type it replaces
     * @param attempts every attempt at its setup, the first first; empty if its setup never started
     * @param restarts how often it was restarted (with its dependents) since the engine was built
     * @param runtimeFailure the last failure it reported while running; {@code null} if none
     * @param dependenciesActive when the last of its dependencies became active, from the start of the whole
     *        setup: the time it waited for them; {@link Duration#ZERO} without dependencies, {@code null} while
     *        one of them is not active (or never was)
     * @param shutdownStart when its shutdown started, from the start of the whole setup (so a shutdown hours
     *        later starts hours in); {@code null} if it did not
     * @param timedOut whether its {@code failure} is that its setup or shutdown passed its timeout
     * @param unrecoveredFailure a failure it reported while running, since it was last set up, that its supervision
     *        does not recover it from: its policy is {@code none}, or the restart was refused (a dependency was
     *        down). A restart or a new setup clears it. {@code null} if none
     */
    public record ComponentReport(String name, ComponentState state, int tier, List<String> dependencies,
            Duration setupStart, Duration setupDuration, Duration shutdownDuration, Throwable failure,
            String implementation, List<Attempt> attempts, int restarts, Throwable runtimeFailure,
            Duration dependenciesActive, Duration shutdownStart, boolean timedOut, Throwable unrecoveredFailure) {

        public ComponentReport {
            dependencies = List.copyOf(dependencies);
            attempts = List.copyOf(attempts);
        }

        /** A component with no unrecovered runtime failure. */
        public ComponentReport(String name, ComponentState state, int tier, List<String> dependencies,
                Duration setupStart, Duration setupDuration, Duration shutdownDuration, Throwable failure,
                String implementation, List<Attempt> attempts, int restarts, Throwable runtimeFailure,
                Duration dependenciesActive, Duration shutdownStart, boolean timedOut) {
            this(name, state, tier, dependencies, setupStart, setupDuration, shutdownDuration, failure,
                    implementation, attempts, restarts, runtimeFailure, dependenciesActive, shutdownStart, timedOut,
                    null);
        }
    }

    /**
     * One attempt at a component's setup.
     *
     * @param number which attempt, counted from 1
     * @param start when it started, from the start of the whole setup
     * @param duration how long it ran; {@code null} while it runs
     * @param failure why it failed; {@code null} if it succeeded or runs
     * @param delayBeforeNext how long was waited before the next attempt; {@code null} for the last one
     */
    public record Attempt(int number, Duration start, Duration duration, Throwable failure,
            Duration delayBeforeNext) {
    }

    static StartupReport of(Lifecycle lifecycle) {
        return of(lifecycle, null);
    }

    static StartupReport of(Lifecycle lifecycle, Supervisor supervisor) {
        ComponentRecord[] records = lifecycle.records;
        List<ComponentReport> components = new ArrayList<>(records.length);
        long lastEnd = 0;
        ComponentRecord last = null;
        for (ComponentRecord record : records) {
            Throwable failure = record.failure;
            components.add(new ComponentReport(record.name(), record.state(),
                    lifecycle.graph.tierOf(record.index), List.copyOf(record.definition.dependencies()),
                    nanos(record.setupStart), record.setupDuration(), record.shutdownDuration(), failure,
                    record.implementation(), attempts(record),
                    supervisor == null ? 0 : supervisor.restarts(record.index),
                    supervisor == null ? null : supervisor.lastFailure(record.index),
                    dependenciesActive(lifecycle, record), nanos(record.shutdownStart),
                    failure instanceof StepTimeoutException, record.unrecoveredFailure));
            if (record.setupEnd >= 0 && (last == null || record.setupEnd > lastEnd)) {
                last = record;
                lastEnd = record.setupEnd;
            }
        }
        return new StartupReport(Duration.ofNanos(lastEnd), components, criticalPath(lifecycle, last));
    }

    private static Duration nanos(long sinceOrigin) {
        return sinceOrigin < 0 ? null : Duration.ofNanos(sinceOrigin);
    }

    /** When the last dependency finished a successful setup; {@code null} while one has not. */
    private static Duration dependenciesActive(Lifecycle lifecycle, ComponentRecord record) {
        long latest = 0;
        for (int dependency : lifecycle.graph.dependenciesOf(record.index)) {
            ComponentRecord candidate = lifecycle.records[dependency];
            long end = candidate.setupEnd;
            if (end < 0 || !setUp(candidate)) {
                return null;
            }
            latest = Math.max(latest, end);
        }
        return Duration.ofNanos(latest);
    }

    /** Whether a component's setup succeeded: it became active, whatever happened to it since. */
    private static boolean setUp(ComponentRecord record) {
        ComponentState state = record.state();
        return state.compareTo(ComponentState.ACTIVE) >= 0
                && (state != ComponentState.FAILED || record.shutdownStart >= 0);
    }

    private static List<Attempt> attempts(ComponentRecord record) {
        if (record.setupStart < 0) {
            return List.of();
        }
        List<Attempt> failed = record.failedAttempts;
        List<Attempt> all = failed == null ? new ArrayList<>(1) : new ArrayList<>(failed);
        long lastStart = all.isEmpty() || record.attemptStart < 0 ? record.setupStart : record.attemptStart;
        boolean settled = record.setupEnd >= 0;
        if (record.attempt > all.size()) {
            all.add(new Attempt(record.attempt, Duration.ofNanos(lastStart),
                    settled ? Duration.ofNanos(Math.max(0, record.setupEnd - lastStart)) : null,
                    settled && record.state() == ComponentState.FAILED ? record.failure : null, null));
        }
        return all;
    }

    /** Walks back from the last setup to finish, each time to the dependency that finished last. */
    private static List<String> criticalPath(Lifecycle lifecycle, ComponentRecord last) {
        List<String> path = new ArrayList<>();
        for (ComponentRecord current = last; current != null; ) {
            path.add(current.name());
            ComponentRecord gate = null;
            for (int dependency : lifecycle.graph.dependenciesOf(current.index)) {
                ComponentRecord candidate = lifecycle.records[dependency];
                if (candidate.setupEnd >= 0 && (gate == null || candidate.setupEnd > gate.setupEnd)) {
                    gate = candidate;
                }
            }
            current = gate;
        }
        Collections.reverse(path);
        return path;
    }

    /**
     * Whether this setup did not complete and was rolled back: a component failed its setup or passed its
     * timeout, or the setup was cancelled, so the components that had become active were shut down again (or
     * are being, when the report was taken during the rollback).
     */
    public boolean rolledBack() {
        boolean notStarted = false;
        boolean shutDown = false;
        for (ComponentReport component : components) {
            if (component.state() == ComponentState.FAILED && component.shutdownStart() == null) {
                return true;
            }
            notStarted |= component.setupStart() == null;
            shutDown |= component.shutdownStart() != null;
        }
        return notStarted && shutDown;
    }

    /** The pictures {@link #toSvg(SvgView)} draws. */
    public enum SvgView {

        /**
         * The setup as a timeline, in the manner of {@code systemd-analyze plot}: a row per component in the
         * order their setups started, a bar from the start to the end of its setup coloured by outcome (active,
         * failed, timed out, rolled back) and labelled with its duration and tier, the time it waited for its
         * dependencies drawn lightly before it, the critical path outlined, and a strip of how many setups were
         * in flight.
         */
        TIMELINE,

        /**
         * The shutdown (or the rollback) as the same timeline: rows in the order the shutdowns started, the
         * time each waited for its dependents drawn lightly, its own critical path (back from the last shutdown
         * to end, each time through the dependent that ended last) outlined.
         */
        SHUTDOWN_TIMELINE,

        /**
         * The dependency graph: a column per tier, a box per component coloured by the outcome of its setup,
         * an arrow from each dependency to each component that depends on it, the critical path heavier.
         */
        GRAPH
    }

    /**
     * The report as a self-contained SVG document (no script, no external reference), for a browser or a file.
     * Names and failure messages are escaped, so any component name is safe; names longer than a label are cut
     * with an ellipsis and shown whole in the tooltip. Large graphs stay readable and small: a timeline draws
     * at most 300 rows (the critical path, the failures and the longest steps) and the graph at most 600 boxes
     * and 3000 arrows; the picture says so when it leaves components out. Rendering 10,000 components takes
     * milliseconds and gives a file of a few hundred kilobytes.
     *
     * <pre>{@code
     * Files.writeString(Path.of("startup.svg"), engine.report().toSvg(SvgView.TIMELINE));
     * }</pre>
     */
    public String toSvg(SvgView view) {
        return switch (Objects.requireNonNull(view, "view")) {
            case TIMELINE -> TimelineSvg.render(this, TimelineRows.setup(this));
            case SHUTDOWN_TIMELINE -> TimelineSvg.render(this, TimelineRows.shutdown(this));
            case GRAPH -> GraphSvg.render(this);
        };
    }

    /**
     * Writes {@link #toSvg(SvgView)} to a file in UTF-8, replacing it if it exists; the parent directories must
     * exist.
     *
     * @return the file
     * @throws UncheckedIOException when the file cannot be written, naming it
     */
    public Path writeSvg(SvgView view, Path file) {
        String svg = toSvg(view);
        try {
            return Files.writeString(file, svg, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write the " + view + " picture to " + file, ex);
        }
    }

    /** The component names by tier: element 0 holds the components without dependencies. */
    public List<List<String>> tiers() {
        List<List<String>> tiers = new ArrayList<>();
        for (ComponentReport component : components) {
            while (tiers.size() <= component.tier()) {
                tiers.add(new ArrayList<>());
            }
            tiers.get(component.tier()).add(component.name());
        }
        tiers.replaceAll(List::copyOf);
        return List.copyOf(tiers);
    }

    /** The report on the named component. */
    public ComponentReport component(String name) {
        for (ComponentReport component : components) {
            if (component.name().equals(name)) {
                return component;
            }
        }
        throw new IllegalArgumentException("No component named '" + name + "' in this report");
    }

    /** The sum of the setup durations along the critical path. */
    public Duration criticalPathTime() {
        Map<String, ComponentReport> byName = byName();
        Duration total = Duration.ZERO;
        for (String name : criticalPath) {
            Duration own = byName.get(name).setupDuration();
            total = own == null ? total : total.plus(own);
        }
        return total;
    }

    /**
     * The report as a few lines of text for a log: a summary with the critical path, then one line per tier
     * with each component's setup duration.
     */
    public String toText() {
        Map<String, ComponentReport> byName = byName();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Set up %d component%s in %s; critical path (%s): ",
                components.size(), components.size() == 1 ? "" : "s", Durations.format(setupTime),
                Durations.format(criticalPathTime())));
        for (int i = 0; i < criticalPath.size(); i++) {
            text.append(i == 0 ? "" : " -> ").append(criticalPath.get(i)).append(' ')
                    .append(describe(byName.get(criticalPath.get(i))));
        }
        List<List<String>> tiers = tiers();
        for (int tier = 0; tier < tiers.size(); tier++) {
            List<String> names = tiers.get(tier);
            text.append(System.lineSeparator()).append("  tier ").append(tier).append(": ");
            for (int i = 0; i < names.size() && i < NAMES_PER_TIER_LINE; i++) {
                text.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(describe(byName.get(names.get(i))));
            }
            if (names.size() > NAMES_PER_TIER_LINE) {
                text.append(", and ").append(names.size() - NAMES_PER_TIER_LINE).append(" more");
            }
        }
        return text.toString();
    }

    private Map<String, ComponentReport> byName() {
        Map<String, ComponentReport> byName = new HashMap<>(components.size() * 2);
        components.forEach(component -> byName.put(component.name(), component));
        return byName;
    }

    private String describe(ComponentReport component) {
        String attempts = component.attempts().size() > 1 ? " (" + component.attempts().size() + " attempts)" : "";
        String role = leaderOnly.get(component.name());
        String leader = role == null ? "" : " (leader-only, role '" + role + "')";
        if (component.setupDuration() != null && component.state() != ComponentState.FAILED) {
            return Durations.format(component.setupDuration()) + attempts + leader;
        }
        String state = component.state().name().toLowerCase(Locale.ROOT);
        return (role == null ? state : state.replace('_', ' ')) + attempts + leader;
    }

    @Override
    public String toString() {
        return toText();
    }
}
