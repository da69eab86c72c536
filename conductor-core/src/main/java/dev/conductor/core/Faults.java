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

    /** One kind of fault for one step of one component. */
    private record Fault(int times, Supplier<? extends Exception> failure, boolean hang, Duration delay) {
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
        setup.put(component, new Fault(times, Objects.requireNonNull(failure, "failure"), false, null));
        return this;
    }

    /** Makes the component's next setup block until it is interrupted (by its timeout) or {@link #release()}. */
    public Faults hangSetup(Class<? extends Component> type) {
        return hangSetup(name(type));
    }

    /** As {@link #hangSetup(Class)}, for a component of an engine, by name. */
    public Faults hangSetup(String component) {
        setup.put(Objects.requireNonNull(component, "component"), new Fault(1, null, true, null));
        return this;
    }

    /** Makes the component's next shutdown block until it is interrupted (by its timeout) or released. */
    public Faults hangShutdown(Class<? extends Component> type) {
        return hangShutdown(name(type));
    }

    /** As {@link #hangShutdown(Class)}, for a component of an engine, by name. */
    public Faults hangShutdown(String component) {
        shutdown.put(Objects.requireNonNull(component, "component"), new Fault(1, null, true, null));
        return this;
    }

    /** Makes the component's setups take {@code delay} longer, until {@link #clear()}. */
    public Faults slowSetup(Class<? extends Component> type, Duration delay) {
        return slowSetup(name(type), delay);
    }

    /** As {@link #slowSetup(Class, Duration)}, for a component of an engine, by name. */
    public Faults slowSetup(String component, Duration delay) {
        setup.put(Objects.requireNonNull(component, "component"), new Fault(Integer.MAX_VALUE, null, false,
                Durations.requirePositive(delay, "delay")));
        return this;
    }

    /** Makes the component's shutdowns take {@code delay} longer, until {@link #clear()}. */
    public Faults slowShutdown(Class<? extends Component> type, Duration delay) {
        return slowShutdown(name(type), delay);
    }

    /** As {@link #slowShutdown(Class, Duration)}, for a component of an engine, by name. */
    public Faults slowShutdown(String component, Duration delay) {
        shutdown.put(Objects.requireNonNull(component, "component"), new Fault(Integer.MAX_VALUE, null, false,
                Durations.requirePositive(delay, "delay")));
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
        Fault fault = faults.get(component);
        if (fault == null) {
            return;
        }
        if (fault.times() != Integer.MAX_VALUE) {
            Fault rest = fault.times() == 1 ? null : new Fault(fault.times() - 1, fault.failure(), fault.hang(),
                    fault.delay());
            if (rest == null ? !faults.remove(component, fault) : !faults.replace(component, fault, rest)) {
                before(component, isSetup); // another thread used it meanwhile
                return;
            }
        }
        if (fault.delay() != null) {
            TimeUnit.NANOSECONDS.sleep(Durations.saturatedNanos(fault.delay()));
        }
        if (fault.hang()) {
            released.await(); // the latch current when the hang began
        }
        if (fault.failure() != null) {
            throw fault.failure().get();
        }
    }
}
