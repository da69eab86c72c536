package dev.conductor.samples.orders;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.actuate.ComponentHealth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded H2 database, file-backed under {@code <orders.data-dir>/db}, or the shared database that
 * {@code orders.database.url} names (PostgreSQL, for several replicas): {@link #setup()} opens the connection pool
 * and migrates the schema with Flyway, {@link #shutdown()} closes the pool (and with it H2's database files). Its
 * {@link #health()} pings the database through the pool, for {@code /actuator/health}, and counts the orphan
 * messages kept.
 */
@ConductorComponent
class Database implements Component, ComponentHealth {

    /** How long the health check waits for the database to answer. */
    private static final int PING_TIMEOUT_SECONDS = 1;

    private static final Log logger = LogFactory.getLog(Database.class);

    private final Path directory;

    private final DatabaseProperties shared;

    private volatile HikariDataSource pool;

    private volatile JdbcClient jdbc;

    @Autowired // the other constructors are for tests that use the class directly
    Database(OrdersProperties properties, DatabaseProperties database) {
        this(properties.dataDir().resolve("db"), database);
    }

    Database(OrdersProperties properties) {
        this(properties.dataDir().resolve("db"));
    }

    Database(Path directory) {
        this(directory, DatabaseProperties.EMBEDDED);
    }

    Database(Path directory, DatabaseProperties database) {
        this.directory = directory.toAbsolutePath().normalize();
        this.shared = database;
    }

    @Override
    public void setup() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("orders-db");
        if (shared.embedded()) {
            Files.createDirectories(directory);
            config.setJdbcUrl(url(directory));
            config.setUsername("sa");
        }
        else {
            config.setJdbcUrl(shared.url());
            config.setUsername(shared.username());
            config.setPassword(shared.password());
        }
        config.setMaximumPoolSize(10);
        HikariDataSource opened = new HikariDataSource(config);
        try {
            // The component migrates the schema itself, so nothing touches the database before setup runs
            Flyway flyway = Flyway.configure()
                    .dataSource(opened)
                    .locations("classpath:db/migration")
                    // A shared database may hold other tables already (the replicas' election creates its own
                    // before this component is set up): start the history below V1 rather than refuse
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load();
            MigrateResult migration = flyway.migrate();
            String version = migration.targetSchemaVersion != null ? migration.targetSchemaVersion
                    : migration.initialSchemaVersion;
            logger.info("Database ready in " + where() + " (schema version " + version + ", "
                    + migration.migrationsExecuted + " migration(s) applied now)");
        }
        catch (RuntimeException ex) {
            opened.close();
            throw ex;
        }
        pool = opened;
        jdbc = JdbcClient.create(opened);
    }

    /**
     * The H2 URL of the database files. Two settings keep the sample's promises:
     * <ul>
     * <li>{@code WRITE_DELAY=0}: a committed transaction is written to the file before the commit returns. H2's
     * default writes it up to 500 ms later, so a process killed outright (SIGKILL, the OOM killer) lost orders
     * already answered {@code 202} while the broker had journaled their messages.</li>
     * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 registers no JVM shutdown hook of its own. Its default closes the
     * database as soon as the JVM begins to exit, concurrently with Spring's shutdown hook, so the workers and the
     * requests still draining found it closed. Conductor closes it in {@link #shutdown()}, after its dependents.
     * Spring Boot's own embedded H2 URLs set it for the same reason.</li>
     * </ul>
     */
    static String url(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("orders") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public void shutdown() {
        HikariDataSource current = pool;
        jdbc = null;
        pool = null;
        if (current != null) {
            // H2 closes the database files with the last connection
            current.close();
            logger.info("Database closed");
        }
    }

    /**
     * Pings the database with a pooled connection's {@link Connection#isValid(int) isValid(1)}, and shows the
     * pool's figures. Conductor asks only while the component is active; a check that races the shutdown reports
     * {@code OUT_OF_SERVICE}.
     */
    @Override
    public Health health() {
        HikariDataSource current = pool;
        if (current == null || current.isClosed()) {
            return Health.outOfService().withDetail("reason", "The database is not set up").build();
        }
        Health.Builder health;
        try (Connection connection = current.getConnection()) {
            boolean valid = connection.isValid(PING_TIMEOUT_SECONDS);
            health = (valid ? Health.up() : Health.down().withDetail("reason",
                    "No answer to a ping within " + PING_TIMEOUT_SECONDS + " s"))
                    .withDetail("database", connection.getMetaData().getDatabaseProductName() + " "
                            + connection.getMetaData().getDatabaseProductVersion());
            if (valid) {
                health.withDetail("orphanMessages", orphans(connection));
            }
        }
        catch (SQLException ex) {
            health = Health.down(ex);
        }
        health.withDetail("pool", current.getPoolName());
        HikariPoolMXBean figures = current.getHikariPoolMXBean();
        if (figures != null) {
            health.withDetail("activeConnections", figures.getActiveConnections())
                    .withDetail("idleConnections", figures.getIdleConnections())
                    .withDetail("maxConnections", current.getMaximumPoolSize());
        }
        return health.withDetail(shared.embedded() ? "directory" : "url", where()).build();
    }

    private String where() {
        return shared.embedded() ? directory.toString() : shared.url();
    }

    /**
     * Runs {@code work} in one transaction on the pool: the statements it makes through {@link #jdbc()} commit
     * together, or roll back together when it throws.
     */
    <T> T inTransaction(Supplier<T> work) {
        HikariDataSource current = pool;
        if (current == null) {
            throw new IllegalStateException("The database is not set up");
        }
        return new TransactionTemplate(new DataSourceTransactionManager(current)).execute(status -> work.get());
    }

    /**
     * Messages kept because their order did not exist (see {@link OrderProcessor}): more than 0 needs someone to
     * look, but the database itself is fine, so the health stays {@code UP}.
     */
    private static long orphans(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM orphan_messages")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** The client for SQL against the pool; only between setup and shutdown. */
    JdbcClient jdbc() {
        JdbcClient current = jdbc;
        if (current == null) {
            throw new IllegalStateException("The database is not set up");
        }
        return current;
    }
}
