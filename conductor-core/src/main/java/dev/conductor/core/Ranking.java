package dev.conductor.core;

import java.util.Arrays;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;

/**
 * Picks what a capped picture keeps: the {@code limit} items of lowest priority class (0 first: the critical
 * path, then failures, then the rest), within a class the longest first, ties in their original order. One
 * primitive sort of packed keys, so that choosing among 10,000 components costs about a millisecond.
 */
final class Ranking {

    /** Bits of the index in a packed key: up to a million items. */
    private static final int INDEX_BITS = 20;

    /** Bits of the length: about 2.4 hours in nanoseconds, longer steps rank as equally long. */
    private static final int LENGTH_BITS = 41;

    private Ranking() {
    }

    /** Which of {@code size} items are kept. */
    static boolean[] top(int size, int limit, IntUnaryOperator priority, IntToLongFunction length) {
        if (size > 1 << INDEX_BITS) {
            return topOfMany(size, limit, priority, length);
        }
        long[] keys = new long[size];
        long maxLength = (1L << LENGTH_BITS) - 1;
        for (int i = 0; i < size; i++) {
            long clipped = Math.min(maxLength, Math.max(0, length.applyAsLong(i)));
            long rank = ((long) Math.min(3, priority.applyAsInt(i)) << LENGTH_BITS) | (maxLength - clipped);
            keys[i] = (rank << INDEX_BITS) | i;
        }
        Arrays.sort(keys);
        boolean[] kept = new boolean[size];
        long indexMask = (1L << INDEX_BITS) - 1;
        for (int i = 0; i < Math.min(limit, size); i++) {
            kept[(int) (keys[i] & indexMask)] = true;
        }
        return kept;
    }

    /** The same order for more items than a packed key can index, with boxed indexes. */
    private static boolean[] topOfMany(int size, int limit, IntUnaryOperator priority, IntToLongFunction length) {
        int[] priorities = new int[size];
        long[] lengths = new long[size];
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            priorities[i] = priority.applyAsInt(i);
            lengths[i] = length.applyAsLong(i);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> priorities[a] != priorities[b] ? Integer.compare(priorities[a], priorities[b])
                : lengths[a] != lengths[b] ? Long.compare(lengths[b], lengths[a]) : Integer.compare(a, b));
        boolean[] kept = new boolean[size];
        for (int i = 0; i < Math.min(limit, size); i++) {
            kept[order[i]] = true;
        }
        return kept;
    }
}
