package dev.conductor.spring.actuate;

import dev.conductor.core.BootTimeline;
import dev.conductor.core.ConductorException;
import dev.conductor.core.StartupReport.SvgView;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * The {@link ConductorEndpoint} over HTTP: {@code GET /actuator/conductor} answers JSON,
 * {@code ?format=mermaid} a Mermaid flowchart and {@code ?format=dot} a Graphviz digraph, both as
 * {@code text/plain}, in which an arrow points from a component to a dependency. {@code ?format=svg} answers a
 * self-contained picture as {@code image/svg+xml} for a browser: the timeline of the last setup (the default,
 * {@code view=timeline}), of the last shutdown or rollback ({@code view=shutdown}), or the dependency graph by
 * tier ({@code view=graph}), or the application's whole start from the JVM's start to ready with Conductor's
 * setup inside it ({@code view=boot}; a {@code 404 Not Found} when the start was not recorded). Another format or
 * view is a {@code 400 Bad Request}.
 *
 * <p>{@code POST /actuator/conductor/{component}} restarts the component with its dependents (when the endpoint's
 * access allows writes) and answers the components as JSON; an unknown component is a {@code 404 Not Found}, a
 * restart refused because the components are not set up a {@code 409 Conflict}, and a failed restart a
 * {@code 500 Internal Server Error} with the failure as text. {@code POST /actuator/conductor/roles/{role}} gives
 * this replica's leadership of a role up; an unknown role is a {@code 404 Not Found}.
 */
@EndpointWebExtension(endpoint = ConductorEndpoint.class)
public class ConductorEndpointWebExtension {

    /** The content type of the pictures. */
    static final MimeType IMAGE_SVG = MimeType.valueOf("image/svg+xml");

    private final ConductorEndpoint endpoint;

    private final Supplier<@Nullable BootTimeline> boot;

    public ConductorEndpointWebExtension(ConductorEndpoint endpoint) {
        this(endpoint, () -> null);
    }

    /**
     * @param boot the application's whole start so far, for {@code view=boot}; {@code null} when it was not
     *        recorded (a context not started by {@code SpringApplication})
     */
    public ConductorEndpointWebExtension(ConductorEndpoint endpoint, Supplier<@Nullable BootTimeline> boot) {
        this.endpoint = endpoint;
        this.boot = boot;
    }

    /** The components as JSON, the graph as Mermaid or DOT, or a picture of the setup, shutdown or graph. */
    @ReadOperation
    public WebEndpointResponse<Object> conductor(@Nullable String format, @Nullable String view) {
        String requested = normalize(format, "json");
        return switch (requested) {
            case "json" -> new WebEndpointResponse<>(endpoint.conductor());
            case "mermaid" -> new WebEndpointResponse<>(endpoint.graph().toMermaid(), MimeTypeUtils.TEXT_PLAIN);
            case "dot" -> new WebEndpointResponse<>(endpoint.graph().toDot(), MimeTypeUtils.TEXT_PLAIN);
            case "svg" -> picture(view);
            default -> badRequest("Unknown format '" + format + "': use json, mermaid, dot or svg");
        };
    }

    /** Restarts one component with its dependents. */
    @WriteOperation
    public WebEndpointResponse<Object> restart(@Selector String component) {
        if (!endpoint.graph().names().contains(component)) {
            return new WebEndpointResponse<>("No component named '" + component + "'. Known components: "
                    + endpoint.graph().names(), WebEndpointResponse.STATUS_NOT_FOUND, MimeTypeUtils.TEXT_PLAIN);
        }
        try {
            return new WebEndpointResponse<>(endpoint.restart(component));
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(ex.getMessage(), 409, MimeTypeUtils.TEXT_PLAIN);
        }
        catch (ConductorException ex) {
            return new WebEndpointResponse<>(ex.getMessage(), WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR,
                    MimeTypeUtils.TEXT_PLAIN);
        }
    }

    /** Gives this replica's leadership of a role up ({@code POST /actuator/conductor/roles/{role}}). */
    @WriteOperation
    public WebEndpointResponse<Object> yieldLeadership(@Selector String section, @Selector String role) {
        try {
            return new WebEndpointResponse<>(endpoint.yieldLeadership(section, role));
        }
        catch (IllegalArgumentException ex) {
            return new WebEndpointResponse<>(ex.getMessage(), WebEndpointResponse.STATUS_NOT_FOUND,
                    MimeTypeUtils.TEXT_PLAIN);
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(ex.getMessage(), 409, MimeTypeUtils.TEXT_PLAIN);
        }
    }

    private WebEndpointResponse<Object> picture(@Nullable String view) {
        SvgView picture = switch (normalize(view, "timeline")) {
            case "timeline" -> SvgView.TIMELINE;
            case "shutdown" -> SvgView.SHUTDOWN_TIMELINE;
            case "graph" -> SvgView.GRAPH;
            default -> null;
        };
        if ("boot".equals(normalize(view, "timeline"))) {
            BootTimeline timeline = boot.get();
            if (timeline == null) {
                return new WebEndpointResponse<>("The application's start was not recorded: the picture of the"
                        + " whole start needs an application started with SpringApplication.",
                        WebEndpointResponse.STATUS_NOT_FOUND, MimeTypeUtils.TEXT_PLAIN);
            }
            return new WebEndpointResponse<>(timeline.toSvg(), IMAGE_SVG);
        }
        if (picture == null) {
            return badRequest("Unknown view '" + view + "': use timeline, shutdown, graph or boot");
        }
        return new WebEndpointResponse<>(endpoint.report().toSvg(picture), IMAGE_SVG);
    }

    private static String normalize(@Nullable String value, String absent) {
        String trimmed = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return trimmed.isEmpty() ? absent : trimmed;
    }

    private static WebEndpointResponse<Object> badRequest(String message) {
        return new WebEndpointResponse<>(message, WebEndpointResponse.STATUS_BAD_REQUEST, MimeTypeUtils.TEXT_PLAIN);
    }
}
