package dev.conductor.samples.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The SQL for orders, on the pool {@link Database} holds while it is set up. */
final class OrderRepository {

    private final Database database;

    OrderRepository(Database database) {
        this.database = database;
    }

    void insert(Order order) {
        database.jdbc()
                .sql("INSERT INTO orders (id, item, quantity, status, processing_count, submitted_at)"
                        + " VALUES (?, ?, ?, ?, 0, ?)")
                .params(order.id(), order.item(), order.quantity(), order.status().name(),
                        OffsetDateTime.ofInstant(order.submittedAt(), ZoneOffset.UTC))
                .update();
    }

    void delete(String id) {
        database.jdbc().sql("DELETE FROM orders WHERE id = ?").param(id).update();
    }

    Optional<Order> find(String id) {
        return database.jdbc().sql("SELECT * FROM orders WHERE id = ?").param(id).query(OrderRepository::map).optional();
    }

    List<Order> recent(int limit) {
        return database.jdbc()
                .sql("SELECT * FROM orders ORDER BY submitted_at DESC LIMIT ?")
                .param(limit)
                .query(OrderRepository::map)
                .list();
    }

    /**
     * Records that an order was processed, once, with its {@code ORDER_PROCESSED} event in the outbox: the status guard makes a redelivered message a no-op, which is
     * what makes processing exactly-once although the broker delivers at least once.
     *
     * @return {@code false} when the order was already processed (or does not exist)
     */
    boolean markProcessed(String id, Instant at) {
        OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        return database.inTransaction(() -> {
            boolean processed = database.jdbc()
                    .sql("UPDATE orders SET status = 'PROCESSED', processing_count = processing_count + 1,"
                            + " processed_at = ? WHERE id = ? AND status = 'SUBMITTED'")
                    .params(when, id)
                    .update() == 1;
            if (processed) {
                // The outbox: the event commits with the order's change, and OutboxRelay sends it later
                database.jdbc()
                        .sql("INSERT INTO outbox (order_id, event, created_at) VALUES (?, 'ORDER_PROCESSED', ?)")
                        .params(id, when)
                        .update();
            }
            return processed;
        });
    }

    private static Order map(ResultSet row, int rowNumber) throws SQLException {
        OffsetDateTime processedAt = row.getObject("processed_at", OffsetDateTime.class);
        return new Order(row.getString("id"), row.getString("item"), row.getInt("quantity"),
                OrderStatus.valueOf(row.getString("status")), row.getInt("processing_count"),
                row.getObject("submitted_at", OffsetDateTime.class).toInstant(),
                processedAt == null ? null : processedAt.toInstant());
    }
}
