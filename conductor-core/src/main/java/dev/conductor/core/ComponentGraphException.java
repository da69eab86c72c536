package dev.conductor.core;

import java.util.List;

/**
 * The component graph cannot be run: a dependency cycle, a missing implementation, an unknown dependency or an
 * invalid component. Thrown before any component is set up.
 */
public class ComponentGraphException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final List<String> components;

    private final List<String> cycle;

    ComponentGraphException(String message, List<String> components, List<String> cycle) {
        super(message);
        this.components = List.copyOf(components);
        this.cycle = List.copyOf(cycle);
    }

    static ComponentGraphException of(String message, String... components) {
        return new ComponentGraphException(message, List.of(components), List.of());
    }

    static ComponentGraphException cycle(List<String> cycle) {
        String chain = String.join(" -> ", cycle) + " -> " + cycle.get(0);
        return new ComponentGraphException("Dependency cycle: " + chain + ". A component cannot depend on itself,"
                + " directly or through others: remove one of these dependencies, or split a component so that"
                + " the cycle is broken.", cycle, cycle);
    }

    /** The components the problem is about, in the order the message names them. */
    public List<String> getComponents() {
        return components;
    }

    /**
     * The members of the dependency cycle in order, each depending on the next and the last on the first; empty
     * when the problem is not a cycle.
     */
    public List<String> getCycle() {
        return cycle;
    }
}
