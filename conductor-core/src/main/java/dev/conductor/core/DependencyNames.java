package dev.conductor.core;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The dependencies of a {@link ComponentDefinition}: an immutable set of names in declaration order, backed by
 * an array. A definition is created once per component at every start, so this replaces the two
 * {@code LinkedHashSet} copies (and their hash tables) that each definition used to cost with one small array;
 * a set made here is never copied again.
 */
final class DependencyNames extends AbstractSet<String> {

    static final DependencyNames EMPTY = new DependencyNames(new String[0]);

    /** Up to this many names, membership is a linear scan: cheaper than hashing for the usual handful. */
    private static final int LINEAR_LIMIT = 8;

    private final String[] names;

    /**
     * The names' hash codes, taken while the names are at hand (the graph builder looks every name up later, in
     * no particular order, and would otherwise read each string again); {@code null} when not taken.
     */
    private final int[] hashes;

    private volatile Set<String> lookup;

    private DependencyNames(String[] names) {
        this(names, null);
    }

    private DependencyNames(String[] names, int[] hashes) {
        this.names = names;
        this.hashes = hashes;
    }

    /** The names of {@code source} in its iteration order, or {@code source} itself when it is one of these. */
    static DependencyNames copyOf(Collection<String> source) {
        if (source instanceof DependencyNames names) {
            return names;
        }
        return EMPTY.with(source);
    }

    /** These names followed by those of {@code more} not among them yet. */
    DependencyNames with(Iterable<String> more) {
        String[] all = Arrays.copyOf(names, names.length + (more instanceof Collection<?> c ? c.size() : 4));
        int count = names.length;
        Set<String> seen = null;
        for (String name : more) {
            if (seen == null && count >= LINEAR_LIMIT) {
                seen = new HashSet<>(Arrays.asList(all).subList(0, count));
            }
            boolean added = seen != null ? seen.add(name) : indexOf(all, count, name) < 0;
            if (added) {
                if (count == all.length) {
                    all = Arrays.copyOf(all, Math.max(4, count * 2));
                }
                all[count++] = name;
            }
        }
        if (count == names.length) {
            return this;
        }
        return new DependencyNames(count == all.length ? all : Arrays.copyOf(all, count));
    }

    /** These names followed by those of {@code more} not among them yet; {@code more} is not kept. */
    DependencyNames with(String[] more) {
        if (more.length == 0) {
            return this;
        }
        if (names.length == 0 && more.length <= LINEAR_LIMIT) {
            // The usual case, a handful of names given once: one copy, duplicates checked in place
            String[] all = new String[more.length];
            int[] hashes = new int[more.length];
            int count = 0;
            for (String name : more) {
                int hash = name == null ? 0 : name.hashCode();
                if (indexOf(all, hashes, count, name, hash) < 0) {
                    hashes[count] = hash;
                    all[count++] = name;
                }
            }
            return count == 0 ? this : count == all.length ? new DependencyNames(all, hashes)
                    : new DependencyNames(Arrays.copyOf(all, count), Arrays.copyOf(hashes, count));
        }
        return with(Arrays.asList(more));
    }

    /** The backing array, for the graph builder only: never modify it. */
    String[] array() {
        return names;
    }

    /** The hash codes of {@link #array()}, or {@code null} when they were not taken; never modify it. */
    int[] hashes() {
        return hashes;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean contains(Object name) {
        if (names.length <= LINEAR_LIMIT) {
            return indexOf(names, names.length, name) >= 0;
        }
        Set<String> set = lookup;
        if (set == null) {
            set = new HashSet<>(Arrays.asList(names));
            lookup = set;
        }
        return set.contains(name);
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {

            private int next;

            @Override
            public boolean hasNext() {
                return next < names.length;
            }

            @Override
            public String next() {
                if (next >= names.length) {
                    throw new NoSuchElementException();
                }
                return names[next++];
            }
        };
    }

    @Override
    public Object[] toArray() {
        return names.clone();
    }

    @Override
    public boolean add(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(Object name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addAll(Collection<? extends String> more) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeAll(Collection<?> names) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retainAll(Collection<?> names) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeIf(Predicate<? super String> filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    /** As {@link #indexOf(Object[], int, Object)}, comparing hash codes first: no string is read twice. */
    private static int indexOf(String[] values, int[] hashes, int length, String value, int hash) {
        for (int i = 0; i < length; i++) {
            if (hashes[i] == hash && (value == null ? values[i] == null : value.equals(values[i]))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(Object[] values, int length, Object value) {
        for (int i = 0; i < length; i++) {
            if (value == null ? values[i] == null : value.equals(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
