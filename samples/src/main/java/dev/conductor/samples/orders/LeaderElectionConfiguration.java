package dev.conductor.samples.orders;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.conductor.core.LeaderElection;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Who leads the {@link OutboxRelay}'s role. One instance (the default): it does, at once
 * ({@link LeaderElection#standalone()}). Several replicas on a shared database (the {@code replicas} profile, with
 * {@code orders.database.url}): Spring Integration's {@code JdbcLockRegistry} on that database, which Conductor's
 * starter turns into the election (one leader initiator per role, fencing tokens counted in the same database).
 */
@Configuration(proxyBeanMethods = false)
class LeaderElectionConfiguration {

    @Bean
    @Profile("!replicas")
    LeaderElection standaloneLeaderElection() {
        return LeaderElection.standalone();
    }

    /** The shared database's lock registry; the starter does the rest. */
    @Configuration(proxyBeanMethods = false)
    @Profile("replicas")
    static class Replicas {

        /** A small pool of its own: the election runs before, and apart from, the {@link Database} component. */
        @Bean
        HikariDataSource electionDataSource(DatabaseProperties database) {
            if (database.embedded()) {
                throw new IllegalStateException("The 'replicas' profile needs a database the replicas share: set"
                        + " orders.database.url (such as jdbc:postgresql://127.0.0.1:5432/orders), with"
                        + " orders.database.username and orders.database.password");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("orders-election");
            config.setJdbcUrl(database.url());
            config.setUsername(database.username());
            config.setPassword(database.password());
            config.setMaximumPoolSize(4);
            return new HikariDataSource(config);
        }

        @Bean
        DefaultLockRepository lockRepository(DataSource electionDataSource) {
            // Spring Integration's lock table (its schema-postgresql.sql), created if missing
            new JdbcTemplate(electionDataSource).execute("CREATE TABLE IF NOT EXISTS INT_LOCK ("
                    + "LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36),"
                    + " CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL,"
                    + " constraint INT_LOCK_PK primary key (LOCK_KEY, REGION))");
            DefaultLockRepository repository = new DefaultLockRepository(electionDataSource);
            // Its own: without one it looks for a PlatformTransactionManager bean, and the sample defines none
            repository.setTransactionManager(new DataSourceTransactionManager(electionDataSource));
            return repository;
        }

        /**
         * The lock's time to live is the lease: a replica that dies holding it is followed after this long; one
         * that stops (SIGTERM) hands over at once.
         */
        @Bean
        JdbcLockRegistry lockRegistry(LockRepository lockRepository,
                @Value("${orders.leadership.lease:5s}") Duration lease) {
            return new JdbcLockRegistry(lockRepository, lease);
        }
    }
}
