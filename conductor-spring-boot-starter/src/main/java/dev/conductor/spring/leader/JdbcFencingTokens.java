package dev.conductor.spring.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link FencingTokens} from a counter row per role, in a table of the database the locks live in:
 * {@code UPDATE ... SET TOKEN = TOKEN + 1} and a read of the new value in one transaction, so that the row lock
 * orders the grants. The table ({@code CONDUCTOR_FENCING_TOKEN} unless named otherwise, with columns
 * {@code ROLE VARCHAR(255)} primary key and {@code TOKEN BIGINT}) is created if it does not exist, unless told not
 * to.
 *
 * <p><b>What it guarantees.</b> Tokens of a role strictly increase in the order they are issued, across replicas.
 * A replica that took the lock after another one's lock expired draws its token after the other one drew its own,
 * so a paused or cut-off leader holds the smaller token and a resource that keeps the highest token it accepted
 * rejects its writes. <b>What it does not.</b> The token is drawn just after the lock is acquired, in a transaction
 * of its own: a replica that stalls between the two for longer than the lock's time to live (a pause of seconds
 * inside one database round trip) can draw a token after the replica that took over meanwhile. Curator's election
 * ({@code conductor-curator}) has no such window.
 */
public final class JdbcFencingTokens implements FencingTokens {

    /** The table's name unless another is given. */
    public static final String DEFAULT_TABLE = "CONDUCTOR_FENCING_TOKEN";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final DataSource dataSource;

    private final String table;

    private final boolean createTable;

    private volatile boolean tableChecked;

    /** Tokens in {@value #DEFAULT_TABLE}, created if need be. */
    public JdbcFencingTokens(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE, true);
    }

    /**
     * Tokens in {@code table}, created if it does not exist when {@code createTable} is set.
     *
     * @throws IllegalArgumentException when {@code table} is not a plain (optionally schema-qualified) name
     */
    public JdbcFencingTokens(DataSource dataSource, String table, boolean createTable) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = Objects.requireNonNull(table, "table");
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("'" + table + "' is not a table name: use letters, digits and"
                    + " underscores, optionally schema-qualified");
        }
        this.createTable = createTable;
    }

    @Override
    public long next(String role) throws SQLException {
        if (createTable && !tableChecked) {
            createTable();
        }
        SQLException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a first insert may race another replica's
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    long token = increment(connection, role);
                    connection.commit();
                    return token;
                }
                catch (SQLException ex) {
                    connection.rollback();
                    last = ex;
                }
                finally {
                    connection.setAutoCommit(autoCommit);
                }
            }
        }
        throw last;
    }

    private long increment(Connection connection, String role) throws SQLException {
        int updated;
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET TOKEN = TOKEN + 1 WHERE ROLE = ?")) {
            update.setString(1, role);
            updated = update.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " (ROLE, TOKEN) VALUES (?, 1)")) {
                insert.setString(1, role);
                insert.executeUpdate();
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT TOKEN FROM " + table
                + " WHERE ROLE = ?")) {
            select.setString(1, role);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("The fencing token row of role '" + role + "' vanished");
                }
                return row.getLong(1);
            }
        }
    }

    private synchronized void createTable() throws SQLException {
        if (tableChecked) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (ROLE VARCHAR(255) NOT NULL PRIMARY KEY, TOKEN BIGINT NOT NULL)");
        }
        tableChecked = true;
    }

    @Override
    public String toString() {
        return "fencing tokens in table " + table;
    }
}
