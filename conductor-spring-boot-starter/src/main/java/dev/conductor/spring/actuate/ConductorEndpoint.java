package dev.conductor.spring.actuate;

import dev.conductor.core.ComponentGraph;
import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import dev.conductor.core.StartupReport;
import dev.conductor.core.StartupReport.ComponentReport;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code conductor} actuator endpoint: every component with its dependencies, tier, state and its setup and
 * shutdown durations, plus the tiers and the critical path of the last setup. Read-only. Over HTTP
 * ({@code /actuator/conductor}, once exposed with {@code management.endpoints.web.exposure.include=conductor})
 * {@code ?format=mermaid} and {@code ?format=dot} render the graph instead, and {@code ?format=svg} draws the
 * setup as a timeline (or, with {@code &view=shutdown} or {@code &view=graph}, the shutdown or the graph); see
 * {@link ConductorEndpointWebExtension}.
 *
 * <p>A write operation ({@code POST /actuator/conductor/{component}}) restarts one component with its dependents,
 * as its supervision would, and answers once they are all set up again. The endpoint's default access is
 * {@link Access#READ_ONLY}, which refuses it: allow it with {@code management.endpoint.conductor.access=unrestricted},
 * preferably on a management port ({@code management.server.port}) that only operators reach. Under the same
 * rules, {@code POST /actuator/conductor/roles/{role}} gives this replica's leadership of a role up.
 */
@Endpoint(id = "conductor", defaultAccess = Access.READ_ONLY)
public class ConductorEndpoint {

    private final ConductorLifecycle lifecycle;

    public ConductorEndpoint(ConductorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** The components and the timings of their last setup and shutdown. */
    @ReadOperation
    public ConductorDescriptor conductor() {
        LifecycleEngine engine = lifecycle.getEngine();
        if (engine == null) {
            return new ConductorDescriptor(false, null, List.of(), List.of(), List.of());
        }
        StartupReport report = engine.report();
        List<ComponentDescriptor> components = report.components().stream()
                .map(component -> ComponentDescriptor.of(component, engine.roleOf(component.name()))).toList();
        Long setupTime = report.criticalPath().isEmpty() ? null : millis(report.setupTime());
        List<RoleDescriptor> roles = engine.leaderships().stream().map(RoleDescriptor::of).toList();
        return new ConductorDescriptor(engine.isActive(), setupTime, report.criticalPath(), report.tiers(),
                components, roles);
    }

    /**
     * Gives up this replica's leadership of {@code role}, if it holds it ({@code POST /actuator/conductor/roles/{role}}):
     * the role's components are shut down in reverse order, then the election is told, so that another replica
     * takes the role; this one stays a candidate. Answers at once, before the hand-over is done.
     *
     * @param section {@code roles}
     * @param role the role to give up
     * @throws IllegalArgumentException when {@code section} is not {@code roles}, or no component has the role
     * @throws IllegalStateException when the components have not been set up yet
     */
    @WriteOperation
    public ConductorDescriptor yieldLeadership(@Selector String section, @Selector String role) {
        if (!"roles".equals(section)) {
            throw new IllegalArgumentException("Unknown section '" + section + "': POST /actuator/conductor/roles/"
                    + role + " gives the role up");
        }
        LifecycleEngine engine = lifecycle.getEngine();
        if (engine == null) {
            throw new IllegalStateException("Cannot give role '" + role + "' up: the components have not been set"
                    + " up yet");
        }
        engine.yieldLeadership(role);
        return conductor();
    }

    /**
     * Restarts {@code component} with its transitive dependents, and answers the components once they are all set
     * up again.
     *
     * @throws IllegalArgumentException when there is no such component
     * @throws IllegalStateException when the components are not set up, or are shutting down
     * @throws dev.conductor.core.ComponentSetupException when the restart's setup failed: the component and its
     *         dependents stay down
     */
    @WriteOperation
    public ConductorDescriptor restart(@Selector String component) {
        LifecycleEngine engine = lifecycle.getEngine();
        if (engine == null) {
            throw new IllegalStateException("Cannot restart '" + component + "': the components have not been set"
                    + " up yet");
        }
        if (!engine.graph().names().contains(component)) {
            throw new IllegalArgumentException("No component named '" + component + "'. Known components: "
                    + engine.graph().names());
        }
        engine.restart(component);
        return conductor();
    }

    /** The report of the current or last lifecycle; empty until the components were first set up. */
    StartupReport report() {
        LifecycleEngine engine = lifecycle.getEngine();
        return engine != null ? engine.report() : new StartupReport(Duration.ZERO, List.of(), List.of());
    }

    /** The component graph; empty until the components were first set up. */
    ComponentGraph graph() {
        LifecycleEngine engine = lifecycle.getEngine();
        return engine != null ? engine.graph() : ComponentGraph.builder().build();
    }

    private static @Nullable Long millis(@Nullable Duration duration) {
        return duration != null ? duration.toMillis() : null;
    }

    /**
     * What the endpoint reports.
     *
     * @param active whether every component is set up and none has started to shut down
     * @param setupTimeMs how long the last setup took, in milliseconds; {@code null} before any component finished
     * @param criticalPath the chain of dependencies that bounded the setup time, the first set up first
     * @param tiers the component names by tier: element 0 holds the components without dependencies
     * @param components every component, in the order of the graph
     * @param roles this replica's leadership of each role of the leader-only components; empty without any
     */
    public record ConductorDescriptor(boolean active, @Nullable Long setupTimeMs, List<String> criticalPath,
            List<List<String>> tiers, List<ComponentDescriptor> components, List<RoleDescriptor> roles)
            implements OperationResponseBody {

        /** Without leader-only components. */
        public ConductorDescriptor(boolean active, @Nullable Long setupTimeMs, List<String> criticalPath,
                List<List<String>> tiers, List<ComponentDescriptor> components) {
            this(active, setupTimeMs, criticalPath, tiers, components, List.of());
        }
    }

    /**
     * This replica's leadership of one role.
     *
     * @param role the role
     * @param state FOLLOWER, STARTING (granted, its components setting up), LEADER or STOPPING
     * @param leader whether this replica holds the role
     * @param since when the current state began (ISO-8601)
     * @param fencingToken the token of this replica's latest grant; {@code null} if never granted
     * @param grants how often the role was granted to this replica
     * @param revocations how often the election took it back
     * @param yields how often this replica gave it up
     * @param handOvers revocations plus yields
     * @param lastFailure why the role's components last failed to set up, or the election failed
     */
    public record RoleDescriptor(String role, String state, boolean leader, @Nullable String since,
            @Nullable Long fencingToken, long grants, long revocations, long yields, long handOvers,
            @Nullable String lastFailure) {

        static RoleDescriptor of(Leadership leadership) {
            Leadership.Status status = leadership.status();
            return new RoleDescriptor(status.role(), status.state().name(), leadership.isLeader(),
                    status.since() != null ? status.since().toString() : null,
                    status.grants() > 0 ? status.fencingToken() : null, status.grants(), status.revocations(),
                    status.yields(), status.handOvers(),
                    status.lastFailure() != null ? String.valueOf(status.lastFailure()) : null);
        }
    }

    /**
     * One component.
     *
     * @param name its bean name
     * @param state its state: NEW, SETTING_UP, ACTIVE, SHUTTING_DOWN, STOPPED or FAILED
     * @param tier its depth in the graph, 0 without dependencies
     * @param dependencies the components it depends on
     * @param setupStartMs when its setup started, in milliseconds from the start of the whole setup
     * @param setupDurationMs how long its setup took, in milliseconds
     * @param shutdownDurationMs how long its shutdown took, in milliseconds
     * @param failure why its setup or shutdown failed
     * @param setupAttempts how many attempts its setup took (more than 1 when it was retried); 0 before it started
     * @param restarts how many times it was restarted (by its supervision or by this endpoint)
     * @param runtimeFailure the last failure it reported while running
     * @param leaderOnly the role it is leader-only for; {@code null} for a component every replica runs
     */
    public record ComponentDescriptor(String name, String state, int tier, List<String> dependencies,
            @Nullable Long setupStartMs, @Nullable Long setupDurationMs, @Nullable Long shutdownDurationMs,
            @Nullable String failure, int setupAttempts, int restarts, @Nullable String runtimeFailure,
            @Nullable String leaderOnly) {

        static ComponentDescriptor of(ComponentReport component, @Nullable String role) {
            return new ComponentDescriptor(component.name(), component.state().name(), component.tier(),
                    component.dependencies(), millis(component.setupStart()), millis(component.setupDuration()),
                    millis(component.shutdownDuration()),
                    component.failure() != null ? String.valueOf(component.failure()) : null,
                    component.attempts().size(), component.restarts(),
                    component.runtimeFailure() != null ? String.valueOf(component.runtimeFailure()) : null, role);
        }
    }
}
