package dev.conductor.benchmarks.drill;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The leader drill of issue 25: real replica JVMs ({@link DrillReplica}) on a real coordination backend, each
 * behind a {@link TcpProxy} the drill can cut, writing through a {@link Fence} in PostgreSQL. Per backend
 * ({@code zookeeper}: Curator's {@code TestingServer}; {@code jdbc}: Spring Integration's lock registry on the
 * same PostgreSQL) and scenario, for a number of rounds:
 * <ul>
 * <li>{@code kill}: {@code kill -9} the leader; time until a follower's leader-only sub-graph is active;</li>
 * <li>{@code term}: SIGTERM the leader; the same time;</li>
 * <li>{@code stop}: {@code kill -STOP} the leader until a follower is active, then {@code kill -CONT}; time until
 * the woken replica shut its sub-graph down by itself, and its writes the fence rejected meanwhile;</li>
 * <li>{@code cut}: the leader's proxy forwards nothing (a partition); time until it gave its sub-graph up, and
 * until a follower is active.</li>
 * </ul>
 * Every round checks, from the fenced log, that the writes of different grants never interleaved (each token is
 * one replica's, and tokens only grow in the order the database took the writes), and that afterwards exactly one
 * replica leads and the last writes the fence took are its. A killed or stopped replica is started again (a new
 * process in its slot) before the next round.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.conductor.benchmarks.drill.LeaderDrill --rounds=20
 * --replicas=2 --lease-ms=2000 --backends=zookeeper,jdbc --scenarios=kill,term,stop,cut}
 */
public final class LeaderDrill {

    /** What to run. */
    public record Options(List<String> backends, List<String> scenarios, int rounds, int replicas, long leaseMillis,
            Path directory) {
    }

    /** One round's figures, in milliseconds (and a count of rejected writes). */
    public record Round(String backend, String scenario, int round, double takeoverMillis, double givenUpMillis,
            int rejected, double bothBelievedMillis) {
    }

    /** What a run found: the rounds, and every failure (an invariant broken, a wait timed out). */
    public record Result(List<Round> rounds, List<String> failures) {
    }

    private static final Set<String> BACKENDS = Set.of("zookeeper", "jdbc");

    private static final Set<String> SCENARIOS = Set.of("kill", "term", "stop", "cut");

    private static final List<ReplicaProcess> EVERY_PROCESS = new CopyOnWriteArrayList<>();

    static {
        // A harness killed or failing must not leave replicas behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> EVERY_PROCESS.forEach(ReplicaProcess::destroy),
                "drill-cleanup"));
    }

    private final Options options;

    private final PrintStream out;

    private final List<Round> rounds = new ArrayList<>();

    private final List<String> failures = new ArrayList<>();

    /** Each token the fence took, and the replica that wrote it: a token is one grant, so one replica's. */
    private final Map<String, Map<Long, String>> writers = new HashMap<>();

    private final Map<String, Long> lastSeq = new HashMap<>();

    private LeaderDrill(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(2, equals) : "";
            if (!List.of("backends", "scenarios", "rounds", "replicas", "lease-ms", "dir").contains(name)) {
                throw new IllegalArgumentException("Unknown option '" + arg + "'; known: --backends=zookeeper,jdbc"
                        + " --scenarios=kill,term,stop,cut --rounds=20 --replicas=2 --lease-ms=2000 --dir=...");
            }
            values.put(name, arg.substring(equals + 1));
        }
        Options options = new Options(
                List.of(values.getOrDefault("backends", "zookeeper,jdbc").split(",")),
                List.of(values.getOrDefault("scenarios", "kill,term,stop,cut").split(",")),
                Integer.parseInt(values.getOrDefault("rounds", "20")),
                Integer.parseInt(values.getOrDefault("replicas", "2")),
                Long.parseLong(values.getOrDefault("lease-ms", "2000")),
                Path.of(values.getOrDefault("dir", "benchmarks/target/drill")));
        Result result = run(options, System.out);
        System.out.println();
        System.out.println(table(result, options));
        if (!result.failures().isEmpty()) {
            System.out.println("FAILURES:");
            result.failures().forEach(failure -> System.out.println("  " + failure));
            System.exit(1);
        }
    }

    /** Runs the drill; every process it started is gone when it returns or throws. */
    public static Result run(Options options, PrintStream out) throws Exception {
        for (String backend : options.backends()) {
            if (!BACKENDS.contains(backend)) {
                throw new IllegalArgumentException("Unknown backend '" + backend + "': use " + BACKENDS);
            }
        }
        for (String scenario : options.scenarios()) {
            if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("Unknown scenario '" + scenario + "': use " + SCENARIOS);
            }
        }
        if (options.replicas() < 2 || options.rounds() < 1) {
            throw new IllegalArgumentException("The drill needs at least 2 replicas and 1 round");
        }
        Files.createDirectories(options.directory());
        LeaderDrill drill = new LeaderDrill(options, out);
        try (PostgresServer postgres = PostgresServer.start(freePort())) {
            drill.createTables(postgres);
            for (String backend : options.backends()) {
                drill.runBackend(backend, postgres);
            }
        }
        return new Result(List.copyOf(drill.rounds), List.copyOf(drill.failures));
    }

    private void createTables(PostgresServer postgres) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE drill_fence (role text PRIMARY KEY, token bigint NOT NULL)");
            statement.execute("CREATE TABLE drill_log (seq bigserial PRIMARY KEY, role text NOT NULL,"
                    + " replica text NOT NULL, token bigint NOT NULL, kind text NOT NULL,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
            statement.execute("CREATE TABLE drill_rejected (role text NOT NULL, replica text NOT NULL,"
                    + " token bigint NOT NULL, kind text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
            for (String backend : BACKENDS) {
                statement.execute("INSERT INTO drill_fence VALUES ('" + backend + "', 0)");
            }
            JdbcBackend.createTables(statement);
        }
    }

    private void runBackend(String backend, PostgresServer postgres) throws Exception {
        TestingServer zookeeper = null;
        List<Slot> slots = new ArrayList<>();
        try {
            int backendPort;
            if (backend.equals("zookeeper")) {
                // tickTime 100 ms: session timeouts from 200 ms to 2 s
                zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1,
                        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1"), true);
                backendPort = zookeeper.getPort();
            }
            else {
                backendPort = postgres.port();
            }
            for (int i = 1; i <= options.replicas(); i++) {
                slots.add(new Slot(backend, i, new TcpProxy(backendPort), postgres));
            }
            for (Slot slot : slots) {
                slot.start();
            }
            for (Slot slot : slots) {
                require(slot.current.await(0, "READY"::equals, waitMillis()) != null,
                        slot.current.name() + " did not get ready\n" + slot.current.tail(20));
            }
            require(settle(slots) != null, backend + ": no single leader at the start\n" + tails(slots));
            for (String scenario : options.scenarios()) {
                out.printf("== %s %s: %d rounds%n", backend, scenario, options.rounds());
                for (int round = 1; round <= options.rounds(); round++) {
                    Round result = round(backend, scenario, round, slots, postgres);
                    rounds.add(result);
                    out.printf("%s %s %2d: takeover %.0f ms, given up %.0f ms, rejected %d, both believed %.0f ms%n",
                            backend, scenario, round, result.takeoverMillis(), result.givenUpMillis(),
                            result.rejected(), result.bothBelievedMillis());
                }
            }
        }
        catch (DrillFailure failure) {
            failures.add(failure.getMessage());
            out.println("FAILED: " + failure.getMessage());
        }
        finally {
            for (Slot slot : slots) {
                slot.close();
            }
            if (zookeeper != null) {
                zookeeper.close();
            }
        }
    }

    private Round round(String backend, String scenario, int round, List<Slot> slots, PostgresServer postgres)
            throws Exception {
        Slot leader = settle(slots);
        require(leader != null, backend + " " + scenario + " " + round + ": no single leader before the round\n"
                + tails(slots));
        ReplicaProcess old = leader.current;
        Map<Slot, Integer> marks = new HashMap<>();
        for (Slot slot : slots) {
            marks.put(slot, slot.current.mark());
        }
        long start = System.nanoTime();
        double givenUp = Double.NaN;
        int rejected = 0;
        double both = Double.NaN;
        ReplicaProcess.Line active;
        switch (scenario) {
            case "kill", "term" -> {
                if (scenario.equals("kill")) {
                    old.kill();
                }
                else {
                    old.terminate();
                }
                active = awaitOtherActive(slots, leader, marks);
                require(old.waitFor(waitMillis()), old.name() + " did not exit after " + scenario);
                if (scenario.equals("term")) {
                    ReplicaProcess.Line stopped = old.await(marks.get(leader), line -> line.startsWith("STOPPED "),
                            0);
                    require(stopped != null, old.name() + " exited on SIGTERM without shutting its role down\n"
                            + old.tail(20));
                    givenUp = millis(stopped.nanos() - start);
                }
                leader.start();
                require(leader.current.await(0, "READY"::equals, waitMillis()) != null,
                        leader.current.name() + " did not get ready\n" + leader.current.tail(20));
            }
            case "stop" -> {
                old.pause();
                active = awaitOtherActive(slots, leader, marks);
                long resumed = System.nanoTime();
                old.resume();
                ReplicaProcess.Line stopped = old.await(marks.get(leader), line -> line.startsWith("STOPPED "),
                        waitMillis());
                require(stopped != null, old.name() + " woke up and kept its role for " + waitMillis() + " ms\n"
                        + old.tail(20));
                givenUp = millis(stopped.nanos() - resumed);
                both = givenUp;
                rejected = old.since(marks.get(leader), line -> line.startsWith("REJECTED ")).size();
            }
            case "cut" -> {
                leader.proxy.cut();
                ReplicaProcess.Line stopped = old.await(marks.get(leader), line -> line.startsWith("STOPPED "),
                        waitMillis());
                require(stopped != null, old.name() + " was cut off and kept its role for " + waitMillis() + " ms\n"
                        + old.tail(20));
                givenUp = millis(stopped.nanos() - start);
                active = awaitOtherActive(slots, leader, marks);
                both = Math.max(0, millis(stopped.nanos() - active.nanos()));
                rejected = old.since(marks.get(leader), line -> line.startsWith("REJECTED ")).size();
                leader.proxy.restore();
            }
            default -> throw new IllegalArgumentException(scenario);
        }
        double takeover = millis(active.nanos() - start);
        require(settle(slots) != null, backend + " " + scenario + " " + round
                + ": not exactly one leader after the round\n" + tails(slots));
        checkFence(backend, scenario, round, slots, postgres);
        return new Round(backend, scenario, round, takeover, givenUp, rejected, both);
    }

    private ReplicaProcess.Line awaitOtherActive(List<Slot> slots, Slot leader, Map<Slot, Integer> marks)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis());
        while (System.nanoTime() < deadline) {
            for (Slot slot : slots) {
                if (slot != leader) {
                    ReplicaProcess.Line line = slot.current.await(marks.get(slot),
                            text -> text.startsWith("ACTIVE "), 10);
                    if (line != null) {
                        return line;
                    }
                }
            }
        }
        throw new DrillFailure("No follower became active within " + waitMillis() + " ms\n" + tails(slots));
    }

    /**
     * Waits until exactly one replica leads, its sub-graph active, and the others follow, steadily for a lease.
     *
     * @return the leader's slot, or {@code null} when that did not come within the wait
     */
    private Slot settle(List<Slot> slots) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis());
        Slot steady = null;
        long since = 0;
        while (System.nanoTime() < deadline) {
            List<Slot> leaders = slots.stream().filter(slot -> slot.current.leads()).toList();
            if (leaders.size() == 1 && leaders.get(0) == steady) {
                if (System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(Math.min(500, options.leaseMillis()))) {
                    return steady;
                }
            }
            else {
                steady = leaders.size() == 1 ? leaders.get(0) : null;
                since = System.nanoTime();
            }
            Thread.sleep(10);
        }
        return null;
    }

    /**
     * Reads the fenced log since the last check: the writes of each token come from one replica, tokens never go
     * down in the order PostgreSQL took the writes (so no two grants' writes interleave), and the last writes are
     * the current leader's.
     */
    private void checkFence(String backend, String scenario, int round, List<Slot> slots, PostgresServer postgres)
            throws Exception {
        String where = backend + " " + scenario + " " + round + ": ";
        Map<Long, String> tokens = writers.computeIfAbsent(backend, key -> new HashMap<>());
        long seq = lastSeq.getOrDefault(backend, 0L);
        long previousToken = Long.MIN_VALUE;
        String lastWriter = null;
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT seq, replica, token FROM drill_log WHERE role = '"
                        + backend + "' AND seq > " + seq + " ORDER BY seq")) {
            while (rows.next()) {
                seq = rows.getLong(1);
                String replica = rows.getString(2);
                long token = rows.getLong(3);
                String owner = tokens.putIfAbsent(token, replica);
                require(owner == null || owner.equals(replica), where + "token " + token + " was written by "
                        + owner + " and by " + replica);
                require(token >= previousToken || previousToken == Long.MIN_VALUE, where + "token " + token
                        + " written after " + previousToken + " (seq " + seq + ")");
                if (previousToken == Long.MIN_VALUE) {
                    Long before = lastToken(backend);
                    require(before == null || token >= before, where + "token " + token + " written after "
                            + before);
                }
                previousToken = token;
                lastWriter = replica;
            }
        }
        lastSeq.put(backend, seq);
        if (previousToken != Long.MIN_VALUE) {
            lastTokens.put(backend, previousToken);
        }
        Slot leader = settle(slots);
        require(leader != null, where + "not exactly one leader\n" + tails(slots));
        String leaderName = leader.current.name();
        // The last write the fence took before this check, and the next, are the leader's
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis());
        while (!leaderName.equals(lastWriter) && System.nanoTime() < deadline) {
            Thread.sleep(Relay.BEAT_MILLIS);
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT replica FROM drill_log WHERE role = '"
                            + backend + "' ORDER BY seq DESC LIMIT 1")) {
                lastWriter = rows.next() ? rows.getString(1) : null;
            }
        }
        require(leaderName.equals(lastWriter), where + "the leader is " + leaderName + " but the fence's last"
                + " write is " + lastWriter + "'s");
    }

    private final Map<String, Long> lastTokens = new HashMap<>();

    private Long lastToken(String backend) {
        return lastTokens.get(backend);
    }

    private long waitMillis() {
        return Math.max(30_000, 15 * options.leaseMillis());
    }

    private static String tails(List<Slot> slots) {
        StringBuilder text = new StringBuilder();
        for (Slot slot : slots) {
            text.append(slot.current.tail(12));
        }
        return text.toString();
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new DrillFailure(failure);
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The Markdown table for BENCHMARKS.md: p50, p95 and the worst per backend and scenario. */
    public static String table(Result result, Options options) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("Leader drill: %d replicas, lease %d ms, %d rounds per scenario%n%n",
                options.replicas(), options.leaseMillis(), options.rounds()));
        text.append("| Backend | Scenario | Rounds | Follower active p50 / p95 / max (ms) |"
                + " Old leader gave up p50 / p95 (ms) | Both believed they led p50 / p95 (ms) |"
                + " Writes the fence rejected |\n");
        text.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String backend : options.backends()) {
            for (String scenario : options.scenarios()) {
                List<Round> these = result.rounds().stream()
                        .filter(round -> round.backend().equals(backend) && round.scenario().equals(scenario))
                        .toList();
                if (these.isEmpty()) {
                    continue;
                }
                double[] takeover = these.stream().mapToDouble(Round::takeoverMillis).toArray();
                double[] givenUp = these.stream().mapToDouble(Round::givenUpMillis).filter(v -> !Double.isNaN(v))
                        .toArray();
                double[] both = these.stream().mapToDouble(Round::bothBelievedMillis).filter(v -> !Double.isNaN(v))
                        .toArray();
                int rejected = these.stream().mapToInt(Round::rejected).sum();
                text.append(String.format("| %s | %s | %d | %s / %s / %s | %s | %s | %d |%n", backend, scenario,
                        these.size(), fmt(percentile(takeover, 50)), fmt(percentile(takeover, 95)),
                        fmt(percentile(takeover, 100)), pair(givenUp), pair(both), rejected));
            }
        }
        return text.toString();
    }

    private static String pair(double[] values) {
        return values.length == 0 ? "–" : fmt(percentile(values, 50)) + " / " + fmt(percentile(values, 95));
    }

    private static String fmt(double value) {
        return String.format("%.0f", value);
    }

    /** Nearest rank. */
    static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A round that could not go on: an invariant broken or a wait that timed out. */
    static final class DrillFailure extends RuntimeException {

        DrillFailure(String message) {
            super(message);
        }
    }

    /** One replica's place: its proxy, and the process in it now (a new one after a kill). */
    private final class Slot implements AutoCloseable {

        private final String backend;

        private final int index;

        private final TcpProxy proxy;

        private final PostgresServer postgres;

        private int incarnation;

        private ReplicaProcess current;

        Slot(String backend, int index, TcpProxy proxy, PostgresServer postgres) {
            this.backend = backend;
            this.index = index;
            this.proxy = proxy;
            this.postgres = postgres;
        }

        void start() throws Exception {
            incarnation++;
            String name = backend + "-r" + index + "." + incarnation;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"),
                    DrillReplica.class.getName(),
                    "--backend=" + backend,
                    "--election=127.0.0.1:" + proxy.port(),
                    "--fence=" + postgres.url(),
                    "--name=" + name,
                    "--lease-ms=" + options.leaseMillis()));
            current = new ReplicaProcess(name, command, options.directory().resolve(name + ".log"));
            EVERY_PROCESS.add(current);
        }

        @Override
        public void close() {
            if (current != null) {
                current.destroy();
                EVERY_PROCESS.remove(current);
            }
            proxy.close();
        }
    }
}
