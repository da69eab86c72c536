package dev.conductor.benchmarks.drill;

import dev.conductor.core.LeaderElection;
import dev.conductor.curator.CuratorLeaderElection;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;

/** The election a drill replica joins, by backend name: {@code zookeeper} (Curator) or {@code jdbc}. */
final class Backends {

    private Backends() {
    }

    /**
     * @param target {@code 127.0.0.1:port} of the harness's proxy in front of the backend
     * @param leaseMillis ZooKeeper's session timeout; the JDBC lock's time to live
     * @param resources what the replica closes after its last shutdown, in reverse order
     */
    static LeaderElection election(String backend, String target, String name, long leaseMillis,
            List<AutoCloseable> resources) throws Exception {
        return switch (backend) {
            case "zookeeper" -> zookeeper(target, name, leaseMillis, resources);
            case "jdbc" -> JdbcBackend.election(target, leaseMillis, resources);
            default -> throw new IllegalArgumentException("Unknown backend '" + backend
                    + "': use zookeeper or jdbc");
        };
    }

    private static LeaderElection zookeeper(String target, String name, long leaseMillis,
            List<AutoCloseable> resources) {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(target)
                .sessionTimeoutMs((int) leaseMillis)
                .connectionTimeoutMs((int) Math.max(500, leaseMillis / 2))
                .retryPolicy(new RetryForever(100))
                .build();
        curator.start();
        resources.add(curator);
        return new CuratorLeaderElection(curator, "/drill/leaders", name);
    }
}
