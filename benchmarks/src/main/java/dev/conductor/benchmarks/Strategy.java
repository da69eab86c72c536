package dev.conductor.benchmarks;

/**
 * One way of setting up and shutting down a {@link RandomDag}. Everything a strategy needs before the clock
 * starts (building a graph, refreshing a context) happens in {@link #prepare}; only setup and shutdown are
 * timed.
 */
interface Strategy {

    String name();

    /** The short name {@code --strategies=} selects it by. */
    String id();

    /** Builds whatever the strategy needs; every node's work goes through the trace. */
    Prepared prepare(RandomDag dag, Trace trace);

    /** The strategy could not set up or shut down the graph at all: reported as such, never as a makespan. */
    final class Failed extends Exception {

        private static final long serialVersionUID = 1L;

        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A strategy ready to run one graph once. */
    interface Prepared extends AutoCloseable {

        void setup() throws Exception;

        void shutdown() throws Exception;

        @Override
        default void close() {
        }
    }
}
