package dev.conductor.core;

import java.util.concurrent.atomic.AtomicInteger;

/** A component that counts its setups and shutdowns and runs a configurable action in each. */
class Probe implements Component {

    interface Action {
        void run() throws Exception;
    }

    final AtomicInteger setups = new AtomicInteger();

    final AtomicInteger shutdowns = new AtomicInteger();

    private final Action onSetup;

    private final Action onShutdown;

    Probe() {
        this(() -> { }, () -> { });
    }

    Probe(Action onSetup, Action onShutdown) {
        this.onSetup = onSetup;
        this.onShutdown = onShutdown;
    }

    static Probe onSetup(Action action) {
        return new Probe(action, () -> { });
    }

    static Probe onShutdown(Action action) {
        return new Probe(() -> { }, action);
    }

    @Override
    public void setup() throws Exception {
        setups.incrementAndGet();
        onSetup.run();
    }

    @Override
    public void shutdown() throws Exception {
        shutdowns.incrementAndGet();
        onShutdown.run();
    }
}
