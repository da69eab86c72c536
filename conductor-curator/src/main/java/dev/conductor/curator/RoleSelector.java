package dev.conductor.curator;

import dev.conductor.core.LeaderElection;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
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

    private final String candidatesPath;

    private final byte[] id;

    private final LeaderElection.Candidate candidate;

    private final LeaderSelector selector;

    /** Counted down to end the term under way; replaced by each term. */
    private volatile CountDownLatch term = new CountDownLatch(0);

    RoleSelector(CuratorFramework client, String path, String id, String role, LeaderElection.Candidate candidate) {
        this.role = role;
        this.tokenPath = ZKPaths.makePath(path, "token");
        this.candidatesPath = ZKPaths.makePath(path, "candidates");
        this.id = id.getBytes(StandardCharsets.UTF_8);
        this.candidate = candidate;
        this.selector = new LeaderSelector(client, candidatesPath, this);
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

    /**
     * Writes to the role's token node, on condition that this replica's node still leads, and returns the write's
     * zxid: see {@link CuratorLeaderElection}. The condition matters after a pause: a session that expired
     * meanwhile lost its node, and a write retried on the new session must not draw a token after the leader that
     * took over.
     */
    private long fence(CuratorFramework client) throws Exception {
        if (client.checkExists().forPath(tokenPath) == null) {
            try {
                client.create().creatingParentsIfNeeded().forPath(tokenPath);
            }
            catch (KeeperException.NodeExistsException anotherReplicaWasFirst) {
                // it exists now
            }
        }
        String leading = leadingNode(client);
        Stat node = leading == null ? null : client.checkExists().forPath(leading);
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (node == null || node.getEphemeralOwner() != session) {
            throw new IllegalStateException("Role '" + role + "': this replica's node no longer leads the election"
                    + " (its session ended); not taking a fencing token");
        }
        List<CuratorTransactionResult> results = client.transaction().forOperations(
                client.transactionOp().check().withVersion(node.getVersion()).forPath(leading),
                client.transactionOp().setData().forPath(tokenPath, id));
        for (CuratorTransactionResult result : results) {
            if (result.getType() == OperationType.SET_DATA) {
                return result.getResultStat().getMzxid();
            }
        }
        throw new IllegalStateException("ZooKeeper answered the token write of role '" + role + "' without its result");
    }

    /** The node that leads the election now: the participant with the lowest sequence number. */
    private String leadingNode(CuratorFramework client) throws Exception {
        List<String> children = client.getChildren().forPath(candidatesPath);
        String lowest = null;
        for (String child : children) {
            if (lowest == null || sequence(child).compareTo(sequence(lowest)) < 0) {
                lowest = child;
            }
        }
        return lowest == null ? null : ZKPaths.makePath(candidatesPath, lowest);
    }

    /** The ten-digit sequence suffix ZooKeeper appends to a sequential node. */
    private static String sequence(String child) {
        return child.length() < 10 ? child : child.substring(child.length() - 10);
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
