package dev.conductor.core;

/**
 * A part of an application with a lifecycle: a database pool, a message broker, a web API, background workers.
 *
 * <p>A component declares the components it depends on by type, as constructor parameters or non-static fields.
 * Its {@link #setup()} runs once every one of its dependencies is active, concurrently with every other component
 * whose dependencies are active; its {@link #shutdown()} runs once every component that depends on it has shut
 * down.
 *
 * <pre>{@code
 * class WebApi implements Component {
 *     private final Database database;
 *     private final MessageQueue queue;
 *
 *     WebApi(Database database, MessageQueue queue) {
 *         this.database = database;
 *         this.queue = queue;
 *     }
 *
 *     public void setup() { ... open intake ... }
 *
 *     public void shutdown() { ... close intake, drain in-flight requests ... }
 * }
 * }</pre>
 *
 * <p>Both methods may block; they run on a thread of the engine's executor (a virtual thread where the JDK has
 * them) and are interrupted when they pass their timeout.
 */
public interface Component {

    /**
     * Brings this component up. Called at most once per lifecycle, after every dependency is active.
     *
     * @throws Exception to fail the setup: the components already active are shut down again
     */
    default void setup() throws Exception {
    }

    /**
     * Takes this component down. Called once for a component that became active, after every dependent has shut
     * down, and never for a component whose setup failed.
     *
     * @throws Exception collected with the other shutdown failures; it never stops another component's shutdown
     */
    default void shutdown() throws Exception {
    }
}
