package dev.conductor.benchmarks;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * The obvious hand-written alternative: set up a whole tier concurrently, wait for all of it, then the next
 * tier; shut down the tiers in reverse. A node waits for the slowest node of the tier before it, not for its
 * own dependencies, which is what Conductor avoids.
 */
final class TierBarrierStrategy implements Strategy {

    @Override
    public String id() {
        return "tiers";
    }

    @Override
    public String name() {
        return "Tier-by-tier barriers";
    }

    @Override
    public Prepared prepare(RandomDag dag, Trace trace) {
        List<int[]> tiers = dag.nodesByTier();
        Executor executor = PerTaskThreads.executor();
        return new Prepared() {
            @Override
            public void setup() {
                for (int tier = 0; tier < tiers.size(); tier++) {
                    runConcurrently(tiers.get(tier), trace::setup, executor);
                }
            }

            @Override
            public void shutdown() {
                for (int tier = tiers.size() - 1; tier >= 0; tier--) {
                    runConcurrently(tiers.get(tier), trace::shutdown, executor);
                }
            }
        };
    }

    private static void runConcurrently(int[] nodes, IntConsumer work, Executor executor) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            int node = nodes[i];
            futures[i] = CompletableFuture.runAsync(() -> work.accept(node), executor);
        }
        CompletableFuture.allOf(futures).join();
    }
}
