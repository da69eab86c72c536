package dev.conductor.core;

import java.time.Duration;
import java.util.Optional;

/**
 * What a component can learn about the setup or shutdown it is running, from inside its own {@code setup()} or
 * {@code shutdown()} and on that thread only: how much time remains (its own timeout or the whole setup's or
 * shutdown's deadline, whichever comes first), and which attempt this is.
 *
 * <pre>{@code
 * public void shutdown() {
 *     Duration budget = StepContext.current().map(StepContext::remaining).orElse(Duration.ofSeconds(10));
 *     producer.close(budget);   // flush within what remains
 * }
 * }</pre>
 */
public final class StepContext {

    private final ComponentRecord record;

    private final Phase phase;

    private StepContext(ComponentRecord record, Phase phase) {
        this.record = record;
        this.phase = phase;
    }

    /**
     * The context of the setup or shutdown running on the current thread, or empty when the thread is not running
     * one (for example a thread the component started itself).
     */
    public static Optional<StepContext> current() {
        Phase.Worker worker = Phase.currentWorker();
        ComponentRecord record = worker == null ? null : worker.record;
        return record == null ? Optional.empty() : Optional.of(new StepContext(record, worker.phase));
    }

    /** The name of the component. */
    public String component() {
        return record.name();
    }

    /** Whether this is a setup, rather than a shutdown. */
    public boolean isSetup() {
        return phase.step == Step.SETUP;
    }

    /** Which attempt at the setup this is, counted from 1; 1 for a shutdown. */
    public int attempt() {
        return isSetup() ? record.attempt : 1;
    }

    /**
     * How long until this step is given up: its own timeout, or the deadline of the whole setup or shutdown when
     * that comes first. Never negative.
     */
    public Duration remaining() {
        long now = phase.lifecycle.now();
        long until = Math.min(record.deadline, phase.deadline());
        return Duration.ofNanos(Math.max(0, until - now));
    }

    @Override
    public String toString() {
        return (isSetup() ? "setup" : "shutdown") + " of '" + component() + "', attempt " + attempt() + ", "
                + Durations.format(remaining()) + " remaining";
    }
}
