package dev.conductor.samples.plain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conductor.core.Component;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * An HTTP server on the JDK's built-in server: {@code POST /orders} with the item as the body answers the new
 * order's id, {@code GET /orders/{id}} its status. Dependencies come by constructor.
 */
class WebApi implements Component {

    private final Database database;

    private final MessageQueue queue;

    private HttpServer server;

    WebApi(Database database, MessageQueue queue) {
        this.database = database;
        this.queue = queue;
    }

    static int configuredPort() {
        return Integer.getInteger("plain.port", 8081);
    }

    /** The port to bind: {@link #configuredPort()}; a test's replacement may ask for any free one (0). */
    int requestedPort() {
        return configuredPort();
    }

    @Override
    public void setup() throws IOException {
        server = HttpServer.create(new InetSocketAddress(requestedPort()), 0);
        server.createContext("/orders", this::handle);
        server.start();
    }

    @Override
    public void shutdown() {
        // Stops accepting at once, then gives the exchanges in flight up to a second to finish
        server.stop(1);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        }
        catch (SQLException | NumberFormatException ex) {
            respond(exchange, 400, ex.getMessage() + "\n");
        }
        finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException, SQLException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.equals("/orders")) {
            String item = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
            long id = database.insert(item);
            queue.send(id);
            respond(exchange, 202, id + "\n");
        }
        else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/orders/")) {
            String status = database.status(Long.parseLong(path.substring("/orders/".length())));
            respond(exchange, status == null ? 404 : 200, (status == null ? "not found" : status) + "\n");
        }
        else {
            respond(exchange, 404, "POST /orders or GET /orders/{id}\n");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
