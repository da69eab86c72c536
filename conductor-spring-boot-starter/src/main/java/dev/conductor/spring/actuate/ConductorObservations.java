package dev.conductor.spring.actuate;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import dev.conductor.core.SetupCancelledException;
import dev.conductor.spring.actuate.ConductorObservationContext.Kind;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Conductor's lifecycle as Micrometer observations, so that a tracing bridge makes it a trace: one observation
 * for each whole setup, shutdown and restart, and inside it, as its children, one for each component's setup or
 * shutdown. Component steps run on worker threads, so their parent is given explicitly rather than taken from
 * the thread's scope; a setup's rollback is part of the setup. Lifecycle operations run one at a time, so one
 * operation (and at most one restart) is under way at once.
 */
final class ConductorObservations implements LifecycleListener, ConductorLifecycle.SetupObserver {

    private static final ConductorObservationConvention DEFAULT_CONVENTION = new DefaultConductorObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable ConductorObservationConvention convention;

    private final Supplier<@Nullable ComponentGraph> graph;

    private volatile @Nullable Operation operation;

    private volatile @Nullable Operation restart;

    private final Map<String, Operation> steps = new ConcurrentHashMap<>();

    /**
     * @param convention the application's convention, or {@code null} for {@link DefaultConductorObservationConvention}
     * @param graph the graph being run, once known: for tiers and counts
     */
    ConductorObservations(ObservationRegistry registry, @Nullable ConductorObservationConvention convention,
            Supplier<@Nullable ComponentGraph> graph) {
        this.registry = registry;
        this.convention = convention;
        this.graph = graph;
    }

    /** An observation under way, its context, and when it started. */
    private record Operation(Observation observation, ConductorObservationContext context, long startNanos) {
    }

    @Override
    public void observe(Runnable setup) {
        around(Kind.SETUP, setup);
    }

    /** The shutdown, as {@link ConductorLifecycle.ShutdownObserver}. */
    private void aroundShutdown(Runnable shutdown) {
        around(Kind.SHUTDOWN, shutdown);
    }

    private void around(Kind kind, Runnable body) {
        if (registry.isNoop()) { // no handler: nothing would see the observations
            body.run();
            return;
        }
        ConductorObservationContext context = new ConductorObservationContext(kind, null);
        ComponentGraph current = graph.get();
        context.setComponents(current == null ? 0 : current.size());
        Operation whole = start(context, null);
        operation = whole;
        try (Observation.Scope scope = whole.observation().openScope()) {
            body.run();
            context.setOutcome("succeeded");
        }
        catch (RuntimeException | Error ex) {
            context.setOutcome(ex instanceof SetupCancelledException ? "cancelled" : "failed");
            whole.observation().error(ex);
            throw ex;
        }
        finally {
            operation = null;
            ComponentGraph ended = graph.get(); // a setup that began early grows the graph as it goes
            if (ended != null) {
                context.setComponents(ended.size());
            }
            whole.observation().stop();
        }
    }

    private Operation start(ConductorObservationContext context, @Nullable Operation parent) {
        Observation observation = Observation.createNotStarted(context.getKind().observationName(), () -> context,
                registry).observationConvention(convention != null ? convention : DEFAULT_CONVENTION);
        if (parent != null) {
            observation.parentObservation(parent.observation());
        }
        return new Operation(observation.start(), context, System.nanoTime());
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        if (registry.isNoop() && steps.isEmpty() && restart == null) {
            return;
        }
        switch (event.kind()) {
            case SETUP_STARTED -> {
                Operation step = steps.computeIfAbsent(event.component(), name -> startStep(Kind.COMPONENT_SETUP,
                        event));
                step.context().setAttempts(event.attempt());
            }
            case SHUTDOWN_STARTED -> steps.computeIfAbsent(event.component(),
                    name -> startStep(Kind.COMPONENT_SHUTDOWN, event));
            case SETUP_RETRYING -> {
                Operation step = steps.get(event.component());
                if (step != null) {
                    step.observation().event(Observation.Event.of("conductor.setup.retry", "attempt "
                            + event.attempt() + " failed: " + event.failure() + "; retrying in "
                            + event.retryDelay()));
                }
            }
            case SETUP_FINISHED, SETUP_FAILED, SHUTDOWN_FINISHED, SHUTDOWN_FAILED -> {
                Operation step = steps.remove(event.component());
                if (step != null) {
                    step.context().setAttempts(event.attempt());
                    if (step.context().getTier() < 0) { // a setup that began early knows its graph only later
                        tier(step.context(), event.component());
                    }
                    stop(step, event.failure());
                }
            }
            case RESTART_REQUESTED -> {
                ConductorObservationContext context = new ConductorObservationContext(Kind.RESTART,
                        event.component());
                context.setComponents(withDependents(event.component()));
                Operation started = start(context, null);
                if (event.failure() != null) {
                    started.observation().event(Observation.Event.of("conductor.runtime.failure",
                            "restarted after: " + event.failure()));
                }
                restart = started;
            }
            case RESTART_FINISHED, RESTART_FAILED -> {
                Operation finished = restart;
                restart = null;
                if (finished != null) {
                    stop(finished, event.failure());
                }
            }
            default -> {
                // RUNTIME_FAILURE, RESTART_SHUT_DOWN, ESCALATED: the restart and the shutdown that follow show them
            }
        }
    }

    private Operation startStep(Kind kind, LifecycleEvent event) {
        Operation parent = restart != null ? restart : operation;
        ConductorObservationContext context = new ConductorObservationContext(kind, event.component());
        context.setImplementation(event.implementation());
        tier(context, event.component());
        if (parent != null) {
            context.setWaited(Duration.ofNanos(System.nanoTime() - parent.startNanos()));
        }
        return start(context, parent);
    }

    private void tier(ConductorObservationContext context, String component) {
        ComponentGraph current = graph.get();
        if (current != null && current.size() > 0) {
            try {
                context.setTier(current.tier(component));
            }
            catch (IllegalArgumentException notYetInTheGraph) {
                // left unknown
            }
        }
    }

    private static void stop(Operation step, @Nullable Throwable failure) {
        if (failure == null) {
            step.context().setOutcome("succeeded");
        }
        else {
            step.context().setOutcome(failure instanceof TimeoutException ? "timed out" : "failed");
            step.observation().error(failure);
        }
        step.observation().stop();
    }

    /** How many components a restart of {@code component} takes down and up again: it and its dependents. */
    private int withDependents(String component) {
        ComponentGraph current = graph.get();
        if (current == null) {
            return 1;
        }
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        seen.add(component);
        queue.add(component);
        while (!queue.isEmpty()) {
            for (String dependent : current.dependents(queue.poll())) {
                if (seen.add(dependent)) {
                    queue.add(dependent);
                }
            }
        }
        return seen.size();
    }

    /** The observation around the shutdown: a bean of its own, since both observer types have one method. */
    ConductorLifecycle.ShutdownObserver shutdownObserver() {
        return this::aroundShutdown;
    }
}
