package dev.conductor.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.LeadershipEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LeadershipMetricsTests {

    @Test
    void grantsRevocationsAndYieldsOfARoleAreCountedAsHandOvers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConductorMetrics metrics = new ConductorMetrics(registry);
        metrics.onLeadership(new LeadershipEvent("outbox", LeadershipEvent.Kind.GRANTED, 1, null));
        metrics.onLeadership(new LeadershipEvent("outbox", LeadershipEvent.Kind.ACTIVE, 1, null));
        metrics.onLeadership(new LeadershipEvent("outbox", LeadershipEvent.Kind.REVOKED, 1, null));
        metrics.onLeadership(new LeadershipEvent("outbox", LeadershipEvent.Kind.GRANTED, 2, null));
        metrics.onLeadership(new LeadershipEvent("outbox", LeadershipEvent.Kind.YIELDED, 2, null));
        assertThat(registry.get(ConductorMetrics.LEADERSHIP_COUNTER).tag("role", "outbox").tag("kind", "granted")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get(ConductorMetrics.LEADERSHIP_COUNTER).tag("kind", "revoked").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(ConductorMetrics.LEADERSHIP_COUNTER).tag("kind", "yielded").counter().count())
                .isEqualTo(1);
        assertThat(registry.find(ConductorMetrics.LEADERSHIP_COUNTER).tag("kind", "active").counter()).isNull();
    }
}
