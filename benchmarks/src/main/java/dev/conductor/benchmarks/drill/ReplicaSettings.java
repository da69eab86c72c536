package dev.conductor.benchmarks.drill;

/**
 * What a drill replica is told on its command line.
 *
 * @param name this replica's name in the fenced log, such as {@code zookeeper-r1.3} (slot 1, third process)
 * @param role the election's role, and the fence's row
 * @param fenceUrl the JDBC URL of the fenced resource (PostgreSQL, reached directly, never through the proxy)
 */
public record ReplicaSettings(String name, String role, String fenceUrl) {
}
