package dev.conductor.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Fault injection for tests: makes a component fail its next setups, hang or be slow in its setup or shutdown,
 * or fail while running, so that a test can watch how the application copes (rollback, retries, timeouts,
 * restarts). Faults act before the component's own {@code setup()} or {@code shutdown()} runs; the component
 * itself is untouched. One instance belongs to one test: attach it to the conductor or engine the test builds,
 * and nothing leaks into other tests.
 *
 * <pre>{@code
 * Faults faults = new Faults();
 * Conductor conductor = Conductor.builder().faults(faults)
 *         .setupRetry(RetryPolicy.builder().maxRetries(3).delay(Duration.ZERO).build()).build();
 * conductor.add(WebApi.class);
 * faults.failNextSetups(Database.class, 2);     // the third attempt succeeds
 * conductor.setup();
 * faults.failWhileRunning(MessageQueue.class, new IOException("broker gone"));
 * }</pre>
 *
 * <p>The faults of one component combine: a setup that is slowed, set to hang and set to fail is slowed, then
 * hangs, then fails. A fault of the same kind replaces the one given before ({@code failNextSetups(type, 2)} after
 * {@code failNextSetups(type, 5)} leaves 2 failures).
 *
 * <p>Components are named by class (resolved as the conductor names them, a patched type by the type it replaces)
 * or, with a {@link LifecycleEngine}, by their name.
 */
public final class Faults {

    private final Map<String, Fault> setup = new ConcurrentHashMap<>();

    private final Map<String, Fault> shutdown = new ConcurrentHashMap<>();

    /** What the hangs injected so far wait for; replaced on every release, so that later hangs hang again. */
    private volatile CountDownLatch released = new CountDownLatch(1);

    private volatile Function<Class<?>, String> names = type -> type.getSimpleName();

    private volatile BiConsumer<String, Throwable> reporter;

    /**
     * The faults of one step of one component, each kind independent of the others: the next {@code failures}
     * calls throw, the next call hangs, every call is slowed by {@code delay}.
     */
    private record Fault(int failures, Supplier<? extends Exception> failure, boolean hang, Duration delay) {

        static final Fault NONE = new Fault(0, null, false, null);

        Fault failing(int times, Supplier<? extends Exception> what) {
            return new Fault(times, what, hang, delay);
        }

        Fault hanging() {
            return new Fault(failures, failure, true, delay);
        }

        Fault slowedBy(Duration by) {
            return new Fault(failures, failure, hang, by);
        }

        /** What is left once one call used it; {@code null} when nothing is. */
        Fault used() {
            Fault rest = new Fault(Math.max(0, failures - 1), failures > 1 ? failure : null, false, delay);
            return rest.failures == 0 && rest.delay == null ? null : rest;
        }
    }

    private static void add(Map<String, Fault> faults, String component, UnaryOperator<Fault> change) {
        faults.compute(Objects.requireNonNull(component, "component"),
                (name, fault) -> change.apply(fault == null ? Fault.NONE : fault));
    }

    /** Makes the next {@code times} setups of the component throw an {@code IllegalStateException}. */
    public Faults failNextSetups(Class<? extends Component> type, int times) {
        return failNextSetups(type, times, () -> new IllegalStateException("injected setup failure"));
    }

    /** Makes the next {@code times} setups of the component throw what {@code failure} supplies. */
    public Faults failNextSetups(Class<? extends Component> type, int times, Supplier<? extends Exception> failure) {
        return failNextSetups(name(type), times, failure);
    }

    /** As {@link #failNextSetups(Class, int, Supplier)}, for a component of an engine, by name. */
    public Faults failNextSetups(String component, int times, Supplier<? extends Exception> failure) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, but was " + times);
        }
        Objects.requireNonNull(failure, "failure");
        add(setup, component, fault -> fault.failing(times, failure));
        return this;
    }

    /** Makes the component's next setup block until it is interrupted (by its timeout) or {@link #release()}. */
    public Faults hangSetup(Class<? extends Component> type) {
        return hangSetup(name(type));
    }

    /** As {@link #hangSetup(Class)}, for a component of an engine, by name. */
    public Faults hangSetup(String component) {
        add(setup, component, Fault::hanging);
        return this;
    }

    /** Makes the component's next shutdown block until it is interrupted (by its timeout) or released. */
    public Faults hangShutdown(Class<? extends Component> type) {
        return hangShutdown(name(type));
    }

    /** As {@link #hangShutdown(Class)}, for a component of an engine, by name. */
    public Faults hangShutdown(String component) {
        add(shutdown, component, Fault::hanging);
        return this;
    }

    /** Makes the component's setups take {@code delay} longer, until {@link #clear()}. */
    public Faults slowSetup(Class<? extends Component> type, Duration delay) {
        return slowSetup(name(type), delay);
    }

    /** As {@link #slowSetup(Class, Duration)}, for a component of an engine, by name. */
    public Faults slowSetup(String component, Duration delay) {
        Duration by = Durations.requirePositive(delay, "delay");
        add(setup, component, fault -> fault.slowedBy(by));
        return this;
    }

    /** Makes the component's shutdowns take {@code delay} longer, until {@link #clear()}. */
    public Faults slowShutdown(Class<? extends Component> type, Duration delay) {
        return slowShutdown(name(type), delay);
    }

    /** As {@link #slowShutdown(Class, Duration)}, for a component of an engine, by name. */
    public Faults slowShutdown(String component, Duration delay) {
        Duration by = Durations.requirePositive(delay, "delay");
        add(shutdown, component, fault -> fault.slowedBy(by));
        return this;
    }

    /**
     * Reports that the running component failed, as its {@link FailureReporter} would: its supervision policy
     * decides what happens.
     *
     * @throws IllegalStateException when these faults are not attached to a conductor or engine yet
     */
    public void failWhileRunning(Class<? extends Component> type, Throwable cause) {
        failWhileRunning(name(type), cause);
    }

    /** As {@link #failWhileRunning(Class, Throwable)}, for a component of an engine, by name. */
    public void failWhileRunning(String component, Throwable cause) {
        BiConsumer<String, Throwable> current = reporter;
        if (current == null) {
            throw new IllegalStateException("These faults are not attached: pass them to Conductor.builder().faults()"
                    + " or LifecycleEngine.builder().faults() first");
        }
        current.accept(component, cause);
    }

    /** Lets every hanging setup or shutdown go on; hangs injected afterwards hang again until the next release. */
    public synchronized void release() {
        CountDownLatch current = released;
        released = new CountDownLatch(1);
        current.countDown();
    }

    /** Removes every fault not yet used up. */
    public void clear() {
        setup.clear();
        shutdown.clear();
    }

    void attach(Function<Class<?>, String> names, BiConsumer<String, Throwable> reporter) {
        this.names = names;
        this.reporter = reporter;
    }

    private String name(Class<?> type) {
        return names.apply(Objects.requireNonNull(type, "type"));
    }

    /** Runs the fault for a component's step, if there is one, before the step itself. */
    void before(String component, boolean isSetup) throws Exception {
        Map<String, Fault> faults = isSetup ? setup : shutdown;
        if (faults.isEmpty()) {
            return;
        }
        Fault[] taken = new Fault[1];
        faults.computeIfPresent(component, (name, fault) -> {
            taken[0] = fault;
            return fault.used();
        });
        Fault fault = taken[0];
        if (fault == null) {
            return;
        }
        if (fault.delay() != null) {
            TimeUnit.NANOSECONDS.sleep(Durations.saturatedNanos(fault.delay()));
        }
        if (fault.hang()) {
            released.await(); // the latch current when the hang began
        }
        if (fault.failures() > 0) {
            throw fault.failure().get();
        }
    }
}
