package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ConductorLifecycle.SetupObserver}s around a setup that begins early, while the context is still
 * creating beans: they run on a thread of their own from the first component's setup until
 * {@link ConductorLifecycle#start()} has waited for the last one, so that what they time, trace or report spans
 * the whole setup. An interrupt of that thread cancels the setup, as an interrupt of the thread calling
 * {@code start()} does.
 */
final class ObservedSetup {

    /** How long the first setup waits for the observers to begin before it starts anyway. */
    private static final long ENTER_TIMEOUT_SECONDS = 10;

    private final CountDownLatch entered = new CountDownLatch(1);

    /** Completes with the setup's failure, or {@code null}, once {@code start()} has waited for it. */
    private final CompletableFuture<@Nullable Throwable> outcome = new CompletableFuture<>();

    /** Completes with what the observers threw, or {@code null}, once they returned. */
    private final CompletableFuture<@Nullable Throwable> left = new CompletableFuture<>();

    /**
     * Starts the observers, and returns once they are inside (the setup begins after them), or after a bounded
     * wait.
     */
    ObservedSetup(UnaryOperator<Runnable> observers, Consumer<InterruptedException> onInterrupt) {
        Runnable inside = observers.apply(() -> {
            entered.countDown();
            Throwable failure;
            try {
                failure = outcome.get();
            }
            catch (InterruptedException ex) {
                onInterrupt.accept(ex);
                failure = outcome.join();
            }
            catch (ExecutionException ex) {
                failure = ex.getCause();
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        });
        Thread thread = new Thread(() -> {
            try {
                inside.run();
                left.complete(null);
            }
            catch (Throwable ex) {
                left.complete(ex);
            }
            finally {
                entered.countDown();
            }
        }, "conductor-setup-observers");
        thread.setDaemon(true);
        thread.start();
        try {
            entered.await(ENTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code setup} (which waits for the whole setup) on the calling thread, then lets the observers finish
     * and returns once they did; throws the setup's failure, or what an observer threw instead.
     */
    void finish(Runnable setup) {
        Throwable failure = null;
        try {
            setup.run();
        }
        catch (RuntimeException | Error ex) {
            failure = ex;
        }
        outcome.complete(failure);
        Throwable thrown = left.join();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
    }

    /** Ends the observers of a setup that will not finish (a failed refresh), with its failure if it has one. */
    void abandon(@Nullable ConductorException failure) {
        outcome.complete(failure);
        left.join();
    }
}
