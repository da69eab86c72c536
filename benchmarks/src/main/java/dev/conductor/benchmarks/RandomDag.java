package dev.conductor.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random dependency graph with a setup and a shutdown latency per node, the same for every strategy that runs
 * it. Node {@code i} depends only on nodes added before it, so the graph has no cycle by construction; each
 * node draws its dependencies uniformly from all earlier nodes, which gives a few wide tiers and a long tail.
 */
final class RandomDag {

    final int size;

    final int[][] dependencies;

    final int[][] dependents;

    final int[] setupMillis;

    final int[] shutdownMillis;

    final int[] tiers;

    private RandomDag(int[][] dependencies, int[] setupMillis, int[] shutdownMillis) {
        this.size = dependencies.length;
        this.dependencies = dependencies;
        this.setupMillis = setupMillis;
        this.shutdownMillis = shutdownMillis;
        this.dependents = invert(dependencies);
        this.tiers = tiers(dependencies);
    }

    /**
     * A graph of {@code size} nodes, each with {@code degree} distinct dependencies (fewer for the first nodes,
     * which have fewer predecessors), and latencies drawn uniformly from {@code [minMillis, maxMillis]}.
     */
    static RandomDag generate(long seed, int size, int degree, int minMillis, int maxMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] dependencies = new int[size][];
        int[] setup = new int[size];
        int[] shutdown = new int[size];
        for (int i = 0; i < size; i++) {
            int count = Math.min(degree, i);
            // Floyd's sampling: `count` distinct earlier nodes without building a list of all of them
            int[] picked = new int[count];
            int filled = 0;
            for (int j = i - count; j < i; j++) {
                int candidate = random.nextInt(j + 1);
                picked[filled++] = contains(picked, filled - 1, candidate) ? j : candidate;
            }
            Arrays.sort(picked);
            dependencies[i] = picked;
            setup[i] = minMillis + random.nextInt(maxMillis - minMillis + 1);
            shutdown[i] = minMillis + random.nextInt(maxMillis - minMillis + 1);
        }
        return new RandomDag(dependencies, setup, shutdown);
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    static String name(int node) {
        return "c" + node;
    }

    /**
     * The setup lower bound: the longest chain of dependencies by the sum of setup latencies. No strategy can
     * finish earlier, however many threads it has, because each node must wait for its dependencies.
     */
    long setupCriticalPathMillis() {
        return longestPath(setupMillis);
    }

    /** The shutdown lower bound: the same chains weighted by shutdown latencies, walked the other way. */
    long shutdownCriticalPathMillis() {
        return longestPath(shutdownMillis);
    }

    /** The number of tiers (depth + 1). */
    int tierCount() {
        return Arrays.stream(tiers).max().orElse(-1) + 1;
    }

    /** The nodes by tier: element 0 holds the nodes without dependencies. */
    List<int[]> nodesByTier() {
        int[] counts = new int[tierCount()];
        for (int tier : tiers) {
            counts[tier]++;
        }
        List<int[]> byTier = new ArrayList<>();
        for (int count : counts) {
            byTier.add(new int[count]);
        }
        int[] filled = new int[counts.length];
        for (int node = 0; node < size; node++) {
            byTier.get(tiers[node])[filled[tiers[node]]++] = node;
        }
        return byTier;
    }

    private long longestPath(int[] latencies) {
        // Nodes only depend on earlier nodes, so index order is a topological order
        long[] finish = new long[size];
        long longest = 0;
        for (int node = 0; node < size; node++) {
            long start = 0;
            for (int dependency : dependencies[node]) {
                start = Math.max(start, finish[dependency]);
            }
            finish[node] = start + latencies[node];
            longest = Math.max(longest, finish[node]);
        }
        return longest;
    }

    private static int[] tiers(int[][] dependencies) {
        int[] tiers = new int[dependencies.length];
        for (int node = 0; node < dependencies.length; node++) {
            for (int dependency : dependencies[node]) {
                tiers[node] = Math.max(tiers[node], tiers[dependency] + 1);
            }
        }
        return tiers;
    }

    private static int[][] invert(int[][] dependencies) {
        int[] counts = new int[dependencies.length];
        for (int[] nodeDependencies : dependencies) {
            for (int dependency : nodeDependencies) {
                counts[dependency]++;
            }
        }
        int[][] dependents = new int[dependencies.length][];
        for (int node = 0; node < dependencies.length; node++) {
            dependents[node] = new int[counts[node]];
        }
        int[] filled = new int[dependencies.length];
        for (int node = 0; node < dependencies.length; node++) {
            for (int dependency : dependencies[node]) {
                dependents[dependency][filled[dependency]++] = node;
            }
        }
        return dependents;
    }
}
