package dev.conductor.spring.autoconfigure;

import dev.conductor.core.LeaderElection;
import dev.conductor.spring.leader.FencingTokens;
import dev.conductor.spring.leader.JdbcFencingTokens;
import dev.conductor.spring.leader.LockRegistryLeaderElection;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The election of the {@link dev.conductor.core.LeaderOnly} components' leaders, when the application has Spring
 * Integration and a {@link LockRegistry} bean (a {@code JdbcLockRegistry}, a {@code RedisLockRegistry}, ...): a
 * {@link LockRegistryLeaderElection}, one leader initiator per role, unless the application defines a
 * {@link LeaderElection} bean of its own. With a {@link DataSource}, the fencing tokens are counted in its
 * database ({@link JdbcFencingTokens}, {@code conductor.leadership.jdbc.*}) unless a {@link FencingTokens} bean is
 * defined. Without Spring Integration nothing here applies, and the application works as before.
 */
@AutoConfiguration(after = ConductorAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE) // not before ConductorAutoConfiguration: see there
@ConditionalOnClass(name = "org.springframework.integration.support.leader.LockRegistryLeaderInitiator")
@ConditionalOnBean(ConductorLifecycle.class)
public final class ConductorLeadershipAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean(FencingTokens.class)
    static class JdbcTokensConfiguration {

        @Bean
        JdbcFencingTokens conductorFencingTokens(ObjectProvider<DataSource> dataSource, ConductorProperties properties) {
            ConductorProperties.Leadership.Jdbc jdbc = properties.getLeadership().getJdbc();
            return new JdbcFencingTokens(dataSource.getObject(), jdbc.getTable(), jdbc.isCreateTable());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(LockRegistryLeaderInitiator.class)
    @ConditionalOnBean(LockRegistry.class)
    @ConditionalOnMissingBean(LeaderElection.class)
    static class LockRegistryElectionConfiguration {

        @Bean
        LeaderElection conductorLeaderElection(LockRegistry<?> locks, ObjectProvider<FencingTokens> tokens,
                ApplicationEventPublisher publisher, ConductorProperties properties) {
            FencingTokens issued = tokens.getIfUnique();
            if (issued == null) {
                return (role, candidate) -> {
                    throw new IllegalStateException("there is no FencingTokens bean, and a LockRegistry gives no"
                            + " fencing token. Define a DataSource (the tokens are then counted in its database) or"
                            + " a FencingTokens bean");
                };
            }
            return new LockRegistryLeaderElection(locks, issued, publisher,
                    properties.getLeadership().getHeartbeat(), properties.getLeadership().getBusyWait());
        }
    }
}
