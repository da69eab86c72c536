package dev.conductor.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An election the test drives: it grants and revokes roles itself, and records what the engine asked of it
 * ("join r", "yield r", "close r") in a journal it may share with the components.
 */
final class ManualElection implements LeaderElection {

    final List<String> journal;

    private final Map<String, Candidate> candidates = new ConcurrentHashMap<>();

    volatile RuntimeException joinFailure;

    volatile RuntimeException yieldFailure;

    volatile RuntimeException closeFailure;

    /** Runs after a yield was journaled, with the role: a revocation, as a real election sends, for example. */
    volatile java.util.function.Consumer<String> onYield = role -> { };

    /** Runs inside join(), with the candidate: a grant from inside the call, for example. */
    volatile java.util.function.Consumer<Candidate> insideJoin = candidate -> { };

    ManualElection() {
        this(new CopyOnWriteArrayList<>());
    }

    ManualElection(List<String> journal) {
        this.journal = journal;
    }

    @Override
    public Participation join(String role, Candidate candidate) {
        journal.add("join " + role);
        if (joinFailure != null) {
            throw joinFailure;
        }
        candidates.put(role, candidate);
        insideJoin.accept(candidate);
        return new Participation() {

            @Override
            public void yieldLeadership() {
                journal.add("yield " + role);
                if (yieldFailure != null) {
                    throw yieldFailure;
                }
                onYield.accept(role);
            }

            @Override
            public void close() {
                journal.add("close " + role);
                if (closeFailure != null) {
                    throw closeFailure;
                }
            }
        };
    }

    Candidate candidate(String role) {
        Candidate candidate = candidates.get(role);
        if (candidate == null) {
            throw new AssertionError("Role '" + role + "' was not joined; journal: " + journal);
        }
        return candidate;
    }

    void grant(String role, long token) {
        candidate(role).granted(token);
    }

    void revoke(String role) {
        candidate(role).revoked();
    }

    boolean joined(String role) {
        return candidates.containsKey(role);
    }

    @Override
    public String toString() {
        return "manual election";
    }
}
