package dev.conductor.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.conductor.core.Component;
import dev.conductor.core.LeaderElection;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorLeadership;
import dev.conductor.spring.autoconfigure.ConductorAutoConfiguration;
import dev.conductor.spring.autoconfigure.ConductorLeadershipAutoConfiguration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

class ConductorLeadershipAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class,
                    ConductorLeadershipAutoConfiguration.class))
            .withBean("worker", Worker.class, Worker::new);

    /** A component: Conductor's beans exist only in a context with one. */
    @ConductorComponent
    static class Worker implements Component {
    }

    private static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:tokens-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    @Test
    void aLockRegistryAndADataSourceMakeAnElectionWithTokensCountedInTheDatabase() {
        contextRunner.withBean(LockRegistry.class, DefaultLockRegistry::new)
                .withBean(DataSource.class, ConductorLeadershipAutoConfigurationTests::h2)
                .run(context -> {
                    assertThat(context).hasSingleBean(LockRegistryLeaderElection.class)
                            .hasSingleBean(JdbcFencingTokens.class).hasSingleBean(ConductorLeadership.class);
                    FencingTokens tokens = context.getBean(FencingTokens.class);
                    assertThat(tokens.next("outbox")).isEqualTo(1);
                    assertThat(tokens.next("outbox")).isEqualTo(2);
                    assertThat(tokens.next("scheduler")).isEqualTo(1);
                });
    }

    @Test
    void anElectionOfTheApplicationsOwnIsUsedInstead() {
        LeaderElection own = LeaderElection.standalone();
        contextRunner.withBean(LockRegistry.class, DefaultLockRegistry::new)
                .withBean(LeaderElection.class, () -> own)
                .run(context -> assertThat(context).getBean(LeaderElection.class).isSameAs(own));
    }

    @Test
    void withoutSpringIntegrationThereIsNoElectionAndTheApplicationWorksAsBefore() {
        contextRunner.withClassLoader(new FilteredClassLoader(LockRegistryLeaderInitiator.class))
                .withBean(DataSource.class, ConductorLeadershipAutoConfigurationTests::h2)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElection.class)
                        .doesNotHaveBean(FencingTokens.class).hasSingleBean(ConductorLeadership.class));
    }

    @Test
    void withoutALockRegistryThereIsNoElection() {
        contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElection.class));
    }

    @Test
    void withoutFencingTokensJoiningARoleFailsSayingWhatToDefine() {
        contextRunner.withBean(LockRegistry.class, DefaultLockRegistry::new).run(context -> {
            LeaderElection election = context.getBean(LeaderElection.class);
            assertThatIllegalStateException().isThrownBy(() -> election.join("outbox", null))
                    .withMessageContaining("there is no FencingTokens bean, and a LockRegistry gives no fencing"
                            + " token. Define a DataSource");
        });
    }

    @Test
    void theTokenTableIsNamedByTheProperties() {
        contextRunner.withBean(LockRegistry.class, DefaultLockRegistry::new)
                .withBean(DataSource.class, ConductorLeadershipAutoConfigurationTests::h2)
                .withPropertyValues("conductor.leadership.jdbc.table=LEADER_TOKENS")
                .run(context -> {
                    context.getBean(FencingTokens.class).next("outbox");
                    try (var connection = context.getBean(DataSource.class).getConnection();
                            var rows = connection.createStatement().executeQuery("SELECT TOKEN FROM LEADER_TOKENS")) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getLong(1)).isEqualTo(1);
                    }
                });
    }
}
