package dev.conductor.benchmarks;

import java.util.Arrays;

/** The few statistics the plain harnesses print. */
final class Stats {

    private Stats() {
    }

    /** The median; the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }
}
