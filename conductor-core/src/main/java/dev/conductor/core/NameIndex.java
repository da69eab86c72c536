package dev.conductor.core;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The index of each component name in a graph: an open-addressing table whose slots hold a name's hash and its
 * index in one {@code long}, so that a lookup reads one slot and the name at that index, rather than a bucket, a
 * node and a boxed value as a {@code HashMap<String, Integer>} would (a graph is built at every start, and its
 * dependencies are looked up by name in no particular order).
 */
final class NameIndex {

    private final String[] names;

    /** 0 for a free slot, else the name's hash in the high half and its index plus one in the low half. */
    private final long[] slots;

    private final int shift;

    NameIndex(int size) {
        names = new String[size];
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, size * 2 - 1)));
        slots = new long[1 << bits];
        shift = 32 - bits;
    }

    /**
     * Adds a name at its index.
     *
     * @return -1 when it was added, or the index the name already has
     */
    int putIfAbsent(String name, int index) {
        int hash = name.hashCode();
        int mask = slots.length - 1;
        for (int slot = start(hash); ; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            if (entry == 0) {
                slots[slot] = ((long) hash << 32) | (index + 1L);
                names[index] = name;
                return -1;
            }
            int existing = matching(entry, hash, name);
            if (existing >= 0) {
                return existing;
            }
        }
    }

    /** The index of a name, or -1 when no component has it. */
    int indexOf(String name) {
        return indexOf(name, name.hashCode());
    }

    /** The index of a name whose hash code is {@code hash}, or -1 when no component has it. */
    int indexOf(String name, int hash) {
        int mask = slots.length - 1;
        for (int slot = start(hash); ; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            int index = matching(entry, hash, name);
            if (index >= 0) {
                return index;
            }
        }
    }

    /** Every name, sorted, for messages. */
    Set<String> sortedNames() {
        return new TreeSet<>(Arrays.asList(names));
    }

    private int matching(long entry, int hash, String name) {
        if ((int) (entry >>> 32) != hash) {
            return -1;
        }
        int index = (int) entry - 1;
        String candidate = names[index];
        return candidate == name || candidate.equals(name) ? index : -1;
    }

    /** Fibonacci hashing: spreads hashes that differ only in their high or low bits. */
    private int start(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }
}
