package dev.conductor.samples.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box tests of the sample order service, run as an operator would: the packaged jar as a child JVM, on free
 * ports bound to 127.0.0.1, with real signals. Only the promises of README.md, RELIABILITY.md, samples/README.md and
 * issue 22 are checked; nothing of the implementation is used.
 *
 * <p>A JVM start costs most of the time here (about 9 s on a loaded 2-core machine), so the scenarios run in order
 * on one data directory and hand their last JVM life on: a scenario that ends with SIGTERM starts the next life to
 * check its orders, and the next scenario runs on that life. Each life after the first is thus also one more start
 * on the same data. A scenario that finds no ready life (the one before it failed) starts its own.
 */
@DisabledOnOs(OS.WINDOWS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorBlackBoxIT {

    private static final Path JAR = Paths.get("target", "conductor-samples.jar").toAbsolutePath();
    private static final Path LOGS = Paths.get("target", "blackbox").toAbsolutePath();
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s", Pattern.MULTILINE);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"processingCount\"\\s*:\\s*(\\d+)");
    private static final String ORDER = "{\"item\":\"espresso machine\",\"quantity\":1}";

    /** One data directory for every scenario: each life runs on what the lives before it left. */
    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Service> started = new ArrayList<>();
    private int lives;
    /** The life the last scenario handed on, ready; {@code null} when it handed none on. */
    private Service current;
    /** Every order answered 202 in this class, on the one data directory. */
    private final Set<String> allAccepted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void logs() throws IOException {
        Files.createDirectories(LOGS);
    }

    @AfterAll
    void killAll() {
        for (Service s : started) {
            s.process.destroyForcibly();
        }
    }

    /** The life handed on by the scenario before, when it is alive and ready; otherwise a new one. */
    private Service current(String name) throws Exception {
        Service s = current;
        current = null;
        if (s != null && s.process.isAlive()) {
            try {
                if (get(s.mgmt("/actuator/health/readiness")).statusCode() == 200) {
                    return s;
                }
            } catch (IOException notServing) {
                // start a new one
            }
            s.process.destroyForcibly();
            s.process.waitFor(30, TimeUnit.SECONDS);
        }
        return startReady(name);
    }

    /** Hands a life on to the next scenario (started by this one to check its orders). */
    private void handOn(Service s) {
        current = s;
    }

    /** Kills a life that was not handed on (the scenario failed), so that the next one has the data to itself. */
    private void discard(Service s) throws InterruptedException {
        if (s != null && s != current) {
            s.process.destroyForcibly();
            s.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- the service as a child process

    final class Service {
        final Process process;
        final int port;
        final int mgmtPort;
        final Path log;

        Service(Process process, int port, int mgmtPort, Path log) {
            this.process = process;
            this.port = port;
            this.mgmtPort = mgmtPort;
            this.log = log;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        URI mgmt(String path) {
            return URI.create("http://127.0.0.1:" + mgmtPort + path);
        }

        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        long logLength() {
            try {
                return Files.size(log);
            } catch (IOException e) {
                return 0;
            }
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("the service did not exit within " + timeout + "; log " + log);
            }
            return process.exitValue();
        }
    }

    private Service start(String name, String... extra) throws Exception {
        int port = freePort();
        int mgmtPort = freePort();
        Path log = LOGS.resolve(name + "-" + (++lives) + ".log");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--management.server.port=" + mgmtPort, "--management.server.address=127.0.0.1",
                "--management.endpoint.conductor.access=unrestricted",
                "--orders.data-dir=" + dataDir, "--orders.workers=4", "--orders.processing-time=1ms",
                "--conductor.readiness.check-interval=250ms", "--orders.chaos.enabled=true"));
        cmd.addAll(List.of(extra));
        if (Runtime.version().feature() >= 24) {
            cmd.add(1, "--sun-misc-unsafe-memory-access=allow");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Service s = new Service(p, port, mgmtPort, log);
        started.add(s);
        return s;
    }

    private void awaitReady(Service s, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!s.process.isAlive()) {
                fail("the service died while starting, exit " + s.process.exitValue() + ":\n" + tail(s.log(), 40));
            }
            try {
                if (get(s.mgmt("/actuator/health/readiness")).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("the service was not ready within " + timeout + ":\n" + tail(s.log(), 40));
    }

    private Service startReady(String name, String... extra) throws Exception {
        Service s = start(name, extra);
        awaitReady(s, Duration.ofSeconds(60));
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    private static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    // ---------------------------------------------------------------- order load

    /** Four closed-loop clients; every answer is classified. */
    final class Load implements AutoCloseable {
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger cut = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        volatile Service target;

        Load(Service target, int clients) {
            this.target = target;
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(this::run, "client-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void run() {
            while (!stop.get()) {
                Service s = target;
                try {
                    HttpResponse<String> r = post(s.uri("/orders"), "application/json", ORDER);
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 202) {
                        Matcher m = ID.matcher(r.body());
                        if (m.find()) {
                            accepted.add(m.group(1));
                            allAccepted.add(m.group(1));
                        } else {
                            wrong.add("202 without an id: " + r.body());
                        }
                    } else if (r.statusCode() == 503) {
                        if (!contentType(r).startsWith("application/problem+json")
                                || r.headers().firstValue("Retry-After").isEmpty()) {
                            wrong.add("503 without problem detail or Retry-After: " + contentType(r) + " "
                                    + r.headers().map() + " " + r.body());
                        }
                    } else {
                        wrong.add(r.statusCode() + " " + contentType(r) + " " + r.body());
                    }
                } catch (ConnectException | HttpConnectTimeoutException e) {
                    refused.incrementAndGet();
                    sleep(20);
                } catch (HttpTimeoutException e) {
                    wrong.add("no answer within 30 s");
                } catch (IOException e) {
                    cut.incrementAndGet(); // a request cut by a stop under way
                    sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(35_000);
            }
        }

        @Override
        public String toString() {
            return "accepted=" + accepted.size() + " statuses=" + statuses + " refused=" + refused + " cut=" + cut
                    + " wrong=" + wrong.size();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every accepted order is PROCESSED with processingCount 1 (none 404), waiting for the backlog to drain. */
    private void assertAllProcessedOnce(Service s, Set<String> accepted, Duration drain) throws Exception {
        List<String> pending = new ArrayList<>(accepted);
        List<String> problems = new ArrayList<>();
        long end = System.nanoTime() + drain.toNanos();
        while (true) {
            List<String> still = new ArrayList<>();
            problems.clear();
            for (String id : pending) {
                HttpResponse<String> r = get(s.uri("/orders/" + id));
                if (r.statusCode() == 404) {
                    problems.add(id + " -> 404 (lost after its 202)");
                    continue;
                }
                if (r.statusCode() != 200) {
                    still.add(id);
                    continue;
                }
                Matcher st = STATUS.matcher(r.body());
                Matcher c = COUNT.matcher(r.body());
                String status = st.find() ? st.group(1) : "?";
                int count = c.find() ? Integer.parseInt(c.group(1)) : -1;
                if ("PROCESSED".equals(status)) {
                    if (count != 1) {
                        problems.add(id + " PROCESSED with processingCount " + count);
                    }
                } else {
                    still.add(id);
                }
            }
            if (still.isEmpty() || System.nanoTime() > end) {
                if (!still.isEmpty()) {
                    problems.add(still.size() + " accepted order(s) not PROCESSED after " + drain + ", e.g. "
                            + still.get(0));
                }
                break;
            }
            pending = still;
            Thread.sleep(250);
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " problem(s) among " + accepted.size()
                + " accepted orders: " + problems.subList(0, Math.min(10, problems.size())));
    }

    private static List<String> warnOrErrorAfter(String log, long offset) {
        String after = log.length() > offset ? log.substring((int) Math.min(offset, log.length())) : "";
        List<String> lines = new ArrayList<>();
        for (String line : after.split("\n")) {
            if (WARN_OR_ERROR.matcher(line).find()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void assertNoWrongAnswers(Load load) {
        System.out.println(Thread.currentThread().getStackTrace()[2].getMethodName() + ": " + load);
        List<String> wrong = new ArrayList<>(load.wrong);
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " answer(s) other than 202/503(problem+Retry-After): "
                + wrong.subList(0, Math.min(5, wrong.size())) + "; " + load);
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void badRequestsAreCleanProblemDetails() throws Exception {
        Service s = current("bad-requests");
        try {
            List<String> problems = new ArrayList<>();
            // malformed JSON: 400 as problem+json (issue 22, samples/README)
            check(problems, "malformed JSON", post(s.uri("/orders"), "application/json", "{\"item\": \"mug\", "),
                    400, true);
            check(problems, "not JSON at all", post(s.uri("/orders"), "application/json", "hello"), 400, true);
            // missing field: 400 problem+json (samples/README's session)
            check(problems, "missing quantity", post(s.uri("/orders"), "application/json", "{\"item\":\"mug\"}"),
                    400, true);
            check(problems, "missing item", post(s.uri("/orders"), "application/json", "{\"quantity\":1}"), 400,
                    true);
            check(problems, "quantity 0", post(s.uri("/orders"), "application/json",
                    "{\"item\":\"mug\",\"quantity\":0}"), 400, true);
            check(problems, "empty body", post(s.uri("/orders"), "application/json", ""), 400, true);
            // wrong content type: some 4xx, as a problem detail "like the other errors"
            HttpResponse<String> text = post(s.uri("/orders"), "text/plain", ORDER);
            checkClientError(problems, "text/plain content type", text);
            HttpResponse<String> none = post(s.uri("/orders"), null, ORDER);
            checkClientError(problems, "no content type", none);
            // huge body (8 MB): a 4xx, never a 5xx, and the service survives
            String huge = "{\"item\":\"" + "x".repeat(8 * 1024 * 1024) + "\",\"quantity\":1}";
            try {
                HttpResponse<String> r = post(s.uri("/orders"), "application/json", huge);
                System.out.println("huge body -> " + r.statusCode() + " " + contentType(r) + " "
                        + r.body().substring(0, Math.min(300, r.body().length())));
                if (r.statusCode() >= 500 || r.statusCode() == 202 || r.statusCode() == 200) {
                    problems.add("huge body -> " + r.statusCode() + " " + contentType(r));
                }
            } catch (IOException cutByServer) {
                // a server closing the connection on an oversized body is acceptable
            }
            // unknown order id: 404 (as a problem detail, "like the other errors")
            check(problems, "unknown order id", get(s.uri("/orders/" + java.util.UUID.randomUUID())), 404, true);
            HttpResponse<String> notUuid = get(s.uri("/orders/not-a-uuid"));
            if (notUuid.statusCode() != 404 && notUuid.statusCode() != 400) {
                problems.add("GET /orders/not-a-uuid -> " + notUuid.statusCode() + " " + notUuid.body());
            }
            // still serving
            HttpResponse<String> good = post(s.uri("/orders"), "application/json", ORDER);
            assertEquals(202, good.statusCode(), "the service still takes orders after the bad requests");
            Matcher id = ID.matcher(good.body());
            assertTrue(id.find(), good.body());
            allAccepted.add(id.group(1));
            assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
            handOn(s); // its SIGTERM is the next scenario's
        } finally {
            discard(s);
        }
    }

    private static void check(List<String> problems, String what, HttpResponse<String> r, int status,
            boolean problemJson) {
        System.out.println(what + " -> " + r.statusCode() + " " + contentType(r) + " " + r.body());
        if (r.statusCode() != status) {
            problems.add(what + ": expected " + status + ", got " + r.statusCode() + " " + contentType(r) + " "
                    + r.body());
        } else if (problemJson && !contentType(r).startsWith("application/problem+json")) {
            problems.add(what + ": " + status + " but Content-Type '" + contentType(r) + "', body " + r.body());
        }
    }

    private static void checkClientError(List<String> problems, String what, HttpResponse<String> r) {
        System.out.println(what + " -> " + r.statusCode() + " " + contentType(r) + " " + r.body());
        if (r.statusCode() < 400 || r.statusCode() >= 500) {
            problems.add(what + ": expected a 4xx, got " + r.statusCode() + " " + contentType(r) + " " + r.body());
        } else if (!contentType(r).startsWith("application/problem+json")) {
            problems.add(what + ": " + r.statusCode() + " but Content-Type '" + contentType(r) + "', body "
                    + r.body());
        }
    }

    @Test
    @Order(6)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sigkillAtRandomMomentsLosesNoAcceptedOrder() throws Exception {
        Service s = current("sigkill");
        Load load = new Load(s, 4);
        try {
            for (int kill = 0; kill < 2; kill++) {
                int before = load.accepted.size();
                // random moment: 300..1300 ms of load, and at least a few orders accepted in this life
                Thread.sleep(300 + ThreadLocalRandom.current().nextInt(1000));
                long waitEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (load.accepted.size() < before + 20 && System.nanoTime() < waitEnd) {
                    Thread.sleep(10);
                }
                s.process.destroyForcibly();
                assertEquals(137, s.awaitExit(Duration.ofSeconds(30)));
                s = start("sigkill");
                load.target = s;
                awaitReady(s, Duration.ofSeconds(60));
            }
            Thread.sleep(500);
            load.close();
            assertTrue(load.accepted.size() > 0, "some orders accepted: " + load);
            assertAllProcessedOnce(s, load.accepted, Duration.ofSeconds(30));
            assertNoWrongAnswers(load);
            List<String> orphans = new ArrayList<>();
            for (String line : warnOrErrorAfter(s.log(), 0)) {
                if (line.toLowerCase().contains("orphan") || line.contains("no such order")) {
                    orphans.add(line);
                }
            }
            assertTrue(orphans.isEmpty(), () -> "orphan messages after the restart:\n" + String.join("\n", orphans));
            handOn(s);
        } finally {
            load.close();
            discard(s);
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sigtermUnderLoadRefusesCleanlyAndShutsDownQuietly() throws Exception {
        Service s = current("sigterm");
        Load load = new Load(s, 4);
        Service next = null;
        try {
            Thread.sleep(500 + ThreadLocalRandom.current().nextInt(1000));
            long offset = s.logLength();
            s.process.destroy();
            int exit = s.awaitExit(Duration.ofSeconds(60));
            Thread.sleep(300); // clients now see refused connections
            load.close();
            assertEquals(143, exit, "exit status after SIGTERM");
            List<String> noisy = warnOrErrorAfter(s.log(), offset);
            assertNoWrongAnswers(load);
            assertTrue(noisy.isEmpty(), () -> "orderly shutdown logged WARN/ERROR:\n" + String.join("\n", noisy));
            next = startReady("sigterm-after");
            assertAllProcessedOnce(next, load.accepted, Duration.ofSeconds(30));
            handOn(next);
        } finally {
            load.close();
            discard(s);
            discard(next);
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void brokerRestartsWhileOrdersFlowThenOneConcurrentWithSigterm() throws Exception {
        Service s = current("broker-restart");
        Load load = new Load(s, 4);
        Service next = null;
        List<Integer> readinessDuring = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean polling = new AtomicBoolean(true);
        Service polled = s;
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    readinessDuring.add(get(polled.mgmt("/actuator/health/readiness")).statusCode());
                } catch (Exception e) {
                    return;
                }
                sleep(20);
            }
        });
        poller.setDaemon(true);
        try {
            Thread.sleep(800);
            // two restarts in a row, quickly: both answer 200, the app is ready afterwards
            HttpResponse<String> first = post(s.mgmt("/actuator/conductor/messageQueue"), null, "");
            poller.start();
            HttpResponse<String> second = post(s.mgmt("/actuator/conductor/messageQueue"), null, "");
            polling.set(false);
            poller.join(5000);
            assertEquals(200, first.statusCode(), "first restart: " + first.body());
            assertEquals(200, second.statusCode(), "second restart: " + second.body());
            System.out.println("readiness during the second broker restart: " + readinessDuring);
            assertTrue(readinessDuring.contains(503) || readinessDuring.isEmpty(),
                    "readiness refused traffic while the second restart ran: " + readinessDuring);
            assertEquals(200, get(s.mgmt("/actuator/health/readiness")).statusCode(),
                    "ready again after the restarts");
            // two restarts asked at the same moment: the second waits for the first, then runs (README)
            List<Integer> concurrent = Collections.synchronizedList(new ArrayList<>());
            List<Thread> pair = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Service target0 = s;
                Thread t = new Thread(() -> {
                    try {
                        concurrent.add(post(target0.mgmt("/actuator/conductor/messageQueue"), null, "").statusCode());
                    } catch (Exception e) {
                        concurrent.add(-1);
                    }
                });
                pair.add(t);
                t.start();
            }
            for (Thread t : pair) {
                t.join(60_000);
            }
            assertEquals(List.of(200, 200), concurrent, "two concurrent restarts both answered 200");
            long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (get(s.mgmt("/actuator/health/readiness")).statusCode() != 200 && System.nanoTime() < readyBy) {
                Thread.sleep(50);
            }
            assertEquals(200, get(s.mgmt("/actuator/health/readiness")).statusCode(), "ready after both");
            Thread.sleep(800);
            // a third restart concurrent with SIGTERM
            Service target = s;
            Thread restarter = new Thread(() -> {
                try {
                    post(target.mgmt("/actuator/conductor/messageQueue"), null, "");
                } catch (Exception ignored) {
                    // the management server may close under it
                }
            });
            restarter.setDaemon(true);
            long offset = s.logLength();
            restarter.start();
            Thread.sleep(ThreadLocalRandom.current().nextInt(150));
            s.process.destroy();
            int exit = s.awaitExit(Duration.ofSeconds(60));
            restarter.join(5000);
            Thread.sleep(300);
            load.close();
            List<String> noisy = warnOrErrorAfter(s.log(), offset);
            assertEquals(143, exit, "exit status after SIGTERM during a broker restart:\n" + tail(s.log(), 30));
            assertNoWrongAnswers(load);
            next = startReady("broker-restart-after");
            assertAllProcessedOnce(next, load.accepted, Duration.ofSeconds(30));
            assertTrue(noisy.isEmpty(), () -> "SIGTERM during a broker restart logged WARN/ERROR:\n"
                    + String.join("\n", noisy));
            handOn(next);
        } finally {
            polling.set(false);
            load.close();
            discard(s);
            discard(next);
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void faultInjectionMeetsSigterm() throws Exception {
        Service s = current("chaos-sigterm");
        Load load = new Load(s, 4);
        Service next = null;
        try {
            Thread.sleep(800);
            // the next two setups of the broker fail, then it fails while running: the restart's retries run
            HttpResponse<String> next2 = post(s.uri("/chaos/messageQueue/fail-next-setups?times=2"), null, "");
            assertEquals(2, next2.statusCode() / 100, "fail-next-setups accepted: " + next2.statusCode() + " "
                    + next2.body());
            HttpResponse<String> fail = post(s.uri("/chaos/messageQueue/fail"), null, "");
            assertEquals(2, fail.statusCode() / 100, "fail accepted: " + fail.statusCode() + " " + fail.body());
            // the supervision restarts the broker after its 1 s delay; the two failing setups are retried
            // (0.5 s, 1 s). Readiness must refuse traffic while the restart runs (README "Supervision").
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!s.log().contains("'messageQueue' restarting with its dependents") && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertTrue(s.log().contains("'messageQueue' restarting with its dependents"), "the restart began");
            long signalAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + ThreadLocalRandom.current()
                    .nextInt(1500));
            List<String> readiness = new ArrayList<>();
            while (System.nanoTime() < signalAt) {
                int code = get(s.mgmt("/actuator/health/readiness")).statusCode();
                boolean finished = s.log().contains("'messageQueue' restarted with its dependents");
                if (code != 503 && !finished) {
                    Thread.sleep(200);
                    finished = s.log().contains("'messageQueue' restarted with its dependents");
                }
                readiness.add(code + (finished ? " (after the restart)" : " (during the restart)"));
                if (code != 503 && !finished) {
                    fail("readiness answered " + code + " while the restart ran: " + readiness);
                }
                Thread.sleep(30);
            }
            System.out.println("readiness during the supervised restart: " + readiness);
            long offset = s.logLength();
            s.process.destroy();
            int exit = s.awaitExit(Duration.ofSeconds(60));
            Thread.sleep(300);
            load.close();
            assertEquals(143, exit, "exit status after SIGTERM during a supervised restart:\n" + tail(s.log(), 30));
            assertNoWrongAnswers(load);
            next = startReady("chaos-sigterm-after");
            assertAllProcessedOnce(next, load.accepted, Duration.ofSeconds(30));
            // The injected failure and the failed setups are WARNs of their own (README: "failures at WARN");
            // what the signal itself brought must be a clean shutdown.
            List<String> noisy = new ArrayList<>();
            for (String line : warnOrErrorAfter(s.log(), offset)) {
                if (!line.contains("failed attempt")) { // the injected setup failures themselves
                    noisy.add(line);
                }
            }
            assertTrue(noisy.isEmpty(), () -> "SIGTERM during a supervised restart logged WARN/ERROR:\n"
                    + String.join("\n", noisy));
            handOn(next);
        } finally {
            load.close();
            discard(s);
            discard(next);
        }
    }

    @Test
    @Order(5)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void healthDownRestartMeetsSigterm() throws Exception {
        Service s = current("health-down-sigterm");
        Load load = new Load(s, 4);
        Service next = null;
        try {
            Thread.sleep(800);
            HttpResponse<String> down = post(s.uri("/chaos/messageQueue/health-down"), null, "");
            assertEquals(2, down.statusCode() / 100, "health-down accepted: " + down.statusCode() + " " + down.body());
            // 3 readiness checks 250 ms apart, then the restart (samples/README "Fault injection")
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!s.log().contains("'messageQueue' restarting with its dependents") && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertTrue(s.log().contains("'messageQueue' restarting with its dependents"),
                    "the health-driven restart began:\n" + tail(s.log(), 20));
            Thread.sleep(ThreadLocalRandom.current().nextInt(400));
            long offset = s.logLength();
            s.process.destroy();
            int exit = s.awaitExit(Duration.ofSeconds(60));
            Thread.sleep(300);
            load.close();
            assertEquals(143, exit, "exit status after SIGTERM during a health-driven restart:\n" + tail(s.log(), 30));
            assertNoWrongAnswers(load);
            next = startReady("health-down-sigterm-after");
            assertAllProcessedOnce(next, load.accepted, Duration.ofSeconds(30));
            List<String> noisy = new ArrayList<>();
            for (String line : warnOrErrorAfter(s.log(), offset)) {
                if (!line.contains("failed while running")) {
                    noisy.add(line);
                }
            }
            assertTrue(noisy.isEmpty(), () -> "SIGTERM during a health-driven restart logged WARN/ERROR:\n"
                    + String.join("\n", noisy));
            handOn(next);
        } finally {
            load.close();
            discard(s);
            discard(next);
        }
    }

    @Test
    @Order(7)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void repeatedStartStopCyclesOnTheSameData() throws Exception {
        // The scenarios before ran on the same data, each ending a life with SIGTERM or SIGKILL and starting the next
        // one: these cycles add plain ones, each checking this test's orders and a sample of all earlier ones.
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        List<String> earlier = new ArrayList<>(allAccepted);
        Collections.shuffle(earlier);
        accepted.addAll(earlier.subList(0, Math.min(200, earlier.size())));
        long budgetEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(40); // 3 cycles, or as many as fit
        int cycles = 0;
        Service s = null;
        try {
            for (int i = 0; i < 3 && System.nanoTime() < budgetEnd; i++) {
                s = i == 0 ? current("cycles") : startReady("cycles");
                for (int k = 0; k < 5; k++) {
                    HttpResponse<String> r = post(s.uri("/orders"), "application/json", ORDER);
                    assertEquals(202, r.statusCode(), "cycle " + i + ": " + r.body());
                    Matcher m = ID.matcher(r.body());
                    assertTrue(m.find());
                    accepted.add(m.group(1));
                }
                // this life's orders and every earlier one's: still there, PROCESSED once
                assertAllProcessedOnce(s, accepted, Duration.ofSeconds(15));
                long offset = s.logLength();
                s.process.destroy();
                assertEquals(143, s.awaitExit(Duration.ofSeconds(60)), "cycle " + i + " exit");
                List<String> noisy = warnOrErrorAfter(s.log(), offset);
                int cycle = i;
                assertTrue(noisy.isEmpty(), () -> "cycle " + cycle + " shutdown logged:\n" + String.join("\n", noisy));
                cycles++;
            }
            assertTrue(cycles >= 2, "at least 2 cycles within the budget, got " + cycles);
            System.out.println("start/stop cycles completed: " + cycles);
        } finally {
            if (s != null) {
                s.process.destroy();
                s.process.waitFor(30, TimeUnit.SECONDS);
                s.process.destroyForcibly();
            }
        }
    }
}
