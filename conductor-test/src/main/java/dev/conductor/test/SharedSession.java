package dev.conductor.test;

/**
 * The {@code SHARED} components of one cache key, kept in JUnit's root store: set up by the first class that asks,
 * once; a failed setup is not tried again, and every later class fails with the same exception (as Spring does not
 * load a context again that failed to load). Closed by JUnit at the end of the run.
 */
final class SharedSession implements AutoCloseable {

    private final ComponentPlan plan;

    private ComponentSession session;

    private RuntimeException failure;

    SharedSession(ComponentPlan plan) {
        this.plan = plan;
    }

    /** The running components, set up now by the first caller; the others wait for it. */
    synchronized ComponentSession get() {
        if (session == null && failure == null) {
            try {
                session = plan.start();
            }
            catch (RuntimeException ex) {
                failure = ex;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return session;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.shutdown();
        }
    }
}
