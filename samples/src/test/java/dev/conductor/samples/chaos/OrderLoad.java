package dev.conductor.samples.chaos;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady order load from several clients, each submitting one order after the other (every 25th request a body
 * that is not JSON, every 10th a read of its last accepted order), and a poller that samples readiness every
 * 20 ms. Tallies every answer; an answer the service must never give (a 500, a 400 for a valid order, a 404 for an
 * accepted order, a 503 without {@code Retry-After} or problem detail, a request cut while no stop was under way,
 * a timeout) is a violation, kept with what it was.
 */
final class OrderLoad implements AutoCloseable {

    /** One readiness sample: when it was sent and answered (epoch ms), and the status (-1: no answer). */
    record Sample(long sentMs, long answeredMs, int status) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI orders;

    private final URI readiness;

    private final AtomicBoolean running = new AtomicBoolean(true);

    /** Set while the drill stops the service (a signal sent, an escalation under way): a cut request is expected. */
    private final AtomicBoolean stopping = new AtomicBoolean();

    private final List<Thread> threads = new ArrayList<>();

    final Set<String> accepted = ConcurrentHashMap.newKeySet();

    final LongAdder refused503 = new LongAdder();

    final LongAdder refusedConnections = new LongAdder();

    final LongAdder rejected400 = new LongAdder();

    final LongAdder cut = new LongAdder();

    final LongAdder reads = new LongAdder();

    final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    OrderLoad(URI base, URI management, int clients) {
        this.orders = base.resolve("/orders");
        this.readiness = management.resolve("/actuator/health/readiness");
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(new Thread(() -> submit(client), "chaos-client-" + c));
        }
        threads.add(new Thread(this::pollReadiness, "chaos-readiness"));
        threads.forEach(Thread::start);
    }

    void stopping(boolean value) {
        stopping.set(value);
    }

    private void submit(int client) {
        String last = null;
        for (long i = 0; running.get(); i++) {
            boolean malformed = i % 25 == 24;
            String body = malformed ? "{\"item\":\"chaos-" + client + "\",\"quantity\":"
                    : "{\"item\":\"chaos-" + client + "-" + i + "\",\"quantity\":1}";
            boolean wasStopping = stopping.get();
            try {
                if (i % 10 == 9 && last != null) {
                    read(last, wasStopping);
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(orders)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202 && !malformed) {
                    last = JsonPath.parse(response.body()).read("$.id", String.class);
                    accepted.add(last);
                }
                else if (status == 400 && malformed && isProblem(response)) {
                    rejected400.increment();
                }
                else if (status == 503 && isProblem(response)
                        && response.headers().firstValue("Retry-After").isPresent()) {
                    refused503.increment();
                    pause(20);
                }
                else {
                    violations.add("POST " + body + " -> " + status + " " + response.headers().firstValue(
                            "Content-Type").orElse("") + " " + response.body());
                }
            }
            catch (ConnectException ex) {
                refusedConnections.increment();
                pause(20);
            }
            catch (HttpTimeoutException ex) {
                violations.add("POST " + body + " -> no answer within 30 s");
            }
            catch (IOException ex) {
                if (wasStopping || stopping.get()) {
                    cut.increment();
                }
                else {
                    violations.add("POST " + body + " -> cut while the service ran: " + ex);
                }
                pause(20);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void read(String id, boolean wasStopping) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(orders.resolve("/orders/" + id))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200 || (status == 503 && isProblem(response))) {
            reads.increment();
        }
        else {
            violations.add("GET /orders/" + id + " -> " + status + " " + response.body());
        }
    }

    private static boolean isProblem(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    private void pollReadiness() {
        while (running.get()) {
            long sent = System.currentTimeMillis();
            int status;
            try {
                status = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            catch (IOException ex) {
                status = -1;
            }
            catch (InterruptedException ex) {
                return;
            }
            samples.add(new Sample(sent, System.currentTimeMillis(), status));
            pause(20);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    long requests() {
        return accepted.size() + refused503.sum() + refusedConnections.sum() + rejected400.sum() + cut.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }
}
