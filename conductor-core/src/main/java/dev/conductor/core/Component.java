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
 *
 * <p>An object that cannot implement this interface (a connection pool, a server from another library) becomes a
 * component through {@link #of(Action, Action)}:
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);
 * ComponentDefinition.of("pool", Component.of(pool::start, pool::close));
 * }</pre>
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

    /**
     * A component made of two actions, for an object that does not implement {@code Component} itself: the
     * engine calls {@code setup} as this component's {@link #setup()} and {@code shutdown} as its
     * {@link #shutdown()}, under the same rules (each at most once per lifecycle, {@code shutdown} never after a
     * failed {@code setup}). Use {@code () -> { }} for a side that has nothing to do.
     *
     * @param setup what brings the object up; what it throws fails the setup
     * @param shutdown what takes the object down; what it throws is collected with the other shutdown failures
     * @return a new component; it equals only itself, so add it to a graph once
     */
    static Component of(Action setup, Action shutdown) {
        return new ActionComponent(setup, shutdown);
    }

    /**
     * One side of a component built with {@link Component#of(Action, Action)}: a method reference such as
     * {@code pool::start} or a lambda. It may block and may throw any exception.
     */
    @FunctionalInterface
    interface Action {

        /**
         * Runs the action.
         *
         * @throws Exception to fail the setup or the shutdown it stands for
         */
        void run() throws Exception;
    }
}
