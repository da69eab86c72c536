package dev.conductor.core;

/**
 * Receives every component transition: setup and shutdown started, finished and failed.
 *
 * <p>Called on the thread that runs the component's setup or shutdown (or the timeout thread, for a timeout),
 * possibly concurrently for different components; events of one component arrive in order. A listener must
 * be quick and thread-safe. An exception it throws is logged and otherwise ignored: it never changes the
 * lifecycle.
 */
@FunctionalInterface
public interface LifecycleListener {

    /** Called for each transition of each component. */
    void onEvent(LifecycleEvent event);

    /**
     * Called for each change of this replica's leadership of a role (see {@link LeaderOnly}), on a thread of the
     * engine or of the election; does nothing unless overridden.
     */
    default void onLeadership(LeadershipEvent event) {
    }
}
