package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's side of leader-only components: the annotation, the builder's mark, the injected leadership. */
@Timeout(30)
class ConductorLeadershipTest {

    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    static final class Database implements Component {

        @Override
        public void setup() {
            JOURNAL.add("setup database");
        }
    }

    @LeaderOnly("outbox")
    static final class OutboxRelay implements Component {

        final Database database;

        final Leadership leadership;

        volatile long tokenAtSetup;

        OutboxRelay(Database database, Leadership leadership) {
            this.database = database;
            this.leadership = leadership;
        }

        @Override
        public void setup() {
            tokenAtSetup = leadership.fencingToken();
            JOURNAL.add("setup relay " + tokenAtSetup);
        }

        @Override
        public void shutdown() {
            JOURNAL.add("shutdown relay");
        }
    }

    /** Leader-only for the same role, found through the field. */
    @LeaderOnly("outbox")
    static final class RelayMetrics implements Component {

        OutboxRelay relay;

        Leadership leadership;
    }

    static final class Reports implements Component {

        OutboxRelay relay;
    }

    static final class Sweeper implements Component {

        Leadership leadership;
    }

    interface Job extends Component {
    }

    @LeaderOnly("jobs")
    interface LeaderJob extends Job {
    }

    static final class NightlyJob implements LeaderJob {

        Database database;
    }

    @Test
    void aLeaderOnlyComponentIsGivenItsRolesLeadershipAndSetUpOnceTheRoleIsGranted() {
        JOURNAL.clear();
        Conductor conductor = Conductor.builder().leaderElection(LeaderElection.standalone()).build();
        OutboxRelay relay = conductor.add(OutboxRelay.class);
        RelayMetrics metrics = conductor.add(RelayMetrics.class);
        assertThat(relay.leadership).isSameAs(conductor.leadership("outbox")).isSameAs(metrics.leadership);
        conductor.setup();
        await().until(() -> conductor.leadership("outbox").status().state() == Leadership.State.LEADER);
        assertThat(JOURNAL).containsExactly("setup database", "setup relay 1");
        assertThat(conductor.graph().names()).contains("OutboxRelay", "RelayMetrics");
        conductor.shutdown();
        assertThat(JOURNAL).endsWith("shutdown relay");
        assertThat(conductor.leadership("outbox").isLeader()).isFalse();
    }

    @Test
    void theLeadershipOfARoleOutlivesTheEngineItWasGivenBy() {
        JOURNAL.clear();
        Conductor conductor = Conductor.builder().leaderElection(LeaderElection.standalone()).build();
        OutboxRelay relay = conductor.add(OutboxRelay.class);
        conductor.setup();
        await().until(() -> relay.leadership.status().state() == Leadership.State.LEADER);
        conductor.shutdown();
        conductor.add(RelayMetrics.class);
        conductor.setup();
        await().until(() -> relay.leadership.status().state() == Leadership.State.LEADER);
        assertThat(relay.tokenAtSetup).isEqualTo(2);
        assertThat(relay.leadership.status().grants()).isEqualTo(2);
        conductor.shutdown();
    }

    @Test
    void anOrdinaryComponentThatDependsOnALeaderOnlyOneIsRefusedAtSetup() {
        Conductor conductor = Conductor.builder().leaderElection(LeaderElection.standalone()).build();
        conductor.add(Reports.class);
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(conductor::setup)
                .withMessageStartingWith("Component 'Reports' depends on 'OutboxRelay', which is leader-only for role"
                        + " 'outbox', but 'Reports' is not leader-only");
    }

    @Test
    void aLeadershipForAComponentThatIsNotLeaderOnlyIsRefusedWithWhatToDo() {
        Conductor conductor = Conductor.builder().leaderElection(LeaderElection.standalone()).build();
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(() -> conductor.add(Sweeper.class))
                .withMessage("Field 'leadership' of Sweeper is a Leadership, but Sweeper is not leader-only, so it"
                        + " has no role to be given the leadership of. Mark it @LeaderOnly(\"role\"), or look a"
                        + " role's leadership up with conductor.leadership(\"role\").");
    }

    @Test
    void theBuilderMarksAClassThatCannotBeAnnotatedAndAnInterfaceMarksItsImplementations() {
        JOURNAL.clear();
        Conductor conductor = Conductor.builder().leaderElection(LeaderElection.standalone())
                .leaderOnly(Sweeper.class, "sweeping").build();
        Sweeper sweeper = conductor.add(Sweeper.class);
        conductor.add(NightlyJob.class);
        assertThat(sweeper.leadership.role()).isEqualTo("sweeping");
        conductor.setup();
        await().until(() -> conductor.leadership("jobs").status().state() == Leadership.State.LEADER
                && conductor.leadership("sweeping").status().state() == Leadership.State.LEADER);
        assertThat(conductor.report().component("NightlyJob").state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(conductor.yieldLeadership("jobs")).isTrue();
        conductor.shutdown();
    }

    @Test
    void withoutAnElectionLeaderOnlyComponentsAreRefused() {
        Conductor conductor = new Conductor();
        conductor.add(OutboxRelay.class);
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(conductor::setup)
                .withMessageContaining("no leader election was given");
    }
}
