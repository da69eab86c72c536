package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one lifecycle of a graph looked like: each component's tier, state and timings, the total setup time,
 * and the critical path, the chain of dependencies whose setups bounded the total time. Immutable: a snapshot
 * taken when {@link LifecycleEngine#report()} was called.
 *
 * @param setupTime from the start of the setup until the last component finished its setup
 * @param components every component, in the order they were added to the graph
 * @param criticalPath the components on the critical path, the first one set up first; each depends on the one
 *        before it, and each started when the one before it finished
 */
public record StartupReport(Duration setupTime, List<ComponentReport> components, List<String> criticalPath) {

    private static final int NAMES_PER_TIER_LINE = 12;

    public StartupReport {
        components = List.copyOf(components);
        criticalPath = List.copyOf(criticalPath);
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
     */
    public record ComponentReport(String name, ComponentState state, int tier, List<String> dependencies,
            Duration setupStart, Duration setupDuration, Duration shutdownDuration, Throwable failure,
            String implementation, List<Attempt> attempts, int restarts, Throwable runtimeFailure) {

        public ComponentReport {
            dependencies = List.copyOf(dependencies);
            attempts = List.copyOf(attempts);
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
            components.add(new ComponentReport(record.name(), record.state(),
                    lifecycle.graph.tierOf(record.index), List.copyOf(record.definition.dependencies()),
                    record.setupStart < 0 ? null : Duration.ofNanos(record.setupStart), record.setupDuration(),
                    record.shutdownDuration(), record.failure, record.implementation(), attempts(record),
                    supervisor == null ? 0 : supervisor.restarts(record.index),
                    supervisor == null ? null : supervisor.lastFailure(record.index)));
            if (record.setupEnd >= 0 && (last == null || record.setupEnd > lastEnd)) {
                last = record;
                lastEnd = record.setupEnd;
            }
        }
        return new StartupReport(Duration.ofNanos(lastEnd), components, criticalPath(lifecycle, last));
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

    private static String describe(ComponentReport component) {
        String attempts = component.attempts().size() > 1 ? " (" + component.attempts().size() + " attempts)" : "";
        if (component.setupDuration() != null && component.state() != ComponentState.FAILED) {
            return Durations.format(component.setupDuration()) + attempts;
        }
        return component.state().name().toLowerCase(Locale.ROOT) + attempts;
    }

    @Override
    public String toString() {
        return toText();
    }
}
