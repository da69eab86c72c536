package dev.conductor.core;

/**
 * Where a component is in its lifecycle.
 *
 * <p>The declaration order follows the transitions: a component only ever moves to a later state within one
 * lifecycle, so {@code state.compareTo(ACTIVE) < 0} means "not set up yet".
 */
public enum ComponentState {

    /** Not set up: setup has not started, or was never started because another component failed. */
    NEW,

    /** Its {@link Component#setup()} is running. */
    SETTING_UP,

    /** Set up and running. */
    ACTIVE,

    /** Its {@link Component#shutdown()} is running. */
    SHUTTING_DOWN,

    /** Shut down cleanly. */
    STOPPED,

    /** Its setup or shutdown threw or passed its timeout. */
    FAILED
}
