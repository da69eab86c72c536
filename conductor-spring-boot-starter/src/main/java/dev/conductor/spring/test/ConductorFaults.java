package dev.conductor.spring.test;

import dev.conductor.core.Component;
import dev.conductor.core.Faults;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Fault injection for a {@code @SpringBootTest}: make a component fail its next setups, hang or be slow in its
 * setup or shutdown, or fail while running, and watch how the application copes (rollback, retries, timeouts,
 * restarts by its supervision). Every test context holds one, registered by Conductor's test support next to the
 * application's beans; {@code @Autowired} it:
 *
 * <pre>{@code
 * @SpringBootTest
 * class BrokerOutageTests {
 *
 *     @Autowired
 *     ConductorFaults faults;
 *
 *     @Test
 *     void theBrokerIsRestartedWithItsDependents() {
 *         faults.failWhileRunning(MessageQueue.class, new IOException("broker gone"));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Components are named by type (the single {@code @ConductorComponent} bean of that type) or by bean name. The
 * faults act before the component's own setup or shutdown runs, and are scoped to one test method: those not used
 * up are cleared after each test method, so they do not leak into other tests that share the cached context.
 * Setup faults take effect at the next setup: a restart (by supervision or the {@code conductor} endpoint) or the
 * setup after a paused context is started again. Faults of different kinds for one component combine (slowed, then
 * hanging, then failing); one of the same kind replaces the one before. {@link #release()} lets the hangs under way go on; a hang that
 * begins afterwards waits for the next release.
 */
public final class ConductorFaults {

    private final Faults faults;

    private final ListableBeanFactory beanFactory;

    ConductorFaults(Faults faults, ListableBeanFactory beanFactory) {
        this.faults = faults;
        this.beanFactory = beanFactory;
    }

    /** Makes the next {@code times} setups of the component throw an {@code IllegalStateException}. */
    public ConductorFaults failNextSetups(Class<? extends Component> type, int times) {
        return failNextSetups(name(type), times);
    }

    /** As {@link #failNextSetups(Class, int)}, by bean name. */
    public ConductorFaults failNextSetups(String component, int times) {
        return failNextSetups(component, times, () -> new IllegalStateException("injected setup failure of '"
                + component + "'"));
    }

    /**
     * Makes the next {@code times} setups of the component throw what {@code failure} supplies: with
     * {@code conductor.setup-retry.includes} set, supply one of those types to see the failure retried.
     */
    public ConductorFaults failNextSetups(Class<? extends Component> type, int times,
            Supplier<? extends Exception> failure) {
        return failNextSetups(name(type), times, failure);
    }

    /** As {@link #failNextSetups(Class, int, Supplier)}, by bean name. */
    public ConductorFaults failNextSetups(String component, int times, Supplier<? extends Exception> failure) {
        faults.failNextSetups(component, times, failure);
        return this;
    }

    /** Makes the component's next setup block until it is interrupted (by its timeout) or {@link #release()}. */
    public ConductorFaults hangSetup(Class<? extends Component> type) {
        faults.hangSetup(name(type));
        return this;
    }

    /** Makes the component's next shutdown block until it is interrupted (by its timeout) or released. */
    public ConductorFaults hangShutdown(Class<? extends Component> type) {
        faults.hangShutdown(name(type));
        return this;
    }

    /** Makes the component's setups take {@code delay} longer, until the end of the test. */
    public ConductorFaults slowSetup(Class<? extends Component> type, Duration delay) {
        faults.slowSetup(name(type), delay);
        return this;
    }

    /** Makes the component's shutdowns take {@code delay} longer, until the end of the test. */
    public ConductorFaults slowShutdown(Class<? extends Component> type, Duration delay) {
        faults.slowShutdown(name(type), delay);
        return this;
    }

    /**
     * Reports that the running component failed, as its {@code ComponentFailures} reporter would: its supervision
     * decides what happens.
     *
     * @throws IllegalStateException when the components have not been set up yet
     */
    public void failWhileRunning(Class<? extends Component> type, Throwable cause) {
        failWhileRunning(name(type), cause);
    }

    /** As {@link #failWhileRunning(Class, Throwable)}, by bean name. */
    public void failWhileRunning(String component, Throwable cause) {
        faults.failWhileRunning(component, Objects.requireNonNull(cause, "cause"));
    }

    /** Lets every hanging setup or shutdown go on. */
    public void release() {
        faults.release();
    }

    /** Removes every fault not yet used up; done after each test method. */
    public void clear() {
        faults.clear();
    }

    private String name(Class<? extends Component> type) {
        String[] names = beanFactory.getBeanNamesForType(Objects.requireNonNull(type, "type"), true, false);
        if (names.length != 1) {
            throw new IllegalArgumentException("Cannot inject a fault into " + type.getName() + ": "
                    + (names.length == 0 ? "there is no bean of that type"
                            : "the beans " + Arrays.toString(names) + " have that type")
                    + ". Name the component by its bean name instead.");
        }
        return names[0];
    }
}
