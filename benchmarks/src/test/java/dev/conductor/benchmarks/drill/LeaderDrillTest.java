package dev.conductor.benchmarks.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader drill's short version, for CI: two rounds of every scenario on both backends, with real replica JVMs,
 * a real ZooKeeper (Curator's TestingServer) and a real PostgreSQL (Debian's package, which {@code .ci/run}
 * installs). Asserts the invariants every round (the drill reports a broken one as a failure: two grants' writes
 * interleaved in the fenced log, not exactly one leader after a round, a replica that kept its role), never a time.
 */
class LeaderDrillTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void everyScenarioHandsTheRoleOverAndTheFenceNeverSeesTwoLeaders() throws Exception {
        assumeTrue(PostgresServer.binaries() != null, "PostgreSQL's programs are not installed (Debian's"
                + " 'postgresql' package; .ci/run installs it): the leader drill is skipped");
        List<String> backends = List.of("zookeeper", "jdbc");
        List<String> scenarios = List.of("kill", "term", "stop", "cut");
        int rounds = Integer.getInteger("drill.rounds", 2);
        LeaderDrill.Options options = new LeaderDrill.Options(backends, scenarios, rounds, 2, 2000,
                Path.of("target", "drill-test"));

        LeaderDrill.Result result = LeaderDrill.run(options, QUIET);

        assertThat(result.failures()).isEmpty();
        assertThat(result.rounds()).hasSize(backends.size() * scenarios.size() * rounds);
        for (String backend : backends) {
            // A replica woken after a follower took over still writes for a moment: the database rejects it
            assertThat(result.rounds().stream()
                    .filter(round -> round.backend().equals(backend) && round.scenario().equals("stop"))
                    .mapToInt(LeaderDrill.Round::rejected).sum()).as(backend).isPositive();
        }
    }
}
