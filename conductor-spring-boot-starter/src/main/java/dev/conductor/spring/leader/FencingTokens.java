package dev.conductor.spring.leader;

/**
 * Issues the fencing token of each grant of a role, for an election whose backend gives none (Spring
 * Integration's {@code LockRegistry} does not): called by the replica that has just acquired the role's lock, it
 * returns a number greater than every number it returned before for the role, to any replica.
 * {@link JdbcFencingTokens} keeps a counter row per role in the database; a Redis-backed registry would use
 * {@code INCR}.
 */
@FunctionalInterface
public interface FencingTokens {

    /**
     * The next token of {@code role}: greater than every token issued for it before.
     *
     * @throws Exception when none can be issued: the grant is then refused and the lock released
     */
    long next(String role) throws Exception;
}
