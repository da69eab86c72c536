package dev.conductor.core;

import java.time.Duration;
import java.util.Map;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Conductor's JDK Flight Recorder events, named {@code dev.conductor.*} in the category "Conductor", and how the
 * engine's transitions become them. Only {@link FlightRecording} calls this class, and only when the
 * {@code jdk.jfr} module is present.
 *
 * <p>A disabled event costs a test of its type's state: {@link Event#isEnabled()} reads the event type's
 * settings, not the instance, so each type is asked through one shared instance and nothing is allocated until
 * a recording enables it. A component's setup or shutdown event is begun when the step starts and committed
 * when it settles (on whichever thread settles it); its fields are filled only once {@code shouldCommit()}
 * says the recording keeps it (enabled, and over its threshold).
 */
final class FlightEvents {

    static final String CATEGORY = "Conductor";

    private static final ComponentSetup SETUP_PROBE = new ComponentSetup();

    private static final ComponentShutdown SHUTDOWN_PROBE = new ComponentShutdown();

    private static final SetupRetry RETRY_PROBE = new SetupRetry();

    private static final RuntimeFailure FAILURE_PROBE = new RuntimeFailure();

    private static final Restart RESTART_PROBE = new Restart();

    private static final Escalation ESCALATION_PROBE = new Escalation();

    private static final WholeSetup WHOLE_SETUP_PROBE = new WholeSetup();

    private static final WholeShutdown WHOLE_SHUTDOWN_PROBE = new WholeShutdown();

    private FlightEvents() {
    }

    static void transition(Lifecycle lifecycle, ComponentRecord record, LifecycleEvent.Kind kind, Throwable failure,
            Duration retryDelay, int attempt) {
        switch (kind) {
            case SETUP_STARTED -> {
                if (SETUP_PROBE.isEnabled()) {
                    ComponentSetup event = new ComponentSetup();
                    event.begin();
                    lifecycle.flightSlots().put(record.index, event);
                }
            }
            case SHUTDOWN_STARTED -> {
                if (SHUTDOWN_PROBE.isEnabled()) {
                    ComponentShutdown event = new ComponentShutdown();
                    event.begin();
                    lifecycle.flightSlots().put(record.index, event);
                }
            }
            case SETUP_FINISHED, SETUP_FAILED, SETUP_RETRYING -> {
                if (SETUP_PROBE.isEnabled()) {
                    ComponentSetup event = claim(lifecycle, record, ComponentSetup.class);
                    ComponentSetup setup = event != null ? event : new ComponentSetup();
                    setup.end();
                    if (setup.shouldCommit()) {
                        describe(setup, lifecycle, record);
                        setup.attempt = attempt;
                        setup.outcome = outcome(kind, failure);
                        setup.failure = describe(failure);
                        setup.commit();
                    }
                }
                if (kind == LifecycleEvent.Kind.SETUP_RETRYING && RETRY_PROBE.isEnabled()) {
                    SetupRetry retry = new SetupRetry();
                    if (retry.shouldCommit()) {
                        describe(retry, lifecycle, record);
                        retry.attempt = attempt;
                        retry.retryDelay = retryDelay.toNanos();
                        retry.failure = describe(failure);
                        retry.commit();
                    }
                }
            }
            case SHUTDOWN_FINISHED, SHUTDOWN_FAILED -> {
                if (SHUTDOWN_PROBE.isEnabled()) {
                    ComponentShutdown event = claim(lifecycle, record, ComponentShutdown.class);
                    ComponentShutdown shutdown = event != null ? event : new ComponentShutdown();
                    shutdown.end();
                    if (shutdown.shouldCommit()) {
                        describe(shutdown, lifecycle, record);
                        shutdown.outcome = outcome(kind, failure);
                        shutdown.failure = describe(failure);
                        shutdown.commit();
                    }
                }
            }
            case RUNTIME_FAILURE -> {
                if (FAILURE_PROBE.isEnabled()) {
                    RuntimeFailure event = new RuntimeFailure();
                    if (event.shouldCommit()) {
                        describe(event, lifecycle, record);
                        event.failure = describe(failure);
                        event.commit();
                    }
                }
            }
            case ESCALATED -> {
                if (ESCALATION_PROBE.isEnabled()) {
                    Escalation event = new Escalation();
                    if (event.shouldCommit()) {
                        describe(event, lifecycle, record);
                        event.failure = describe(failure);
                        event.commit();
                    }
                }
            }
            case RESTART_REQUESTED -> {
                if (RESTART_PROBE.isEnabled()) {
                    Restart event = new Restart();
                    event.cause = describe(failure); // the failure is at hand only now
                    event.begin();
                    lifecycle.flightRestart.set(event);
                }
            }
            case RESTART_FINISHED, RESTART_FAILED -> {
                if (RESTART_PROBE.isEnabled()) {
                    Object begun = lifecycle.flightRestart.getAndSet(null);
                    Restart event = begun instanceof Restart restarting ? restarting : null;
                    Restart restart = event != null ? event : new Restart();
                    restart.end();
                    if (restart.shouldCommit()) {
                        describe(restart, lifecycle, record);
                        restart.outcome = kind == LifecycleEvent.Kind.RESTART_FINISHED ? "succeeded" : "failed";
                        restart.components = partSize(lifecycle, record.index);
                        restart.failure = describe(failure);
                        restart.commit();
                    }
                }
            }
            default -> {
                // RESTART_SHUT_DOWN: the restart's component events show it
            }
        }
    }

    /** The event begun for the component, taken so that only one settling commits it; {@code null} if none. */
    private static <T extends Event> T claim(Lifecycle lifecycle, ComponentRecord record, Class<T> type) {
        java.util.concurrent.ConcurrentHashMap<Integer, Object> slots = lifecycle.flightSlotsIfAny();
        if (slots == null) {
            return null;
        }
        Object event = slots.get(record.index);
        return type.isInstance(event) && slots.remove(record.index, event) ? type.cast(event) : null;
    }

    private static void describe(ComponentEvent event, Lifecycle lifecycle, ComponentRecord record) {
        event.component = record.name();
        event.implementation = record.implementation();
        event.tier = lifecycle.graph.tierOf(record.index);
    }

    private static String outcome(LifecycleEvent.Kind kind, Throwable failure) {
        if (kind == LifecycleEvent.Kind.SETUP_RETRYING) {
            return "retrying";
        }
        if (failure == null) {
            return "succeeded";
        }
        return failure instanceof StepTimeoutException ? "timed out" : "failed";
    }

    private static String describe(Throwable failure) {
        return failure == null ? null : failure.toString();
    }

    /** How many components a restart of the component at {@code index} took down and up: it and its dependents. */
    private static int partSize(Lifecycle lifecycle, int index) {
        ComponentGraph graph = lifecycle.graph;
        boolean[] seen = new boolean[graph.size()];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        seen[index] = true;
        queue.add(index);
        int count = 0;
        while (!queue.isEmpty()) {
            count++;
            for (int dependent : graph.dependentsOf(queue.poll())) {
                if (!seen[dependent]) {
                    seen[dependent] = true;
                    queue.add(dependent);
                }
            }
        }
        return count;
    }

    static Object setupStarted() {
        if (!WHOLE_SETUP_PROBE.isEnabled()) {
            return null;
        }
        WholeSetup event = new WholeSetup();
        event.begin();
        return event;
    }

    static void setupEnded(Object started, ComponentGraph graph, RuntimeException failure) {
        WholeSetup event = (WholeSetup) started;
        event.end();
        if (event.shouldCommit()) {
            event.components = graph.size();
            event.outcome = failure == null ? "succeeded" : failure instanceof SetupCancelledException ? "cancelled"
                    : "failed";
            event.failedComponent = failure instanceof ComponentSetupException setup ? setup.getComponent() : null;
            event.failure = describe(failure);
            event.commit();
        }
    }

    static Object shutdownStarted() {
        if (!WHOLE_SHUTDOWN_PROBE.isEnabled()) {
            return null;
        }
        WholeShutdown event = new WholeShutdown();
        event.begin();
        return event;
    }

    static void shutdownEnded(Object started, ComponentGraph graph, boolean rollback, Map<String, Throwable> failures) {
        WholeShutdown event = (WholeShutdown) started;
        event.end();
        if (event.shouldCommit()) {
            event.components = graph.size();
            event.rollback = rollback;
            event.outcome = failures.isEmpty() ? "succeeded" : "failed";
            event.failedComponents = failures.isEmpty() ? null : String.join(", ", failures.keySet());
            event.commit();
        }
    }

    /** The fields every event about one component has. */
    @Category(CATEGORY)
    @StackTrace(false)
    abstract static class ComponentEvent extends Event {

        @Label("Component")
        @Description("The component's name")
        String component;

        @Label("Implementation")
        @Description("The class of the instance; for a patched component, the replacement's")
        String implementation;

        @Label("Tier")
        @Description("The component's depth in the graph: 0 without dependencies, else one more than its deepest"
                + " dependency")
        int tier;
    }

    @Name("dev.conductor.ComponentSetup")
    @Label("Component Setup")
    @Description("One attempt at a component's setup, from its start to its outcome")
    static final class ComponentSetup extends ComponentEvent {

        @Label("Attempt")
        @Description("Which attempt at the setup this is, 1 for the first")
        int attempt;

        @Label("Outcome")
        @Description("succeeded, failed, timed out, or retrying (this attempt failed and another follows)")
        String outcome;

        @Label("Failure")
        @Description("Why the attempt failed: the exception's class and message")
        String failure;
    }

    @Name("dev.conductor.ComponentShutdown")
    @Label("Component Shutdown")
    @Description("A component's shutdown, from its start to its outcome")
    static final class ComponentShutdown extends ComponentEvent {

        @Label("Outcome")
        @Description("succeeded, failed or timed out")
        String outcome;

        @Label("Failure")
        @Description("Why the shutdown failed: the exception's class and message")
        String failure;
    }

    @Name("dev.conductor.SetupRetry")
    @Label("Setup Retry")
    @Description("An attempt at a component's setup failed and its retry policy tries again after a delay")
    static final class SetupRetry extends ComponentEvent {

        @Label("Attempt")
        @Description("The attempt that failed, 1 for the first")
        int attempt;

        @Label("Retry Delay")
        @Description("How long until the next attempt")
        @Timespan(Timespan.NANOSECONDS)
        long retryDelay;

        @Label("Failure")
        @Description("Why the attempt failed: the exception's class and message")
        String failure;
    }

    @Name("dev.conductor.RuntimeFailure")
    @Label("Runtime Failure")
    @Description("A running component reported a failure; its supervision policy decides what follows")
    static final class RuntimeFailure extends ComponentEvent {

        @Label("Failure")
        @Description("The failure reported: the exception's class and message")
        String failure;
    }

    @Name("dev.conductor.Restart")
    @Label("Restart")
    @Description("A restart of a component and its dependents: their shutdown and setup again")
    static final class Restart extends ComponentEvent {

        @Label("Cause")
        @Description("The runtime failure that led its supervision to restart it; empty for a restart by a call")
        String cause;

        @Label("Components")
        @Description("How many components were restarted: the component and its dependents")
        int components;

        @Label("Outcome")
        @Description("succeeded or failed (what the restart had set up again was shut down)")
        String outcome;

        @Label("Failure")
        @Description("Why the restart's setup failed")
        String failure;
    }

    @Name("dev.conductor.Escalation")
    @Label("Escalation")
    @Description("A component's supervision gave up and escalated: the whole graph is shut down")
    static final class Escalation extends ComponentEvent {

        @Label("Failure")
        @Description("Why it escalated")
        String failure;
    }

    @Name("dev.conductor.Setup")
    @Label("Setup")
    @Description("The setup of the whole graph, including the rollback when it failed")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class WholeSetup extends Event {

        @Label("Components")
        @Description("How many components the graph has")
        int components;

        @Label("Outcome")
        @Description("succeeded, failed (and rolled back) or cancelled (and rolled back)")
        String outcome;

        @Label("Failed Component")
        @Description("The first component whose setup failed")
        String failedComponent;

        @Label("Failure")
        @Description("The setup's failure: the exception's class and message")
        String failure;
    }

    @Name("dev.conductor.Shutdown")
    @Label("Shutdown")
    @Description("The shutdown of the whole graph, or the rollback of a failed setup")
    @Category(CATEGORY)
    @StackTrace(false)
    static final class WholeShutdown extends Event {

        @Label("Components")
        @Description("How many components the graph has")
        int components;

        @Label("Rollback")
        @Description("Whether this shutdown rolls back a failed or cancelled setup")
        boolean rollback;

        @Label("Outcome")
        @Description("succeeded, or failed when a component's shutdown failed")
        String outcome;

        @Label("Failed Components")
        @Description("The components whose shutdown failed")
        String failedComponents;
    }
}
