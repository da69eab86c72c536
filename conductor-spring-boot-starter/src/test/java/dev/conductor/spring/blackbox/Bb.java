package dev.conductor.spring.blackbox;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conductor.core.Component;

/** Shared recording for the black-box tests: a concurrent log, the active set and counts. */
final class Bb {

    interface Hook {
        void run() throws Exception;
    }

    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final Set<String> ACTIVE = ConcurrentHashMap.newKeySet();
    static final Map<String, AtomicInteger> SETUPS = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> SHUTDOWNS = new ConcurrentHashMap<>();
    static final Map<String, Hook> HOOKS = new ConcurrentHashMap<>();
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    private Bb() {
    }

    static void reset() {
        LOG.clear();
        ACTIVE.clear();
        SETUPS.clear();
        SHUTDOWNS.clear();
        HOOKS.clear();
        SEEN.clear();
    }

    static int setups(String name) {
        AtomicInteger n = SETUPS.get(name);
        return n == null ? 0 : n.get();
    }

    static int shutdowns(String name) {
        AtomicInteger n = SHUTDOWNS.get(name);
        return n == null ? 0 : n.get();
    }

    static int index(String entry) {
        return LOG.indexOf(entry);
    }

    /** A recording component; its behaviour in setup comes from HOOKS by name. */
    static class Rec implements Component {
        final String name;

        Rec(String name) {
            this.name = name;
        }

        @Override
        public void setup() throws Exception {
            LOG.add("begin:" + name);
            Hook hook = HOOKS.get(name);
            if (hook != null) {
                hook.run();
            }
            if (!ACTIVE.add(name)) {
                LOG.add("TWICE:" + name);
            }
            SETUPS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            LOG.add("up:" + name);
        }

        @Override
        public void shutdown() throws Exception {
            LOG.add("down:" + name);
            if (!ACTIVE.remove(name)) {
                LOG.add("DOWN-NOT-ACTIVE:" + name);
            }
            SHUTDOWNS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether the text is in the message of the throwable, of a cause or of a suppressed one, at any depth. */
    static boolean chainHas(Throwable t, String text) {
        return chainHas(t, text, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static boolean chainHas(Throwable t, String text, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (String.valueOf(t.getMessage()).contains(text)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (chainHas(s, text, seen)) {
                return true;
            }
        }
        return chainHas(t.getCause(), text, seen);
    }
}
