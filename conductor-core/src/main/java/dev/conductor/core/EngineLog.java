package dev.conductor.core;

/**
 * The engine's logger, created on first use: looking a {@link System.Logger} up loads the platform's logging
 * bridge, which an application whose graph is empty (a Spring Boot application with the starter and no
 * component) need not pay for.
 */
final class EngineLog {

    static final System.Logger LOGGER = System.getLogger(LifecycleEngine.class.getName());

    private EngineLog() {
    }
}
