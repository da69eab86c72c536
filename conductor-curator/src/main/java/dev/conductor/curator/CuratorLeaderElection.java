package dev.conductor.curator;

import dev.conductor.core.LeaderElection;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;

/**
 * A {@link LeaderElection} on Apache Curator's {@code LeaderSelector} (ZooKeeper). Each role is an election under
 * {@code basePath/role}; the replica whose ephemeral sequential node is first leads it, until its session ends,
 * its connection is suspended or lost, it gives the role up, or it leaves.
 *
 * <pre>{@code
 * CuratorFramework curator = CuratorFrameworkFactory.newClient("zk1:2181,zk2:2181", new ExponentialBackoffRetry(100, 5));
 * curator.start();
 * Conductor conductor = Conductor.builder()
 *         .leaderElection(new CuratorLeaderElection(curator, "/orders/leaders"))
 *         .build();
 * }</pre>
 *
 * <p><b>What it guarantees.</b> The fencing token of a grant is the zxid of a write the new leader makes to
 * {@code basePath/role/token} once it holds the role, before it is told, in one ZooKeeper transaction with a check
 * that its own election node (owned by its session) still exists. ZooKeeper orders all writes, and a leader's write
 * happens after the previous leader's node was deleted (by its session's end or its release), after which the
 * previous leader's write can no longer succeed; so each grant's token is greater than every earlier grant's,
 * across replicas, ZooKeeper leader changes (the zxid's epoch grows) and restarts of the ensemble that keep its
 * data. A resource that remembers the highest token it has accepted rejects a stale leader's writes.
 *
 * <p><b>What it does not.</b> A leader learns that it lost the role only when its connection is suspended (this
 * replica then assumes it lost the role: Curator's default error policy treats {@code SUSPENDED} as lost) or its
 * session expires; a process paused longer than the session timeout wakes up believing it still leads until
 * Curator tells it otherwise. Between the new leader's grant and the old one's revocation two replicas may run the
 * role's components at once; only the fencing token, checked by the resource, keeps the old one's writes out. A
 * follower takes over after a crash once the leader's session times out; after a graceful shutdown at once.
 *
 * <p>The client is the caller's: started before {@code setup()}, and closed after {@code shutdown()}.
 */
public final class CuratorLeaderElection implements LeaderElection {

    private final CuratorFramework client;

    private final String basePath;

    private final String id;

    /**
     * An election under {@code basePath}, this replica named by its host and process id.
     *
     * @param client a started Curator client
     * @param basePath the path the roles' elections live under, such as {@code "/orders/leaders"}
     */
    public CuratorLeaderElection(CuratorFramework client, String basePath) {
        this(client, basePath, ProcessHandle.current().pid() + "@" + hostName());
    }

    /**
     * An election under {@code basePath}, this replica named {@code id} among the participants (for operators
     * only: the election does not need it to be unique).
     */
    public CuratorLeaderElection(CuratorFramework client, String basePath, String id) {
        this.client = Objects.requireNonNull(client, "client");
        this.basePath = ZKPaths.makePath(Objects.requireNonNull(basePath, "basePath"), "");
        this.id = Objects.requireNonNull(id, "id");
        if (!basePath.startsWith("/")) {
            throw new IllegalArgumentException("The base path must be absolute, such as \"/orders/leaders\", but was '"
                    + basePath + "'");
        }
    }

    @Override
    public Participation join(String role, Candidate candidate) {
        if (role.contains("/")) {
            throw new IllegalArgumentException("Role '" + role + "' cannot name a ZooKeeper node: it contains '/'."
                    + " Name the role without one.");
        }
        RoleSelector selector = new RoleSelector(client, ZKPaths.makePath(basePath, role), id, role, candidate);
        selector.start();
        return selector;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.io.IOException ex) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return "Curator leader election under " + basePath;
    }
}
