package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComponentDefinitionTest {

    private static final Component NO_OP = new Component() {
    };

    @Test
    void dependenciesBehaveLikeAnUnmodifiableLinkedHashSetOfEveryNameGiven() {
        // Seeded: repeated dependsOn calls with duplicates, across the size where lookups switch to hashing
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 500; trial++) {
            ComponentDefinition definition = ComponentDefinition.of("c", NO_OP);
            Set<String> expected = new LinkedHashSet<>();
            int calls = random.nextInt(4);
            for (int call = 0; call < calls; call++) {
                List<String> names = new ArrayList<>();
                int count = random.nextInt(12);
                for (int i = 0; i < count; i++) {
                    names.add("d" + random.nextInt(20));
                }
                definition = random.nextBoolean() ? definition.dependsOn(names)
                        : definition.dependsOn(names.toArray(new String[0]));
                expected.addAll(names);
            }

            Set<String> actual = definition.dependencies();
            assertThat(actual).containsExactlyElementsOf(expected);
            assertThat(actual).isEqualTo(expected).hasSameHashCodeAs(expected);
            assertThat(actual.toString()).isEqualTo(expected.toString());
            for (int i = 0; i < 20; i++) {
                assertThat(actual.contains("d" + i)).isEqualTo(expected.contains("d" + i));
            }
            assertThat(new ComponentDefinition("c", NO_OP, expected, null, null)).isEqualTo(definition);
        }
    }

    @Test
    void dependenciesCannotBeModified() {
        Set<String> dependencies = ComponentDefinition.of("c", NO_OP).dependsOn("a", "b").dependencies();

        assertThatThrownBy(() -> dependencies.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> dependencies.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(dependencies::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> dependencies.iterator().remove())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(dependencies).containsExactly("a", "b");
    }

    @Test
    void aSetPassedToTheConstructorIsCopied() {
        Set<String> given = new LinkedHashSet<>(List.of("b", "a"));
        ComponentDefinition definition = new ComponentDefinition("c", NO_OP, given, null, null);
        given.add("z");

        assertThat(definition.dependencies()).containsExactly("b", "a");
    }

    @Test
    void nullArgumentsNameTheComponent() {
        assertThatNullPointerException().isThrownBy(() -> ComponentDefinition.of("web", null))
                .withMessage("component 'web'");
        assertThatNullPointerException().isThrownBy(() -> new ComponentDefinition("web", NO_OP, null, null, null))
                .withMessage("dependencies of 'web'");
    }
}
