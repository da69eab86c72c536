package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentGraphTest {

    private static ComponentGraph diamond() {
        return ComponentGraph.builder()
                .add("D", new Probe(), "B", "C")
                .add("B", new Probe(), "A")
                .add("C", new Probe(), "A")
                .add("A", new Probe())
                .build();
    }

    @Test
    void tiersAreDepthsInTheGraph() {
        ComponentGraph graph = diamond();
        assertThat(graph.tiers()).containsExactly(List.of("A"), List.of("B", "C"), List.of("D"));
        assertThat(graph.tier("D")).isEqualTo(2);
        assertThat(graph.dependents("A")).containsExactly("B", "C");
        assertThat(graph.dependencies("D")).containsExactly("B", "C");
    }

    @Test
    void namesWithTheSameHashCodeAreTwoComponents() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        ComponentGraph graph = ComponentGraph.builder()
                .add("Aa", new Probe())
                .add("BB", new Probe())
                .add("user", new Probe(), new String("BB"), "Aa")
                .build();
        assertThat(graph.dependencies("user")).containsExactly("BB", "Aa");
        assertThat(graph.dependents("BB")).containsExactly("user");
        assertThat(graph.tier("user")).isEqualTo(1);
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> ComponentGraph.builder().add("Aa", new Probe()).add("BB", new Probe())
                        .add("Aa", new Probe()).build())
                .withMessageStartingWith("Two components are named 'Aa'");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> graph.definition("C#"))
                .withMessage("No component named 'C#'. Known components: [Aa, BB, user]");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> graph.definition(null))
                .withMessageStartingWith("No component named 'null'");
    }

    @Test
    void heightIsTheLongestChainOfDependentsAbove() {
        ComponentGraph graph = ComponentGraph.builder()
                .add("top", new Probe(), "deep", "shallow")
                .add("deep", new Probe(), "middle")
                .add("middle", new Probe(), "shallow")
                .add("shallow", new Probe())
                .add("alone", new Probe())
                .build();
        assertThat(graph.heightOf(graph.indexOf("shallow"))).isEqualTo(3);
        assertThat(graph.heightOf(graph.indexOf("middle"))).isEqualTo(2);
        assertThat(graph.heightOf(graph.indexOf("deep"))).isEqualTo(1);
        assertThat(graph.heightOf(graph.indexOf("top"))).isZero();
        assertThat(graph.heightOf(graph.indexOf("alone"))).isZero();
    }

    @Test
    void tierIsOneMoreThanTheDeepestDependency() {
        ComponentGraph graph = ComponentGraph.builder()
                .add("top", new Probe(), "deep", "shallow")
                .add("deep", new Probe(), "middle")
                .add("middle", new Probe(), "shallow")
                .add("shallow", new Probe())
                .build();
        assertThat(graph.tier("top")).isEqualTo(3);
    }

    @Test
    void cycleIsReportedWithEveryMemberInOrder() {
        ComponentGraph.Builder builder = ComponentGraph.builder()
                .add("Root", new Probe())
                .add("CycleX", new Probe(), "CycleY")
                .add("CycleY", new Probe(), "CycleZ", "Root")
                .add("CycleZ", new Probe(), "CycleX")
                .add("Above", new Probe(), "CycleZ");
        assertThatExceptionOfType(ComponentGraphException.class).isThrownBy(builder::build)
                .withMessageContaining("CycleX -> CycleY -> CycleZ -> CycleX")
                .satisfies(ex -> assertThat(ex.getCycle()).containsExactly("CycleX", "CycleY", "CycleZ"));
    }

    @Test
    void selfDependencyIsACycle() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> ComponentGraph.builder().add("Alone", new Probe(), "Alone").build())
                .withMessageContaining("Alone -> Alone");
    }

    @Test
    void unknownDependencyNamesTheComponentAndListsTheKnownOnes() {
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> ComponentGraph.builder().add("webApi", new Probe(), "cache")
                        .add("database", new Probe()).build())
                .withMessageContaining("Component 'webApi' depends on 'cache', which is not a component")
                .withMessageContaining("Known components: [database, webApi]");
    }

    @Test
    void duplicateNamesAndInstancesAreRejected() {
        Probe probe = new Probe();
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> ComponentGraph.builder().add("a", new Probe()).add("a", new Probe()).build())
                .withMessageContaining("Two components are named 'a'");
        assertThatExceptionOfType(ComponentGraphException.class)
                .isThrownBy(() -> ComponentGraph.builder().add("a", probe).add("b", probe).build())
                .withMessageContaining("The same instance is added as 'a' and as 'b'");
    }

    @Test
    void dependencyPathLeadsFromARootToTheComponent() {
        assertThat(diamond().dependencyPath("A")).containsExactly("D", "B", "A");
        assertThat(diamond().dependencyPath("D")).containsExactly("D");
    }

    @Test
    void rendersMermaidAndDot() {
        ComponentGraph graph = ComponentGraph.builder().add("web", new Probe(), "db").add("db", new Probe()).build();
        assertThat(graph.toMermaid()).isEqualTo("""
                flowchart TD
                    c0["web"]
                    c1["db"]
                    c0 --> c1
                """);
        assertThat(graph.toDot()).contains("\"web\" -> \"db\";").startsWith("digraph conductor {");
    }

    @Test
    void blankNamesAndNonPositiveTimeoutsAreRejected() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ComponentDefinition.of(" ", new Probe()));
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ComponentDefinition.of("a", new Probe()).withSetupTimeout(java.time.Duration.ZERO))
                .withMessageContaining("The setup timeout of 'a' must be a positive duration");
    }
}
