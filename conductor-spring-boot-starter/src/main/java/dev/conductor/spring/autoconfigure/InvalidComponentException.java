package dev.conductor.spring.autoconfigure;

import dev.conductor.core.ConductorException;

/** A {@code @ConductorComponent} bean that Conductor cannot run, with what to do about it. */
final class InvalidComponentException extends ConductorException {

    private static final long serialVersionUID = 1L;

    private final String component;

    private final String action;

    InvalidComponentException(String component, String problem, String action) {
        super("Component '" + component + "' " + problem + ". " + action);
        this.component = component;
        this.action = action;
    }

    String getComponent() {
        return component;
    }

    String getAction() {
        return action;
    }
}
