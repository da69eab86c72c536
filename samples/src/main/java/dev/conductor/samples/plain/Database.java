package dev.conductor.samples.plain;

import dev.conductor.core.Component;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

/** An in-memory H2 database: {@link #setup()} creates the schema, {@link #shutdown()} drops the database. */
class Database implements Component {

    private Connection connection;

    @Override
    public synchronized void setup() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:plain-orders-" + System.identityHashCode(this));
        // The database lives as long as this connection: one connection is plenty for a sample
        connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(200),"
                    + " status VARCHAR(16) NOT NULL)");
        }
    }

    @Override
    public synchronized void shutdown() throws SQLException {
        connection.close();
    }

    synchronized long insert(String item) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO orders (item, status) VALUES (?, 'SUBMITTED')", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, item);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    synchronized void markProcessed(long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE orders SET status = 'PROCESSED' WHERE id = ? AND status = 'SUBMITTED'")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    synchronized String status(long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
