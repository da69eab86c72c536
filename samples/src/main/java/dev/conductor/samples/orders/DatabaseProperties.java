package dev.conductor.samples.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The database the order service shares with its other replicas, under {@code orders.database.*}. Unset (the
 * default), each instance has its own embedded H2 database under {@code orders.data-dir}.
 *
 * @param url the JDBC URL of the shared database, such as {@code jdbc:postgresql://127.0.0.1:5432/orders};
 *        empty for the embedded one
 * @param username the user to connect as
 * @param password the user's password
 */
@ConfigurationProperties("orders.database")
public record DatabaseProperties(@DefaultValue("") String url, @DefaultValue("") String username,
        @DefaultValue("") String password) {

    static final DatabaseProperties EMBEDDED = new DatabaseProperties("", "", "");

    /** Whether this instance keeps its own H2 database (no shared URL is set). */
    boolean embedded() {
        return url.isBlank();
    }
}
