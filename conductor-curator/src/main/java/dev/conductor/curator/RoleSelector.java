package dev.conductor.curator;

import dev.conductor.core.LeaderElection;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * This replica's part in one role's election: a {@code LeaderSelector} that requeues itself, so that the replica
 * stays a candidate after it lost or gave up the role. While it leads, its leadership thread waits for a yield,
 * a close, or an interrupt (Curator interrupts it when the connection is suspended or lost).
 */
final class RoleSelector extends LeaderSelectorListenerAdapter implements LeaderElection.Participation {

    private static final System.Logger LOGGER = System.getLogger(CuratorLeaderElection.class.getName());

    private final String role;

    private final String tokenPath;

    private final byte[] id;

    private final LeaderElection.Candidate candidate;

    private final LeaderSelector selector;

    /** Counted down to end the term under way; replaced by each term. */
    private volatile CountDownLatch term = new CountDownLatch(0);

    RoleSelector(CuratorFramework client, String path, String id, String role, LeaderElection.Candidate candidate) {
        this.role = role;
        this.tokenPath = ZKPaths.makePath(path, "token");
        this.id = id.getBytes(StandardCharsets.UTF_8);
        this.candidate = candidate;
        this.selector = new LeaderSelector(client, ZKPaths.makePath(path, "candidates"), this);
        selector.setId(id);
        selector.autoRequeue();
    }

    void start() {
        selector.start();
    }

    @Override
    public void takeLeadership(CuratorFramework client) throws Exception {
        CountDownLatch current = new CountDownLatch(1);
        term = current;
        long token = fence(client);
        candidate.granted(token);
        try {
            current.await();
        }
        finally {
            candidate.revoked();
        }
    }

    /** Writes to the role's token node and returns the write's zxid: see {@link CuratorLeaderElection}. */
    private long fence(CuratorFramework client) throws Exception {
        Stat stat;
        try {
            stat = client.setData().forPath(tokenPath, id);
        }
        catch (KeeperException.NoNodeException first) {
            try {
                client.create().creatingParentsIfNeeded().forPath(tokenPath);
            }
            catch (KeeperException.NodeExistsException anotherReplicaWasFirst) {
                // it exists now: write to it
            }
            stat = client.setData().forPath(tokenPath, id);
        }
        return stat.getMzxid();
    }

    @Override
    public void yieldLeadership() {
        term.countDown();
    }

    @Override
    public void close() {
        term.countDown();
        try {
            selector.close();
        }
        catch (IllegalStateException alreadyClosed) {
            LOGGER.log(Level.DEBUG, "The selector of role ''{0}'' was already closed", role);
        }
    }

    @Override
    public String toString() {
        return "Curator election of role '" + role + "'";
    }
}
