package dev.conductor.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraph;
import dev.conductor.core.ComponentState;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.Leadership;
import dev.conductor.core.LifecycleEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicas in one JVM, each with its own ZooKeeper session, electing the leader of a role on a real ZooKeeper
 * (Curator's TestingServer): one leads at a time, the other takes over on a graceful shutdown, a yield, a session
 * that expires, and the tokens of a fenced resource only grow.
 */
@Timeout(120)
class CuratorLeaderElectionTest {

    private TestingServer server;

    private final List<CuratorFramework> clients = new ArrayList<>();

    private final List<LifecycleEngine> engines = new ArrayList<>();

    /** The fenced resource: the highest token it accepted, and every write it accepted or rejected. */
    private final AtomicLong highestToken = new AtomicLong();

    private final List<String> writes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        server = new TestingServer(true);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (LifecycleEngine engine : engines) {
            engine.shutdown();
        }
        clients.forEach(CuratorFramework::close);
        server.close();
    }

    /** A replica: a database every replica runs, and a relay only the leader of "outbox" runs. */
    private LifecycleEngine replica(String name) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryForever(100)).build();
        client.start();
        clients.add(client);
        LeaderElection election = new CuratorLeaderElection(client, "/orders/leaders", name);
        Leadership[] leadership = new Leadership[1];
        Component relay = new Component() {

            @Override
            public void setup() {
                write(name, leadership[0].fencingToken(), "up");
            }

            @Override
            public void shutdown() {
                write(name, leadership[0].fencingToken(), "down");
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                .add("database", new Component() { })
                .add("relay", relay, "database").build())
                .leaderOnly("relay", "outbox").leaderElection(election).build();
        leadership[0] = engine.leadership("outbox");
        engines.add(engine);
        return engine;
    }

    /** Accepts a write only with a token at least the highest it has seen, as a fenced table would. */
    private synchronized void write(String replica, long token, String what) {
        if (token < highestToken.get()) {
            writes.add(replica + " rejected " + what + " " + token);
            return;
        }
        highestToken.set(token);
        writes.add(replica + " " + what + " " + token);
    }

    private static boolean leads(LifecycleEngine engine) {
        return engine.leadership("outbox").status().state() == Leadership.State.LEADER;
    }

    private LifecycleEngine awaitOneLeader(LifecycleEngine... engines) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            int leaders = 0;
            for (LifecycleEngine engine : engines) {
                leaders += leads(engine) ? 1 : 0;
            }
            return leaders == 1;
        });
        for (LifecycleEngine engine : engines) {
            if (leads(engine)) {
                return engine;
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOverAtOnceWhenItShutsDown() {
        LifecycleEngine first = replica("first");
        LifecycleEngine second = replica("second");
        first.setup();
        second.setup();
        LifecycleEngine leader = awaitOneLeader(first, second);
        LifecycleEngine follower = leader == first ? second : first;
        long firstToken = leader.leadership("outbox").fencingToken();
        assertThat(firstToken).isPositive();
        assertThat(follower.state("relay")).isEqualTo(ComponentState.NEW);
        assertThat(follower.state("database")).isEqualTo(ComponentState.ACTIVE);
        leader.shutdown();
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
        assertThat(follower.leadership("outbox").fencingToken()).isGreaterThan(firstToken);
        assertThat(writes).noneMatch(write -> write.contains("rejected"));
    }

    @Test
    void aYieldHandsTheRoleToTheOtherReplicaWithAGreaterTokenAndTheYieldingOneStaysACandidate() {
        LifecycleEngine first = replica("first");
        LifecycleEngine second = replica("second");
        first.setup();
        second.setup();
        LifecycleEngine leader = awaitOneLeader(first, second);
        LifecycleEngine follower = leader == first ? second : first;
        long token = leader.leadership("outbox").fencingToken();
        assertThat(leader.yieldLeadership("outbox")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
        assertThat(leader.state("relay")).isEqualTo(ComponentState.STOPPED);
        assertThat(follower.leadership("outbox").fencingToken()).isGreaterThan(token);
        // and back: the first replica was requeued
        long second_ = follower.leadership("outbox").fencingToken();
        follower.yieldLeadership("outbox");
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(leader));
        assertThat(leader.leadership("outbox").fencingToken()).isGreaterThan(second_);
    }

    @Test
    void aLeaderWhoseSessionExpiresShutsItsRoleDownAndTheOtherTakesOverWithAGreaterToken() throws Exception {
        LifecycleEngine first = replica("first");
        LifecycleEngine second = replica("second");
        first.setup();
        second.setup();
        LifecycleEngine leader = awaitOneLeader(first, second);
        LifecycleEngine follower = leader == first ? second : first;
        long token = leader.leadership("outbox").fencingToken();
        clients.get(engines.indexOf(leader)).getZookeeperClient().getZooKeeper().getTestable()
                .injectSessionExpiration();
        await().atMost(Duration.ofSeconds(60)).until(() -> leads(follower));
        await().atMost(Duration.ofSeconds(60)).until(() -> leader.state("relay") == ComponentState.STOPPED);
        assertThat(follower.leadership("outbox").fencingToken()).isGreaterThan(token);
        assertThat(leader.leadership("outbox").status().revocations()).isEqualTo(1);
        assertThat(leader.state("database")).isEqualTo(ComponentState.ACTIVE);
    }

    @Test
    void aLeaderCutOffFromZooKeeperShutsItsRoleDownAndSomeoneLeadsAgainOnceItIsBack() throws Exception {
        LifecycleEngine only = replica("only");
        only.setup();
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(only));
        long token = only.leadership("outbox").fencingToken();
        server.stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> only.state("relay") == ComponentState.STOPPED);
        assertThat(only.leadership("outbox").isLeader()).isFalse();
        server.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> leads(only));
        assertThat(only.leadership("outbox").fencingToken()).isGreaterThan(token);
    }

    @Test
    void aRoleThatCannotNameANodeIsRefused() {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryForever(100));
        clients.add(client);
        assertThatIllegalArgumentException().isThrownBy(() -> new CuratorLeaderElection(client, "/leaders")
                .join("a/b", null)).withMessageContaining("Role 'a/b' cannot name a ZooKeeper node");
        assertThatIllegalArgumentException().isThrownBy(() -> new CuratorLeaderElection(client, "leaders"))
                .withMessageContaining("must be absolute");
    }
}
