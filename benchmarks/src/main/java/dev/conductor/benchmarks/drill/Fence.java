package dev.conductor.benchmarks.drill;

import dev.conductor.core.Component;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The fenced resource, as a replica sees it: a row per role in PostgreSQL that holds the highest fencing token
 * written so far, and a log that a write joins only if its token is at least that high. Each write is one
 * statement, so PostgreSQL's row lock orders two replicas' writes and a stale leader's is rejected by the database,
 * whatever the replica believes. An ordinary component: it is up on followers too.
 */
public final class Fence implements Component {

    /** Raises the role's fence to the token if not above it, and logs the write only then. */
    static final String WRITE = "WITH fence AS (UPDATE drill_fence SET token = ? WHERE role = ? AND token <= ?"
            + " RETURNING token) INSERT INTO drill_log (role, replica, token, kind) SELECT ?, ?, token, ? FROM fence";

    static final String REJECTED = "INSERT INTO drill_rejected (role, replica, token, kind) VALUES (?, ?, ?, ?)";

    private final ReplicaSettings settings;

    private Connection connection;

    public Fence(ReplicaSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void setup() throws SQLException {
        connection = DriverManager.getConnection(settings.fenceUrl(), "postgres", "");
        DrillReplica.say("READY"); // the ordinary components are up: the election is joined next
    }

    /**
     * Writes {@code kind} with {@code token} through the fence.
     *
     * @return whether the database took it; {@code false} when a higher token was written before
     */
    synchronized boolean write(long token, String kind) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(settings.fenceUrl(), "postgres", "");
        }
        try (PreparedStatement write = connection.prepareStatement(WRITE)) {
            write.setLong(1, token);
            write.setString(2, settings.role());
            write.setLong(3, token);
            write.setString(4, settings.role());
            write.setString(5, settings.name());
            write.setString(6, kind);
            if (write.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement rejected = connection.prepareStatement(REJECTED)) {
            rejected.setString(1, settings.role());
            rejected.setString(2, settings.name());
            rejected.setLong(3, token);
            rejected.setString(4, kind);
            rejected.executeUpdate();
        }
        return false;
    }

    @Override
    public synchronized void shutdown() throws SQLException {
        connection.close();
    }
}
