package dev.conductor.benchmarks.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the machine's own binaries (Debian's {@code postgresql} package, which
 * {@code .ci/run} installs): a new cluster in a temporary directory, listening on 127.0.0.1 only, on a free port,
 * trusting local connections, without fsync. Run as root, the server runs as the {@code postgres} user (PostgreSQL
 * refuses root). {@link #close()} stops it and deletes the directory.
 */
final class PostgresServer implements AutoCloseable {

    private final Path directory;

    private final int port;

    private final Process process;

    /** Stops the server when the JVM ends without {@link #close()} (the harness killed or failing). */
    private final Thread hook;

    private PostgresServer(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.hook = new Thread(process::destroyForcibly, "drill-postgres-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Where PostgreSQL's programs are: {@code CONDUCTOR_PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin}. */
    static Path binaries() {
        String configured = System.getenv("CONDUCTOR_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("postgres")))
                        .max(Comparator.comparing(bin -> versionOf(bin.getParent())))
                        .orElse(null);
            }
            catch (IOException ex) {
                return null;
            }
        }
        return null;
    }

    private static int versionOf(Path directory) {
        try {
            return Integer.parseInt(directory.getFileName().toString());
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** Creates a cluster and starts it; waits (at most a minute) until it accepts connections. */
    static PostgresServer start(int port) throws Exception {
        Path bin = binaries();
        if (bin == null || !Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL's programs were not found: install Debian's 'postgresql'"
                    + " package (apt-get install postgresql) or set CONDUCTOR_PG_BIN to the directory of initdb"
                    + " and postgres");
        }
        Path directory = Files.createTempDirectory("conductor-drill-pg");
        Path data = directory.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(directory, postgres);
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        List<String> initdb = asUser(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C");
        Process init = new ProcessBuilder(initdb).redirectErrorStream(true)
                .redirectOutput(directory.resolve("initdb.log").toFile()).start();
        if (!init.waitFor(2, TimeUnit.MINUTES) || init.exitValue() != 0) {
            init.destroyForcibly();
            throw new IllegalStateException("initdb failed; see " + directory.resolve("initdb.log") + ": "
                    + Files.readString(directory.resolve("initdb.log")));
        }
        List<String> postgres = asUser(root, bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-k", directory.toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=60");
        Process server = new ProcessBuilder(postgres).redirectErrorStream(true)
                .redirectOutput(directory.resolve("postgres.log").toFile()).start();
        PostgresServer started = new PostgresServer(directory, port, server);
        try {
            started.awaitAccepting();
        }
        catch (Exception | Error ex) {
            started.close();
            throw ex;
        }
        return started;
    }

    private static List<String> asUser(boolean root, String... command) {
        List<String> line = new ArrayList<>();
        if (root) {
            // setpriv execs the program itself: the process we hold is PostgreSQL's, and signals reach it
            line.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        line.addAll(List.of(command));
        return line;
    }

    private void awaitAccepting() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("postgres.log")));
            }
            try (Connection connection = connect()) {
                return;
            }
            catch (SQLException ex) {
                last = ex;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within a minute", last);
    }

    int port() {
        return port;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    @Override
    public void close() throws Exception {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException jvmStopping) {
            // the hook runs anyway
        }
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown; the drill's clients are gone by now
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
