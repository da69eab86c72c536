package dev.conductor.spring.actuate;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeTypeUtils;

/**
 * The {@link ConductorEndpoint} over HTTP: {@code GET /actuator/conductor} answers JSON,
 * {@code ?format=mermaid} a Mermaid flowchart and {@code ?format=dot} a Graphviz digraph, both as
 * {@code text/plain}, in which an arrow points from a component to a dependency. Another format is a
 * {@code 400 Bad Request}.
 */
@EndpointWebExtension(endpoint = ConductorEndpoint.class)
public class ConductorEndpointWebExtension {

    private final ConductorEndpoint endpoint;

    public ConductorEndpointWebExtension(ConductorEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The components as JSON, or the graph as Mermaid or DOT. */
    @ReadOperation
    public WebEndpointResponse<Object> conductor(@Nullable String format) {
        String requested = format == null ? "json" : format.trim().toLowerCase(Locale.ROOT);
        return switch (requested) {
            case "", "json" -> new WebEndpointResponse<>(endpoint.conductor());
            case "mermaid" -> new WebEndpointResponse<>(endpoint.graph().toMermaid(), MimeTypeUtils.TEXT_PLAIN);
            case "dot" -> new WebEndpointResponse<>(endpoint.graph().toDot(), MimeTypeUtils.TEXT_PLAIN);
            default -> new WebEndpointResponse<>("Unknown format '" + format + "': use json, mermaid or dot",
                    WebEndpointResponse.STATUS_BAD_REQUEST, MimeTypeUtils.TEXT_PLAIN);
        };
    }
}
