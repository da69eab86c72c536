package dev.conductor.benchmarks.drill;

import dev.conductor.core.Conductor;
import dev.conductor.core.LeaderElection;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.core.LifecycleEvent;
import dev.conductor.core.LifecycleListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One replica of the leader drill, a child JVM of {@link LeaderDrill}: a {@link Fence} (ordinary) and a
 * {@link Relay} leader-only for the role, on the backend's election, reached through the harness's proxy. Serves
 * until SIGTERM, then shuts down as any Conductor application does (the role first, then the election, then the
 * rest) and closes the election's client. Talks to the harness by lines on standard output: {@code READY}, {@code ACTIVE token},
 * {@code REJECTED token n}, {@code STOPPED token}, {@code LEADERSHIP kind token}.
 *
 * <p>Arguments: {@code --backend=zookeeper|jdbc --election=127.0.0.1:port --fence=jdbc-url --name=... --lease-ms=N}.
 */
public final class DrillReplica {

    private DrillReplica() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String backend = options.get("backend");
        ReplicaSettings settings = new ReplicaSettings(options.get("name"), backend, options.get("fence"));
        long leaseMillis = Long.parseLong(options.getOrDefault("lease-ms", "2000"));
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            LeaderElection election = Backends.election(backend, options.get("election"), settings.name(),
                    leaseMillis, resources);
            Conductor conductor = Conductor.builder()
                    .leaderElection(election)
                    .leaderOnly(Relay.class, backend)
                    .provide(ReplicaSettings.class, settings)
                    .listener(new LifecycleListener() {
                        @Override
                        public void onEvent(LifecycleEvent event) {
                        }

                        @Override
                        public void onLeadership(LeadershipEvent event) {
                            say("LEADERSHIP " + event.kind() + " " + event.fencingToken()
                                    + (event.failure() == null ? "" : " " + event.failure()));
                        }
                    })
                    .build();
            conductor.add(Fence.class);
            conductor.add(Relay.class);
            // As an application that owns its election's client: on SIGTERM shut down (the role first, then the
            // election, then the rest), and only then close the client, so that its session ends at once and a
            // follower does not wait for it to expire
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    conductor.shutdown();
                }
                finally {
                    closeAll(resources);
                    say("EXIT");
                    stopped.countDown();
                }
            }, "drill-shutdown"));
            conductor.setup();
            stopped.await();
        }
        catch (Exception | Error ex) {
            closeAll(resources);
            throw ex;
        }
    }

    private static synchronized void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.remove(i).close();
            }
            catch (Exception ex) {
                say("CLOSE-FAILED " + ex);
            }
        }
    }

    static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        for (String required : List.of("backend", "election", "fence", "name")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("Missing --" + required + "=...");
            }
        }
        return options;
    }
}
