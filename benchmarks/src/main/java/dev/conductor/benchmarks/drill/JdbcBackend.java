package dev.conductor.benchmarks.drill;

import dev.conductor.core.LeaderElection;
import java.sql.Statement;
import java.util.List;

/** The drill's JDBC backend: Spring Integration's lock registry on PostgreSQL, through the starter's election. */
final class JdbcBackend {

    private JdbcBackend() {
    }

    static void createTables(Statement statement) {
    }

    static LeaderElection election(String target, long leaseMillis, List<AutoCloseable> resources) {
        throw new UnsupportedOperationException("the starter's Spring Integration election is not merged yet");
    }
}
