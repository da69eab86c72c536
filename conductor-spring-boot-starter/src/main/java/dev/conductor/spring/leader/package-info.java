/**
 * Leader election for {@link dev.conductor.core.LeaderOnly} components in a Spring application: a
 * {@link dev.conductor.core.LeaderElection} on Spring Integration's leader initiators, and fencing tokens.
 */
@NullMarked
package dev.conductor.spring.leader;

import org.jspecify.annotations.NullMarked;
