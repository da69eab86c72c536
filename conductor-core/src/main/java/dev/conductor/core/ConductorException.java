package dev.conductor.core;

/** The base of every exception Conductor throws for a component or graph problem. */
public class ConductorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConductorException(String message) {
        super(message);
    }

    public ConductorException(String message, Throwable cause) {
        super(message, cause);
    }
}
