package dev.conductor.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.conductor.core.Component;
import dev.conductor.core.ComponentGraphException;
import dev.conductor.core.LeaderOnly;
import dev.conductor.core.Leadership;
import dev.conductor.core.LeadershipEvent;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorLeadership;
import dev.conductor.spring.LeadershipChangedEvent;
import dev.conductor.spring.actuate.ConductorEndpoint;
import dev.conductor.spring.actuate.ConductorEndpoint.RoleDescriptor;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.leader.event.OnGrantedEvent;

/**
 * Replicas as real SpringApplications in one JVM, sharing an H2 database: Spring Integration's JDBC lock registry
 * elects the leader of role "outbox", whose relay runs on exactly one of them; the other is a healthy follower,
 * and takes over at once when the leader closes or gives the role up, with a greater fencing token.
 */
@Timeout(120)
class JdbcLeaderElectionApplicationTests {

    /** What every replica's relay did, in order, across replicas: "name up token" / "name down token". */
    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    private final String database = "jdbc:h2:mem:leaders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

    @AfterEach
    void closeReplicas() {
        replicas.forEach(ConfigurableApplicationContext::close);
        JOURNAL.clear();
    }

    private ConfigurableApplicationContext replica(String name, Class<?> application, String... properties) {
        List<String> all = new ArrayList<>(List.of("test.database=" + database, "replica.name=" + name,
                "management.endpoint.conductor.access=unrestricted",
                "management.endpoints.web.exposure.include=conductor,health",
                "conductor.leadership.heartbeat=200ms"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        replicas.add(context);
        return context;
    }

    private static Leadership leadership(ConfigurableApplicationContext replica) {
        return replica.getBean(ConductorLeadership.class).of("outbox");
    }

    private static boolean leads(ConfigurableApplicationContext replica) {
        return leadership(replica).status().state() == Leadership.State.LEADER;
    }

    private ConfigurableApplicationContext awaitOneLeader(ConfigurableApplicationContext... replicas) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            int leaders = 0;
            for (ConfigurableApplicationContext replica : replicas) {
                leaders += leads(replica) ? 1 : 0;
            }
            return leaders == 1;
        });
        for (ConfigurableApplicationContext replica : replicas) {
            if (leads(replica)) {
                return replica;
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void oneReplicaRunsTheRelayAndTheOtherIsAHealthyFollowerThatTakesOverWhenTheLeaderCloses() {
        ConfigurableApplicationContext first = replica("first", Replica.class);
        ConfigurableApplicationContext second = replica("second", Replica.class);
        ConfigurableApplicationContext leader = awaitOneLeader(first, second);
        ConfigurableApplicationContext follower = leader == first ? second : first;
        String leaderName = leader.getEnvironment().getProperty("replica.name");
        String followerName = follower.getEnvironment().getProperty("replica.name");
        long token = leadership(leader).fencingToken();
        assertThat(JOURNAL).containsExactly(leaderName + " up " + token);
        // the follower: healthy, its relay down, its database up
        HealthIndicator health = follower.getBean("conductorHealthIndicator", HealthIndicator.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        RoleDescriptor role = follower.getBean(ConductorEndpoint.class).conductor().roles().get(0);
        assertThat(role.role()).isEqualTo("outbox");
        assertThat(role.state()).isEqualTo("FOLLOWER");
        assertThat(role.leader()).isFalse();
        assertThat(follower.getBean(ConductorEndpoint.class).conductor().components())
                .filteredOn(component -> component.name().equals("relay")).singleElement()
                .satisfies(relay -> assertThat(relay.leaderOnly()).isEqualTo("outbox"));
        RoleDescriptor leading = leader.getBean(ConductorEndpoint.class).conductor().roles().get(0);
        assertThat(leading.state()).isEqualTo("LEADER");
        assertThat(leading.fencingToken()).isEqualTo(token);
        assertThat(leader.getBean(Events.class).kinds).containsSubsequence(LeadershipEvent.Kind.GRANTED,
                LeadershipEvent.Kind.ACTIVE);
        assertThat(leader.getBean(Events.class).granted).hasSize(1);
        // a graceful close: the relay is shut down, then the lock released at once, and the follower takes over
        leader.close();
        assertThat(JOURNAL).contains(leaderName + " down " + token);
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
        long next = leadership(follower).fencingToken();
        assertThat(next).isGreaterThan(token);
        assertThat(JOURNAL).containsExactly(leaderName + " up " + token, leaderName + " down " + token,
                followerName + " up " + next);
    }

    @Test
    void theEndpointGivesTheRoleUpAndTheOtherReplicaTakesItWithAGreaterToken() {
        ConfigurableApplicationContext first = replica("first", Replica.class);
        ConfigurableApplicationContext second = replica("second", Replica.class);
        ConfigurableApplicationContext leader = awaitOneLeader(first, second);
        ConfigurableApplicationContext follower = leader == first ? second : first;
        long token = leadership(leader).fencingToken();
        // the yielding replica competes again at once, so either may win the next round; hold on until the other does
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (leads(leader)) {
                leader.getBean(ConductorEndpoint.class).yieldLeadership("roles", "outbox");
            }
            return leads(follower);
        });
        assertThat(leadership(follower).fencingToken()).isGreaterThan(token);
        assertThat(leadership(leader).status().yields()).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> !leadership(leader).isLeader()
                && leadership(leader).status().state() == Leadership.State.FOLLOWER);
        String leaderName = leader.getEnvironment().getProperty("replica.name");
        assertThat(JOURNAL).contains(leaderName + " down " + token);
    }

    @Test
    void anOrdinaryComponentThatDependsOnALeaderOnlyOneFailsTheStartNamingBoth() {
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> replica("broken", BrokenReplica.class))
                .havingRootCause().isInstanceOf(ComponentGraphException.class).withMessageContaining("Component 'report' depends on 'relay', which is leader-only for role"
                        + " 'outbox', but 'report' is not leader-only");
    }

    @Test
    void aComponentNamedInThePropertiesIsLeaderOnly() {
        ConfigurableApplicationContext only = replica("only", Replica.class,
                "conductor.leadership.leader-only.database=outbox");
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(only));
        assertThat(only.getBean(ConductorEndpoint.class).conductor().components())
                .allSatisfy(component -> assertThat(component.leaderOnly()).isEqualTo("outbox"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Replica {

        @Bean
        DataSource dataSource(org.springframework.core.env.Environment environment) {
            org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
            dataSource.setURL(environment.getProperty("test.database"));
            return dataSource;
        }

        @Bean
        org.springframework.jdbc.support.JdbcTransactionManager transactionManager(DataSource dataSource) {
            return new org.springframework.jdbc.support.JdbcTransactionManager(dataSource);
        }

        @Bean
        DefaultLockRepository lockRepository(DataSource dataSource) throws Exception {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION"
                        + " VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL,"
                        + " EXPIRED_AFTER TIMESTAMP NOT NULL, CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))");
            }
            return new DefaultLockRepository(dataSource);
        }

        @Bean
        JdbcLockRegistry lockRegistry(DefaultLockRepository repository) {
            return new JdbcLockRegistry(repository, Duration.ofSeconds(5));
        }

        @Bean
        @ConductorComponent
        Component database() {
            return new Component() { };
        }

        @Bean
        @ConductorComponent
        @LeaderOnly("outbox")
        Component relay(Component database, ConductorLeadership leaderships,
                org.springframework.core.env.Environment environment) {
            Leadership leadership = leaderships.of("outbox");
            String name = environment.getProperty("replica.name");
            return new Component() {

                @Override
                public void setup() {
                    JOURNAL.add(name + " up " + leadership.fencingToken());
                }

                @Override
                public void shutdown() {
                    JOURNAL.add(name + " down " + leadership.fencingToken());
                }
            };
        }

        @Bean
        Events events() {
            return new Events();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BrokenReplica extends Replica {

        @Bean
        @ConductorComponent
        Component report(Component relay) {
            return new Component() { };
        }
    }

    /** Records Conductor's leadership events and Spring Integration's grants. */
    static class Events implements ApplicationListener<org.springframework.context.ApplicationEvent> {

        final List<LeadershipEvent.Kind> kinds = new CopyOnWriteArrayList<>();

        final List<OnGrantedEvent> granted = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(org.springframework.context.ApplicationEvent event) {
            if (event instanceof LeadershipChangedEvent changed) {
                kinds.add(changed.getKind());
            }
            else if (event instanceof OnGrantedEvent grant) {
                granted.add(grant);
            }
        }
    }
}
