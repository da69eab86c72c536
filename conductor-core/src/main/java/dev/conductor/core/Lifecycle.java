package dev.conductor.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * One lifecycle of a graph: a record per component, the settings the phases run with, and event delivery.
 * A new lifecycle starts with every setup, so a graph can be set up again after it was shut down.
 */
final class Lifecycle {

    /** The graph; replaced by a larger one (the same components first, in order) while an early setup grows. */
    volatile ComponentGraph graph;

    /** A record per component of {@link #graph}; replaced with it, keeping the records it had. */
    volatile ComponentRecord[] records;

    final long origin = System.nanoTime();

    private final Duration defaultSetupTimeout;

    private final Duration defaultShutdownTimeout;

    private final List<LifecycleListener> listeners;

    /** The engine this lifecycle belongs to, so that a call from inside one of its components is recognised. */
    volatile Object owner;

    /**
     * @param previous the records of the same graph's previous lifecycle, or of another graph mapped by instance
     *        (entries may be {@code null}), so that calls still running from it are not overlapped; or {@code null}
     */
    final Retries retries;

    /** Faults a test injects; {@code null} outside such tests. */
    volatile Faults faults;

    /** Whether transitions go unreported: no log line, no flight event, no listener (an {@link EarlySetup#warmUp()}). */
    volatile boolean quiet;

    /** Whether some component's records reach back to a call an earlier lifecycle gave up on. */
    private final boolean inheritsLateCalls;

    /** Set (before the record says so) when a phase of this lifecycle gives up on a call that has not returned. */
    private volatile boolean gaveUpOnACall;

    Lifecycle(Object owner, ComponentGraph graph, Duration defaultSetupTimeout, Duration defaultShutdownTimeout,
            List<LifecycleListener> listeners, ComponentRecord[] previous, Retries retries) {
        this.owner = owner;
        this.retries = retries;
        this.graph = graph;
        this.defaultSetupTimeout = defaultSetupTimeout;
        this.defaultShutdownTimeout = defaultShutdownTimeout;
        this.listeners = listeners;
        this.records = new ComponentRecord[graph.size()];
        boolean inherits = false;
        for (int i = 0; i < records.length; i++) {
            records[i] = new ComponentRecord(i, graph.definitionAt(i), previous == null ? null : previous[i]);
            inherits |= records[i].predecessor != null;
        }
        this.inheritsLateCalls = inherits;
    }

    /**
     * Flight Recorder events begun and not yet committed, by component index, and the restart's; created when a
     * recording first asks for one, so that a lifecycle nobody records allocates nothing for it. A map rather than
     * an array, since the graph may grow while it runs.
     */
    private volatile java.util.concurrent.ConcurrentHashMap<Integer, Object> flightSlots;

    /** The Flight Recorder event of the restart under way, begun and not yet committed. */
    final java.util.concurrent.atomic.AtomicReference<Object> flightRestart =
            new java.util.concurrent.atomic.AtomicReference<>();

    java.util.concurrent.ConcurrentHashMap<Integer, Object> flightSlots() {
        java.util.concurrent.ConcurrentHashMap<Integer, Object> slots = flightSlots;
        if (slots == null) {
            synchronized (this) {
                slots = flightSlots;
                if (slots == null) {
                    slots = new java.util.concurrent.ConcurrentHashMap<>();
                    flightSlots = slots;
                }
            }
        }
        return slots;
    }

    java.util.concurrent.ConcurrentHashMap<Integer, Object> flightSlotsIfAny() {
        return flightSlots;
    }

    /**
     * Replaces the graph with {@code larger}, which has this graph's components first, in the same order, and
     * adds a record for each new one; the existing records stay. Called by the one phase that may grow.
     */
    synchronized void grow(ComponentGraph larger) {
        ComponentGraph current = graph;
        for (int i = 0; i < current.size(); i++) {
            if (!current.definitionAt(i).name().equals(larger.definitionAt(i).name())) {
                throw new IllegalArgumentException("The larger graph must have the components of the current one"
                        + " first, in the same order: found '" + larger.definitionAt(i).name() + "' where '"
                        + current.definitionAt(i).name() + "' was");
            }
        }
        ComponentRecord[] grown = java.util.Arrays.copyOf(records, larger.size());
        for (int i = current.size(); i < grown.length; i++) {
            grown[i] = new ComponentRecord(i, larger.definitionAt(i), null);
        }
        records = grown;
        graph = larger;
    }

    /** A phase of this lifecycle is giving up on a call that has not returned: see {@link #mayStillBeCalled()}. */
    void gaveUpOnACall() {
        gaveUpOnACall = true;
    }

    /**
     * Whether a call of this lifecycle (or one it inherited) may still be running; when not, the next lifecycle
     * need not look at these records at all.
     */
    boolean mayStillBeCalled() {
        return gaveUpOnACall || inheritsLateCalls;
    }

    long now() {
        return System.nanoTime() - origin;
    }

    Duration setupTimeout(ComponentRecord record) {
        Duration own = record.definition.setupTimeout();
        return own != null ? own : defaultSetupTimeout;
    }

    Duration shutdownTimeout(ComponentRecord record) {
        Duration own = record.definition.shutdownTimeout();
        return own != null ? own : defaultShutdownTimeout;
    }

    void emit(ComponentRecord record, LifecycleEvent.Kind kind, long start, long end, Throwable failure) {
        emit(record, kind, start, end, failure, null, kind.isSetup() ? record.attempt : 1);
    }

    void emit(ComponentRecord record, LifecycleEvent.Kind kind, long start, long end, Throwable failure,
            Duration retryDelay, int attempt) {
        if (quiet) {
            return;
        }
        if (EngineLog.LOGGER.isLoggable(Level.DEBUG)) {
            EngineLog.LOGGER.log(Level.DEBUG, "Component ''{0}'': {1} after {2}", record.name(), kind,
                    Durations.format(Duration.ofNanos(end - start)));
        }
        FlightRecording.transition(this, record, kind, failure, retryDelay, attempt);
        if (listeners.isEmpty()) {
            return;
        }
        LifecycleEvent event = new LifecycleEvent(record.name(), kind, Duration.ofNanos(end - start), failure,
                record.implementation(), attempt, retryDelay);
        for (LifecycleListener listener : listeners) {
            try {
                listener.onEvent(event);
            }
            catch (RuntimeException | Error ex) {
                EngineLog.LOGGER.log(Level.WARNING, "Lifecycle listener " + listener + " failed on " + kind + " of '"
                        + record.name() + "'; the lifecycle goes on", ex);
            }
        }
    }
}
