package dev.conductor.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Leadership;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox relay's fence on the real (H2) database: a relay whose grant's token is below the one in
 * {@code leader_fence} records nothing, and gives its grant up when that is so at setup; a current one sends the
 * pending events once, recording its token.
 */
class OutboxRelayTest {

    @TempDir
    Path dataDir;

    private Database database;

    private OrderRepository orders;

    @BeforeEach
    void setUp() throws Exception {
        database = new Database(dataDir);
        database.setup();
        orders = new OrderRepository(database);
    }

    @AfterEach
    void tearDown() {
        database.shutdown();
    }

    @Test
    void aProcessedOrderPutsItsEventInTheOutboxInTheSameTransaction() {
        String id = submitAndProcess();

        assertThat(pending()).containsExactly(id);
        // processed once only: a redelivery writes no second event
        assertThat(orders.markProcessed(id, Instant.now())).isEqualTo(OrderRepository.Outcome.ALREADY_PROCESSED);
        assertThat(pending()).containsExactly(id);
    }

    @Test
    void aCurrentRelaySendsEachPendingEventOnceWithItsToken() {
        String first = submitAndProcess();
        String second = submitAndProcess();
        OutboxRelay relay = relay(4);

        assertThat(relay.relay(4)).isEqualTo(2);
        assertThat(relay.relay(4)).isZero();

        assertThat(pending()).isEmpty();
        assertThat(database.jdbc().sql("SELECT order_id, relayed_token FROM outbox ORDER BY id")
                .query((row, number) -> row.getString(1) + "@" + row.getLong(2)).list())
                .containsExactly(first + "@4", second + "@4");
        assertThat(fence()).isEqualTo(4);
        assertThat(relay.health().getDetails()).containsEntry("relayed", 2L).containsEntry("fencedOut", 0L);
    }

    @Test
    void aStaleRelayIsRejectedByTheDatabaseAndRecordsNothing() {
        submitAndProcess();
        assertThat(relay(7).relay(7)).isEqualTo(1);
        String later = submitAndProcess();
        OutboxRelay stale = relay(3);

        // the stale relay runs its batch (it does not know it is stale): the database rejects all of it
        assertThat(stale.relay(3)).isEqualTo(-1);
        assertThat(stale.health().getDetails()).containsEntry("fencedOut", 1L).containsEntry("relayed", 0L);
        assertThat(pending()).containsExactly(later);
        assertThat(fence()).isEqualTo(7);
    }

    @Test
    void aGrantThatIsStaleAlreadyFailsTheSetupSoTheRoleIsGivenUp() {
        relay(9).relay(9);
        OutboxRelay stale = relay(5);

        assertThatThrownBy(stale::setup).isInstanceOf(IllegalStateException.class)
                .hasMessage("The outbox fence holds a token above this replica's 5: another replica led the role"
                        + " since");
        assertThat(fence()).isEqualTo(9);
    }

    private String submitAndProcess() {
        String id = UUID.randomUUID().toString();
        orders.insert(new Order(id, "widget", 1, OrderStatus.SUBMITTED, 0, Instant.now(), null));
        assertThat(orders.markProcessed(id, Instant.now())).isEqualTo(OrderRepository.Outcome.PROCESSED);
        return id;
    }

    private List<String> pending() {
        return database.jdbc().sql("SELECT order_id FROM outbox WHERE relayed_at IS NULL ORDER BY id")
                .query(String.class).list();
    }

    private long fence() {
        return database.jdbc().sql("SELECT token FROM leader_fence WHERE role = 'outbox'").query(Long.class).single();
    }

    /** A relay on a replica that was granted the role with {@code token}. */
    private OutboxRelay relay(long token) {
        return new OutboxRelay(database, role -> new Granted(role, token), Duration.ofMinutes(1));
    }

    private record Granted(String role, long fencingToken) implements Leadership {

        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public Status status() {
            throw new UnsupportedOperationException("not needed here");
        }
    }
}
