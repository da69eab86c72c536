package dev.conductor.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, validated graph of components: every dependency names a component of the graph, no component
 * depends on itself directly or through others, and no instance appears twice. Build one with {@link #builder()},
 * then run it with a {@link LifecycleEngine}.
 *
 * <pre>{@code
 * ComponentGraph graph = ComponentGraph.builder()
 *         .add(ComponentDefinition.of("database", database))
 *         .add(ComponentDefinition.of("messageQueue", queue))
 *         .add(ComponentDefinition.of("webApi", webApi).dependsOn("database", "messageQueue"))
 *         .build();
 * }</pre>
 *
 * <p>The tier of a component is its depth: 0 for a component without dependencies, otherwise one more than the
 * deepest of its dependencies. Tiers are how people picture the graph; the engine does not wait for tiers.
 */
public final class ComponentGraph {

    private final ComponentDefinition[] definitions;

    private final NameIndex indexByName;

    private final int[][] dependencies;

    private final int[][] dependents;

    private final int[] tiers;

    /** The height of each component: the longest chain of dependents above it, in components; 0 for none. */
    private final int[] heights;

    private ComponentGraph(ComponentDefinition[] definitions, NameIndex indexByName,
            int[][] dependencies, int[][] dependents, int[] tiers, int[] heights) {
        this.definitions = definitions;
        this.indexByName = indexByName;
        this.dependencies = dependencies;
        this.dependents = dependents;
        this.tiers = tiers;
        this.heights = heights;
    }

    /** Starts an empty graph. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many components the graph has. */
    public int size() {
        return definitions.length;
    }

    /** The component names in the order they were added. */
    public List<String> names() {
        List<String> names = new ArrayList<>(definitions.length);
        for (ComponentDefinition definition : definitions) {
            names.add(definition.name());
        }
        return Collections.unmodifiableList(names);
    }

    /** The definitions in the order they were added. */
    public List<ComponentDefinition> definitions() {
        return List.of(definitions);
    }

    /** The definition of a component. */
    public ComponentDefinition definition(String name) {
        return definitions[indexOf(name)];
    }

    /** The names of the components that {@code name} depends on. */
    public Set<String> dependencies(String name) {
        return definition(name).dependencies();
    }

    /** The names of the components that depend on {@code name}, in the order they were added. */
    public Set<String> dependents(String name) {
        return namesOf(dependents[indexOf(name)]);
    }

    /** The tier (depth) of a component: 0 when it has no dependencies. */
    public int tier(String name) {
        return tiers[indexOf(name)];
    }

    /** The components by tier: element 0 holds the components without dependencies, and so on. */
    public List<List<String>> tiers() {
        List<List<String>> byTier = new ArrayList<>();
        for (int i = 0; i < definitions.length; i++) {
            while (byTier.size() <= tiers[i]) {
                byTier.add(new ArrayList<>());
            }
            byTier.get(tiers[i]).add(definitions[i].name());
        }
        byTier.replaceAll(Collections::unmodifiableList);
        return Collections.unmodifiableList(byTier);
    }

    /**
     * The chain from a component nothing depends on down to {@code name}, each depending on the next: the
     * shortest such chain, or just {@code name} when nothing depends on it.
     */
    public List<String> dependencyPath(String name) {
        return dependencyPath(indexOf(name));
    }

    /** The graph as a Mermaid flowchart: an arrow points from a component to a dependency. */
    public String toMermaid() {
        return GraphRenderer.mermaid(this);
    }

    /** The graph in Graphviz DOT: an edge points from a component to a dependency. */
    public String toDot() {
        return GraphRenderer.dot(this);
    }

    @Override
    public String toString() {
        return "ComponentGraph" + names();
    }

    int indexOf(String name) {
        int index = name == null ? -1 : indexByName.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("No component named '" + name + "'. Known components: "
                    + indexByName.sortedNames());
        }
        return index;
    }

    ComponentDefinition definitionAt(int index) {
        return definitions[index];
    }

    int[] dependenciesOf(int index) {
        return dependencies[index];
    }

    int[] dependentsOf(int index) {
        return dependents[index];
    }

    int tierOf(int index) {
        return tiers[index];
    }

    /**
     * How many components at most wait, one after another, for this one's setup: the longest chain of dependents
     * above it. Of several components ready at once, the highest is most likely on the critical path.
     */
    int heightOf(int index) {
        return heights[index];
    }

    List<String> dependencyPath(int index) {
        int[] next = new int[definitions.length];
        Arrays.fill(next, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(index);
        next[index] = index;
        while (!queue.isEmpty()) {
            int current = queue.poll();
            if (dependents[current].length == 0) {
                List<String> path = new ArrayList<>();
                for (int step = current; ; step = next[step]) {
                    path.add(definitions[step].name());
                    if (step == index) {
                        return path;
                    }
                }
            }
            for (int dependent : dependents[current]) {
                if (next[dependent] == -1) {
                    next[dependent] = current;
                    queue.add(dependent);
                }
            }
        }
        throw new IllegalStateException("A validated graph always has a root above every component");
    }

    private Set<String> namesOf(int[] indices) {
        Set<String> names = new LinkedHashSet<>();
        for (int index : indices) {
            names.add(definitions[index].name());
        }
        return Collections.unmodifiableSet(names);
    }

    /** Collects component definitions; {@link #build()} validates them all at once. */
    public static final class Builder {

        /** Shared by every component without dependencies (and without dependents): never written. */
        private static final int[] NO_DEPENDENCIES = new int[0];

        private final List<ComponentDefinition> definitions = new ArrayList<>();

        private Builder() {
        }

        /** Adds a component. */
        public Builder add(ComponentDefinition definition) {
            definitions.add(definition);
            return this;
        }

        /** Adds a component that depends on the named components. */
        public Builder add(String name, Component component, String... dependencies) {
            return add(ComponentDefinition.of(name, component).dependsOn(dependencies));
        }

        /**
         * Validates the components and builds the graph in O(V + E).
         *
         * @throws ComponentGraphException when a name is used twice, an instance is added twice, a dependency
         *         names no component of the graph, or the dependencies form a cycle
         */
        public ComponentGraph build() {
            int size = definitions.size();
            ComponentDefinition[] all = definitions.toArray(new ComponentDefinition[0]);
            NameIndex indexByName = new NameIndex(size);
            Map<Component, String> nameByInstance = new IdentityHashMap<>(size);
            for (int i = 0; i < size; i++) {
                String name = all[i].name();
                if (indexByName.putIfAbsent(name, i) >= 0) {
                    throw ComponentGraphException.of("Two components are named '" + name
                            + "'. Give each component a unique name.", name);
                }
                String other = nameByInstance.putIfAbsent(all[i].component(), name);
                if (other != null) {
                    throw ComponentGraphException.of("The same instance is added as '" + other + "' and as '"
                            + name + "': it would be set up twice. Add each instance once.", other, name);
                }
            }
            int[][] dependencies = new int[size][];
            int[] dependentCounts = new int[size];
            for (int i = 0; i < size; i++) {
                dependencies[i] = resolveDependencies(all[i], indexByName);
                for (int dependency : dependencies[i]) {
                    dependentCounts[dependency]++;
                }
            }
            int[][] dependents = new int[size][];
            for (int i = 0; i < size; i++) {
                dependents[i] = dependentCounts[i] == 0 ? NO_DEPENDENCIES : new int[dependentCounts[i]];
            }
            int[] filled = new int[size];
            for (int i = 0; i < size; i++) {
                for (int dependency : dependencies[i]) {
                    dependents[dependency][filled[dependency]++] = i;
                }
            }
            int[] order = new int[size];
            int[] tiers = tiersOrCycle(all, dependencies, dependents, order);
            return new ComponentGraph(all, indexByName, dependencies, dependents,
                    tiers, heights(order, dependents));
        }

        private static int[] resolveDependencies(ComponentDefinition definition, NameIndex indexByName) {
            // The canonical constructor always stores DependencyNames: read its array, no iterator per component
            DependencyNames dependencies = (DependencyNames) definition.dependencies();
            String[] names = dependencies.array();
            if (names.length == 0) {
                return NO_DEPENDENCIES;
            }
            int[] hashes = dependencies.hashes();
            int[] resolved = new int[names.length];
            int i = 0;
            for (String dependency : names) {
                int index = hashes != null ? indexByName.indexOf(dependency, hashes[i])
                        : indexByName.indexOf(dependency);
                if (index < 0) {
                    throw ComponentGraphException.of("Component '" + definition.name() + "' depends on '"
                            + dependency + "', which is not a component of this graph. Known components: "
                            + indexByName.sortedNames() + ". Add '" + dependency
                            + "' as a component, or remove the dependency.", definition.name(), dependency);
                }
                resolved[i++] = index;
            }
            return resolved;
        }

        /** The heights, from the components in topological order: each is one more than its highest dependent. */
        private static int[] heights(int[] order, int[][] dependents) {
            int[] heights = new int[order.length];
            for (int i = order.length - 1; i >= 0; i--) {
                int component = order[i];
                int height = 0;
                for (int dependent : dependents[component]) {
                    height = Math.max(height, heights[dependent] + 1);
                }
                heights[component] = height;
            }
            return heights;
        }

        /**
         * Kahn's algorithm: tiers, with the topological order written to {@code ready}, or the first cycle when
         * some components never free up.
         */
        private static int[] tiersOrCycle(ComponentDefinition[] all, int[][] dependencies, int[][] dependents,
                int[] ready) {
            int size = all.length;
            int[] waitingOn = new int[size];
            int head = 0;
            int tail = 0;
            for (int i = 0; i < size; i++) {
                waitingOn[i] = dependencies[i].length;
                if (waitingOn[i] == 0) {
                    ready[tail++] = i;
                }
            }
            int[] tiers = new int[size];
            while (head < tail) {
                int current = ready[head++];
                for (int dependent : dependents[current]) {
                    tiers[dependent] = Math.max(tiers[dependent], tiers[current] + 1);
                    if (--waitingOn[dependent] == 0) {
                        ready[tail++] = dependent;
                    }
                }
            }
            if (tail < size) {
                throw ComponentGraphException.cycle(findCycle(all, dependencies, waitingOn));
            }
            return tiers;
        }

        /**
         * Every component still waiting has a dependency that is still waiting, so walking those dependencies
         * from the first waiting component must come back to a component it passed: that loop is a cycle. It is
         * reported starting with its earliest-added member.
         */
        private static List<String> findCycle(ComponentDefinition[] all, int[][] dependencies, int[] waitingOn) {
            int start = 0;
            while (waitingOn[start] == 0) {
                start++;
            }
            int[] stepOf = new int[all.length];
            Arrays.fill(stepOf, -1);
            List<Integer> walk = new ArrayList<>();
            int current = start;
            while (stepOf[current] == -1) {
                stepOf[current] = walk.size();
                walk.add(current);
                current = firstWaiting(dependencies[current], waitingOn);
            }
            List<Integer> cycle = new ArrayList<>(walk.subList(stepOf[current], walk.size()));
            int first = cycle.indexOf(Collections.min(cycle));
            Collections.rotate(cycle, -first);
            List<String> names = new ArrayList<>(cycle.size());
            cycle.forEach(index -> names.add(all[index].name()));
            return names;
        }

        private static int firstWaiting(int[] dependencies, int[] waitingOn) {
            for (int dependency : dependencies) {
                if (waitingOn[dependency] > 0) {
                    return dependency;
                }
            }
            throw new IllegalStateException("A waiting component always waits on another waiting component");
        }
    }
}
