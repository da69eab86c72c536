package dev.conductor.spring.actuate;

import io.micrometer.observation.Observation;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of Conductor's lifecycle is about: a whole setup, shutdown or restart, or one component's
 * setup or shutdown within it. Filled in as the step goes on; read by a {@link ConductorObservationConvention}.
 */
public class ConductorObservationContext extends Observation.Context {

    /** Which step of the lifecycle is observed. */
    public enum Kind {

        /** The setup of every component (and the rollback, when it fails). */
        SETUP,

        /** The shutdown of every component. */
        SHUTDOWN,

        /** The restart of a component and its dependents: their shutdown and setup again. */
        RESTART,

        /** One component's setup, every attempt of it, within a setup or restart. */
        COMPONENT_SETUP,

        /** One component's shutdown, within a shutdown, a rollback or a restart. */
        COMPONENT_SHUTDOWN;

        /** The observation's name: {@code conductor.setup}, {@code conductor.setup.component} and so on. */
        public String observationName() {
            return switch (this) {
                case SETUP -> "conductor.setup";
                case SHUTDOWN -> "conductor.shutdown";
                case RESTART -> "conductor.restart";
                case COMPONENT_SETUP -> "conductor.setup.component";
                case COMPONENT_SHUTDOWN -> "conductor.shutdown.component";
            };
        }

        /** Whether this is one component's step rather than a whole operation. */
        public boolean isComponentStep() {
            return this == COMPONENT_SETUP || this == COMPONENT_SHUTDOWN;
        }
    }

    private final Kind kind;

    private final @Nullable String component;

    private @Nullable String implementation;

    private int tier = -1;

    private int attempts = 1;

    private @Nullable String outcome;

    private @Nullable Duration waited;

    private int components;

    /**
     * @param kind which step is observed
     * @param component the component whose step it is, or the component a restart restarts; {@code null} for a
     *        whole setup or shutdown
     */
    public ConductorObservationContext(Kind kind, @Nullable String component) {
        this.kind = kind;
        this.component = component;
    }

    public Kind getKind() {
        return kind;
    }

    /** The component this step is about; {@code null} for a whole setup or shutdown. */
    public @Nullable String getComponent() {
        return component;
    }

    /** The class of the component's instance; {@code null} for a whole operation. */
    public @Nullable String getImplementation() {
        return implementation;
    }

    public void setImplementation(@Nullable String implementation) {
        this.implementation = implementation;
    }

    /** The component's tier (its depth in the graph); -1 when unknown or for a whole operation. */
    public int getTier() {
        return tier;
    }

    public void setTier(int tier) {
        this.tier = tier;
    }

    /** How many attempts a component's setup took so far; 1 otherwise. */
    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    /**
     * {@code succeeded}, {@code failed}, {@code timed out} or {@code cancelled}; {@code null} while the step
     * is under way.
     */
    public @Nullable String getOutcome() {
        return outcome;
    }

    public void setOutcome(@Nullable String outcome) {
        this.outcome = outcome;
    }

    /**
     * For a component's step, how long it waited from the start of the whole operation until it started (for
     * its dependencies, or its dependents in a shutdown, and for a thread); {@code null} otherwise.
     */
    public @Nullable Duration getWaited() {
        return waited;
    }

    public void setWaited(@Nullable Duration waited) {
        this.waited = waited;
    }

    /** For a whole operation, how many components it concerns; 0 otherwise. */
    public int getComponents() {
        return components;
    }

    public void setComponents(int components) {
        this.components = components;
    }
}
