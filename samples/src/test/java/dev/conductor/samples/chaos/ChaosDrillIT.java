package dev.conductor.samples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The chaos drill of issue 22: the sample's jar as a real process, under steady order load from four clients,
 * while the drill injects, one JVM life after the other, on the same data directory:
 *
 * <ol>
 * <li>two broker restarts through the {@code conductor} endpoint, then SIGTERM;</li>
 * <li>a runtime failure of the broker through fault injection ({@code /chaos/messageQueue/fail}), then SIGKILL;</li>
 * <li>a health-driven failure (the broker reports {@code DOWN} until the supervision restarts it), then a restart
 * whose first two setups fail (the setup retries carry it), then SIGTERM;</li>
 * <li>four runtime failures in a row: three restarts, then the restart budget is spent and the supervision
 * escalates ({@code on-escalation=exit}): the JVM exits.</li>
 * </ol>
 *
 * <p>The cycle repeats until {@code chaos.duration} (an ISO-8601 duration or {@code 10m}; by default one cycle,
 * about a minute). A last JVM takes the load for a moment, the load stops and its backlog drains, and it is stopped
 * with SIGTERM. Then the drill checks, from the answers, the logs and the database files: every order answered
 * {@code 202} is {@code PROCESSED} with {@code processingCount} 1; no answer other than {@code 202}, {@code 503}
 * (problem detail and {@code Retry-After}), {@code 400} for the bodies that are not JSON, or a refused connection
 * while the process is down (a request cut by a stop under way counts apart); every orderly shutdown (SIGTERM) logs
 * no {@code WARN} or {@code ERROR}; readiness refuses traffic for the whole of each restart and accepts it between
 * faults. It prints the figures and writes them to {@code target/chaos-drill/summary.txt}; each life's log is in
 * {@code target/chaos-drill/}.
 *
 * <p>Run alone: {@code ./mvnw -B -pl samples -am verify -Dit.test=ChaosDrillIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.duration=10m}.
 */
@DisabledOnOs(OS.WINDOWS)
class ChaosDrillIT {

    private static final int CLIENTS = 4;

    /** How long the load flows between two faults. */
    private static final Duration SETTLE = Duration.ofMillis(1500);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private static final int EXIT_SIGTERM = 143;

    private static final int EXIT_SIGKILL = 137;

    private static final int EXIT_ESCALATION = 70;

    private static final Pattern RESTARTED = Pattern.compile("Conductor: component 'messageQueue' restarted with its dependents$");

    private static final Pattern RESTARTING = Pattern.compile("Conductor: component 'messageQueue' restarting with its dependents$");

    private static final Pattern RETRIED = Pattern.compile("Conductor: component 'messageQueue' failed attempt \\d+ at its setup");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path directory = Path.of("target", "chaos-drill").toAbsolutePath();

    private final Path dataDir = directory.resolve("data");

    private final List<ServiceProcess> lives = new ArrayList<>();

    /** Each fault: what, when injected, when the service was ready again (epoch ms). */
    private record Fault(String kind, long injectedMs, long readyMs) {
    }

    private final List<Fault> faults = new ArrayList<>();

    /** Where readiness must answer 200: from ready again after a fault until the next injection. */
    private final List<long[]> steady = new ArrayList<>();

    /** When each orderly stop (SIGTERM) was sent, for the lives that got one. */
    private final Map<ServiceProcess, Instant> sigterms = new HashMap<>();

    private final List<String> notes = new ArrayList<>();

    private int port;

    private int managementPort;

    private OrderLoad load;

    private ServiceProcess current;

    private long steadySince;

    @Test
    void everyAcceptedOrderIsProcessedOnceWhateverIsInjected() throws Exception {
        Duration duration = duration(System.getProperty("chaos.duration", "0s"));
        Path jar = Path.of("target", "conductor-samples.jar").toAbsolutePath();
        assertThat(jar).as("the sample's jar (built by package)").isRegularFile();
        deleteRecursively(directory);
        port = freePort();
        managementPort = freePort();
        long begin = System.currentTimeMillis();

        current = start(jar);
        assertThat(current.awaitReady(http, readiness(), READY_TIMEOUT)).as(current.tail(40)).isTrue();
        steadySince = System.currentTimeMillis();
        load = new OrderLoad(URI.create("http://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + managementPort),
                CLIENTS);
        int cycles = 0;
        try {
            do {
                cycles++;
                brokerRestartsThenSigterm(jar);
                runtimeFailureThenSigkill(jar);
                healthFailureAndSetupRetriesThenSigterm(jar);
                restartBudgetSpentThenEscalation(jar);
            }
            while (System.currentTimeMillis() - begin < duration.toMillis());
            Thread.sleep(SETTLE.toMillis());
            steady.add(new long[] { steadySince, System.currentTimeMillis() });
        }
        finally {
            load.close();
        }
        long loadMs = System.currentTimeMillis() - begin;

        // The backlog drains, then the last orderly stop
        long drainStart = System.currentTimeMillis();
        awaitBacklogDrained();
        long drainMs = System.currentTimeMillis() - drainStart;
        stop(current, EXIT_SIGTERM);
        for (ServiceProcess life : lives) {
            life.close();
        }

        // What the database files say
        Map<String, int[]> stored = orders();
        long lost = load.accepted.stream().filter(id -> !stored.containsKey(id)).count();
        long unprocessed = load.accepted.stream().filter(id -> stored.containsKey(id) && stored.get(id)[0] != 1).count();
        long duplicated = stored.values().stream().filter(order -> order[1] > 1).count();
        int orphans = orphans();
        List<String> readinessViolations = readinessViolations();
        List<String> noisyShutdowns = noisyShutdowns();

        String summary = summary(cycles, loadMs, drainMs, lost, unprocessed, duplicated, orphans);
        Files.writeString(directory.resolve("summary.txt"), summary);
        System.out.println(summary);

        assertThat(load.violations).as("answers the service must never give").isEmpty();
        assertThat(lost).as("orders answered 202 and lost").isZero();
        assertThat(unprocessed).as("orders answered 202 and not processed").isZero();
        assertThat(duplicated).as("orders processed more than once").isZero();
        assertThat(orphans).as("messages whose order did not exist").isZero();
        assertThat(noisyShutdowns).as("WARN or ERROR logged by an orderly shutdown").isEmpty();
        assertThat(readinessViolations).as("readiness out of step with the restarts").isEmpty();
        assertThat(load.accepted).as("orders accepted").isNotEmpty();
    }

    // One life each

    private void brokerRestartsThenSigterm(Path jar) throws Exception {
        for (int i = 0; i < 2; i++) {
            long injected = inject();
            HttpResponse<String> restart = http.send(HttpRequest.newBuilder(management("/actuator/conductor/messageQueue"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(restart.statusCode()).as("restart through the endpoint: " + restart.body()).isEqualTo(200);
            awaitRestarted(injected, "broker restart (endpoint)");
        }
        long signal = inject();
        load.stopping(true);
        sigterms.put(current, Instant.ofEpochMilli(signal));
        stop(current, EXIT_SIGTERM);
        next(jar, signal, "SIGTERM, new JVM");
    }

    private void runtimeFailureThenSigkill(Path jar) throws Exception {
        long injected = inject();
        chaos("/chaos/messageQueue/fail");
        awaitRestarted(injected, "runtime failure (fault injection)");
        long signal = inject();
        load.stopping(true);
        current.sigkill();
        assertThat(current.awaitExit(Duration.ofSeconds(30))).as("exit status after SIGKILL").isEqualTo(EXIT_SIGKILL);
        next(jar, signal, "SIGKILL, new JVM");
    }

    private void healthFailureAndSetupRetriesThenSigterm(Path jar) throws Exception {
        long injected = inject();
        chaos("/chaos/messageQueue/health-down");
        awaitRestarted(injected, "health DOWN (supervision)");
        int retriesBefore = count(RETRIED);
        injected = inject();
        chaos("/chaos/messageQueue/fail-next-setups?times=2");
        chaos("/chaos/messageQueue/fail");
        awaitRestarted(injected, "restart whose setup fails twice (retries)");
        assertThat(count(RETRIED) - retriesBefore).as("setup attempts that failed and were retried").isEqualTo(2);
        long signal = inject();
        load.stopping(true);
        sigterms.put(current, Instant.ofEpochMilli(signal));
        stop(current, EXIT_SIGTERM);
        next(jar, signal, "SIGTERM, new JVM");
    }

    private void restartBudgetSpentThenEscalation(Path jar) throws Exception {
        // maxRestarts = 3 in 5 minutes (ArtemisMessageQueue's @Supervision): the fourth failure escalates
        for (int i = 0; i < 3; i++) {
            long injected = inject();
            chaos("/chaos/messageQueue/fail");
            awaitRestarted(injected, "runtime failure " + (i + 1) + " of 4 (budget)");
        }
        long signal = inject();
        load.stopping(true);
        chaos("/chaos/messageQueue/fail");
        Integer exit = current.awaitExit(Duration.ofSeconds(90));
        assertThat(exit).as("the JVM exits once the supervision escalates\n" + current.tail(40)).isNotNull();
        assertThat(exit).as("exit status after the escalation (conductor.supervision.exit-code)")
                .isEqualTo(EXIT_ESCALATION);
        assertThat(current.log()).anyMatch(line -> line.contains(" ERROR ") && line.contains("exits with code"));
        next(jar, signal, "escalation exit, new JVM");
    }

    // Steps

    /** Ends the steady period that began when the service was last ready; returns now. */
    private long inject() {
        long now = System.currentTimeMillis();
        steady.add(new long[] { steadySince, now });
        return now;
    }

    private void awaitRestarted(long injectedMs, String kind) throws Exception {
        int before = (int) current.log().stream().filter(line -> line.contains("restarted with its dependents")
                && ServiceProcess.timestamp(line) != null && ServiceProcess.timestamp(line).toEpochMilli() < injectedMs)
                .count();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (count(RESTARTED) <= before) {
            assertThat(System.nanoTime() < deadline && current.isAlive())
                    .as(kind + ": the restart finished\n" + current.tail(40)).isTrue();
            Thread.sleep(20);
        }
        ready(injectedMs, kind);
    }

    private void next(Path jar, long signalMs, String kind) throws Exception {
        current = start(jar);
        ready(signalMs, kind);
        load.stopping(false);
    }

    private void ready(long injectedMs, String kind) throws Exception {
        assertThat(current.awaitReady(http, readiness(), READY_TIMEOUT)).as(kind + ": ready again\n" + current.tail(40))
                .isTrue();
        long ready = System.currentTimeMillis();
        faults.add(new Fault(kind, injectedMs, ready));
        steadySince = ready;
        Thread.sleep(SETTLE.toMillis());
    }

    private void stop(ServiceProcess life, int expectedExit) throws InterruptedException {
        life.sigterm();
        Integer exit = life.awaitExit(Duration.ofSeconds(90));
        assertThat(exit).as("exit status after SIGTERM\n" + life.tail(40)).isEqualTo(expectedExit);
    }

    private void chaos(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isEqualTo(202);
    }

    private void awaitBacklogDrained() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            String health = http.send(HttpRequest.newBuilder(management("/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (health.contains("\"messageCount\":0,") && health.contains("\"deliveringCount\":0,")) {
                return;
            }
            assertThat(System.nanoTime() < deadline).as("the backlog drained within 10 minutes: " + health).isTrue();
            Thread.sleep(100);
        }
    }

    private ServiceProcess start(Path jar) throws IOException {
        ServiceProcess life = ServiceProcess.start("life-" + (lives.size() + 1), jar, directory, List.of(
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
                "--management.endpoint.conductor.access=unrestricted",
                "--orders.data-dir=" + dataDir, "--orders.chaos.enabled=true",
                "--orders.workers=4", "--orders.processing-time=1ms",
                "--conductor.readiness.check-interval=250ms",
                "--conductor.supervision.on-escalation=exit",
                "--conductor.supervision.exit-code=" + EXIT_ESCALATION,
                "--spring.output.ansi.enabled=never", "--spring.main.banner-mode=off"));
        lives.add(life);
        return life;
    }

    private int count(Pattern pattern) {
        return (int) current.log().stream().filter(line -> pattern.matcher(line).find()).count();
    }

    private URI readiness() {
        return management("/actuator/health/readiness");
    }

    private URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    // Checks

    /**
     * Every readiness sample taken wholly inside a restart (after its "restarting" line, answered before its
     * "restarted" line: the log line comes first, then the readiness change) must be 503, and every sample taken
     * wholly inside a steady period must be 200.
     */
    private List<String> readinessViolations() {
        List<long[]> restarts = new ArrayList<>();
        for (ServiceProcess life : lives) {
            Long start = null;
            for (String line : life.log()) {
                Instant at = ServiceProcess.timestamp(line);
                if (at == null) {
                    continue;
                }
                if (RESTARTING.matcher(line).find()) {
                    start = at.toEpochMilli();
                }
                else if (start != null && (RESTARTED.matcher(line).find() || line.contains("failed to restart"))) {
                    restarts.add(new long[] { start, at.toEpochMilli() });
                    start = null;
                }
            }
        }
        List<String> violations = new ArrayList<>();
        int inside = 0;
        synchronized (load.samples) {
            for (OrderLoad.Sample sample : load.samples) {
                for (long[] restart : restarts) {
                    if (sample.sentMs() > restart[0] + 5 && sample.answeredMs() < restart[1]) {
                        inside++;
                        if (sample.status() != 503) {
                            violations.add("readiness " + sample.status() + " during the restart " + restart[0] + "-"
                                    + restart[1] + ": " + sample);
                        }
                    }
                }
                for (long[] period : steady) {
                    if (sample.sentMs() >= period[0] && sample.answeredMs() < period[1] && sample.status() != 200) {
                        violations.add("readiness " + sample.status() + " between faults " + period[0] + "-"
                                + period[1] + ": " + sample);
                    }
                }
            }
        }
        notes.add("readiness: " + load.samples.size() + " samples, " + inside + " of them inside one of "
                + restarts.size() + " restarts");
        return violations;
    }

    private List<String> noisyShutdowns() {
        List<String> noisy = new ArrayList<>();
        sigterms.forEach((life, signal) -> life.logSince(signal.minusMillis(1)).stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .forEach(line -> noisy.add(life.name() + ": " + line)));
        return noisy;
    }

    private Map<String, int[]> orders() throws SQLException {
        Map<String, int[]> orders = new HashMap<>();
        try (Connection connection = open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, status, processing_count FROM orders")) {
            while (rows.next()) {
                orders.put(rows.getString(1), new int[] { "PROCESSED".equals(rows.getString(2)) ? 1 : 0,
                        rows.getInt(3) });
            }
        }
        return orders;
    }

    private int orphans() throws SQLException {
        try (Connection connection = open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM orphan_messages")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("orders"), "sa", "");
    }

    private String summary(int cycles, long loadMs, long drainMs, long lost, long unprocessed, long duplicated,
            int orphans) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf("Chaos drill on Java %s: %d cycle(s), %d JVM lives, load for %.1f s from %d clients%n",
                Runtime.version(), cycles, lives.size(), loadMs / 1000.0, CLIENTS);
        out.printf("  orders accepted (202)      %,d (%.0f/s)%n", load.accepted.size(), load.accepted.size() * 1000.0 / loadMs);
        out.printf("  refused with 503           %,d%n", load.refused503.sum());
        out.printf("  refused connections        %,d%n", load.refusedConnections.sum());
        out.printf("  bodies not JSON (400)      %,d%n", load.rejected400.sum());
        out.printf("  cut by a stop under way    %,d%n", load.cut.sum());
        out.printf("  reads (200 or 503)         %,d%n", load.reads.sum());
        out.printf("  other answers              %,d%n", load.violations.size());
        out.printf("  lost                       %,d%n", lost);
        out.printf("  accepted, not processed    %,d%n", unprocessed);
        out.printf("  processed more than once   %,d%n", duplicated);
        out.printf("  orphan messages            %,d%n", orphans);
        out.printf("  backlog drain time         %,d ms%n", drainMs);
        out.printf("  faults injected            %d%n", faults.size());
        Map<String, List<Long>> byKind = new java.util.LinkedHashMap<>();
        for (Fault fault : faults) {
            byKind.computeIfAbsent(fault.kind(), kind -> new ArrayList<>()).add(fault.readyMs() - fault.injectedMs());
        }
        out.println("  time from fault to ready again (ms): count, min, median, max");
        byKind.forEach((kind, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            out.printf("    %-42s %3d %7d %7d %7d%n", kind, sorted.size(), sorted.get(0), sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1));
        });
        notes.forEach(note -> out.println("  " + note));
        load.violations.stream().limit(20).forEach(violation -> out.println("  VIOLATION " + violation));
        out.flush();
        return text.toString();
    }

    private static Duration duration(String text) {
        String value = text.trim();
        if (value.matches("\\d+[smh]")) {
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        return Duration.parse(value);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
