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

    /** What {@link #markProcessed} found. */
    enum Outcome {
        /** The order was submitted and is processed now. */
        PROCESSED,
        /** The order had been processed before: a redelivery of a message whose acknowledgement was lost. */
        ALREADY_PROCESSED,
        /** There is no such order. */
        NO_SUCH_ORDER
    }

    /**
     * Records that an order was processed, once, with its {@code ORDER_PROCESSED} event in the outbox (in the same
     * transaction): the status guard makes a redelivered message a no-op, which is what makes processing
     * exactly-once although the broker delivers at least once. "No row updated" is told apart: an order processed
     * before, or no order at all.
     */
    Outcome markProcessed(String id, Instant at) {
        OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        return database.inTransaction(() -> {
            int updated = database.jdbc()
                    .sql("UPDATE orders SET status = 'PROCESSED', processing_count = processing_count + 1,"
                            + " processed_at = ? WHERE id = ? AND status = 'SUBMITTED'")
                    .params(when, id)
                    .update();
            if (updated == 1) {
                // The outbox: the event commits with the order's change, and OutboxRelay sends it later
                database.jdbc()
                        .sql("INSERT INTO outbox (order_id, event, created_at) VALUES (?, 'ORDER_PROCESSED', ?)")
                        .params(id, when)
                        .update();
                return Outcome.PROCESSED;
            }
            return database.jdbc().sql("SELECT COUNT(*) FROM orders WHERE id = ?").param(id).query(Integer.class)
                    .single() == 1 ? Outcome.ALREADY_PROCESSED : Outcome.NO_SUCH_ORDER;
        });
    }

    /** Keeps a message whose order does not exist, for someone to look into. */
    void keepOrphan(String id, Instant at) {
        database.jdbc().sql("INSERT INTO orphan_messages (order_id, received_at) VALUES (?, ?)")
                .params(id, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
    }

    /** How many messages were kept because their order did not exist. */
    int orphans() {
        return database.jdbc().sql("SELECT COUNT(*) FROM orphan_messages").query(Integer.class).single();
    }

    private static Order map(ResultSet row, int rowNumber) throws SQLException {
        OffsetDateTime processedAt = row.getObject("processed_at", OffsetDateTime.class);
        return new Order(row.getString("id"), row.getString("item"), row.getInt("quantity"),
                OrderStatus.valueOf(row.getString("status")), row.getInt("processing_count"),
                row.getObject("submitted_at", OffsetDateTime.class).toInstant(),
                processedAt == null ? null : processedAt.toInstant());
    }
}
