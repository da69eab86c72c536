package dev.conductor.core;

import java.util.concurrent.atomic.AtomicLong;

/** {@link LeaderElection#standalone()}: every role granted at once; a yield grants it again, with a new token. */
final class StandaloneElection implements LeaderElection {

    private final AtomicLong tokens = new AtomicLong();

    @Override
    public Participation join(String role, Candidate candidate) {
        candidate.granted(tokens.incrementAndGet());
        return new Participation() {

            private volatile boolean closed;

            @Override
            public void yieldLeadership() {
                if (!closed) {
                    candidate.revoked();
                    candidate.granted(tokens.incrementAndGet());
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public String toString() {
        return "standalone election";
    }
}
