package dev.conductor.samples.orders;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Answers {@code 503} with {@code Retry-After}, as the order API does, to a request that Tomcat's connector read just
 * as the graceful shutdown paused it, where Tomcat itself answers {@code 400} with its HTML error page.
 *
 * <p>Tomcat (11.0.27 and 11.0.29 checked) looks at its pause flag once before it reads a request line and again
 * after: when the pause lands in between, it means to answer {@code 503} and skips reading the headers, but then
 * finds no {@code Host} header in the request it did not read and answers {@code 400 Bad Request} instead. A client
 * takes a {@code 400} as "do not send this again", so a valid order would be dropped by a client doing the right
 * thing. Such a request reaches the engine's valves with the {@code 400} already set, no {@code Host} header and the
 * connector paused: that is the only request this valve answers, and it closes the connection as Tomcat would have.
 * A {@code 400} for a request missing its {@code Host} while the connector is not paused is left to Tomcat.
 */
final class PausedConnectorRefusal extends ValveBase {

    private static final Log logger = LogFactory.getLog(PausedConnectorRefusal.class);

    PausedConnectorRefusal() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (isCutShortByThePause(request, response)) {
            refuse(request, response);
            return;
        }
        getNext().invoke(request, response);
    }

    private static boolean isCutShortByThePause(Request request, Response response) {
        return response.getStatus() == 400 && request.getHeader(HttpHeaders.HOST) == null
                && request.getConnector() != null
                && request.getConnector().getProtocolHandler() instanceof AbstractProtocol<?> protocol
                && protocol.isPaused();
    }

    private static void refuse(Request request, Response response) throws IOException {
        if (logger.isDebugEnabled()) {
            logger.debug("Answered 503, not Tomcat's 400, to " + request.getMethod() + " " + request.getRequestURI()
                    + ": read as the connector paused for the shutdown");
        }
        response.resetError();
        response.reset();
        response.setStatus(503);
        response.setHeader(HttpHeaders.RETRY_AFTER, OrderApiErrors.RETRY_AFTER);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        response.getWriter().write("{\"detail\":\"" + WebApi.CLOSED_FOR_READS + "\",\"instance\":\""
                + jsonString(request.getRequestURI()) + "\",\"status\":503,\"title\":\"Service Unavailable\"}");
    }

    private static String jsonString(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            }
            else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
