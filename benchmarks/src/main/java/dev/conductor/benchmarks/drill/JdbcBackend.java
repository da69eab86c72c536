package dev.conductor.benchmarks.drill;

import dev.conductor.core.LeaderElection;
import dev.conductor.spring.leader.JdbcFencingTokens;
import dev.conductor.spring.leader.LockRegistryLeaderElection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The drill's JDBC backend, as the starter wires it but without a Spring context: Spring Integration's
 * {@code JdbcLockRegistry} on PostgreSQL (its {@code INT_LOCK} table), the lock's time to live the lease, and the
 * starter's {@link LockRegistryLeaderElection} with {@link JdbcFencingTokens} in the same database, all reached
 * through the harness's proxy. The driver's socket and connect timeouts are half the lease, so that a partitioned
 * replica's queries fail rather than hang; PostgreSQL ends a session idle in a transaction for longer than the lease
 * (a replica paused between the lock's update and its commit would otherwise keep the row locked while paused, and
 * no other replica could take the lock until it woke up: the drill's first full run met that, see BENCHMARKS.md).
 */
final class JdbcBackend {

    private JdbcBackend() {
    }

    /** Spring Integration's lock table (from its {@code schema-postgresql.sql}). */
    static void createTables(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL,"
                + " CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL,"
                + " constraint INT_LOCK_PK primary key (LOCK_KEY, REGION))");
    }

    static LeaderElection election(String target, long leaseMillis, List<AutoCloseable> resources) {
        int timeoutSeconds = (int) Math.max(1, leaseMillis / 2000);
        // A replica paused inside the lock's transaction keeps PostgreSQL's row lock for as long as its connection
        // lives, the lock's time to live notwithstanding: PostgreSQL ends such a session after the lease
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
                "jdbc:postgresql://" + target + "/postgres?connectTimeout=" + timeoutSeconds + "&socketTimeout="
                        + timeoutSeconds + "&loginTimeout=" + timeoutSeconds
                        + "&options=-c%20idle_in_transaction_session_timeout%3D" + leaseMillis, "postgres", "");
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        resources.add(repository::close);
        JdbcLockRegistry locks = new JdbcLockRegistry(repository, Duration.ofMillis(leaseMillis));
        return new LockRegistryLeaderElection(locks, new JdbcFencingTokens(dataSource), null,
                Duration.ofMillis(Math.max(100, leaseMillis / 4)), Duration.ofMillis(50));
    }
}
