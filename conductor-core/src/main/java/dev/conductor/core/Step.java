package dev.conductor.core;

import java.time.Duration;

/** The two things the engine does to a component, with the states and events each one moves through. */
enum Step {

    SETUP(ComponentState.NEW, ComponentState.SETTING_UP, ComponentState.ACTIVE, LifecycleEvent.Kind.SETUP_STARTED,
            LifecycleEvent.Kind.SETUP_FINISHED, LifecycleEvent.Kind.SETUP_FAILED) {

        @Override
        void invoke(Component component) throws Exception {
            component.setup();
        }

        @Override
        void markStart(ComponentRecord record, long time) {
            record.setupStart = time;
        }

        @Override
        void markEnd(ComponentRecord record, long time) {
            record.setupEnd = time;
        }

        @Override
        long startOf(ComponentRecord record) {
            return record.setupStart;
        }

        @Override
        Duration timeout(Lifecycle lifecycle, ComponentRecord record) {
            return lifecycle.setupTimeout(record);
        }
    },

    SHUTDOWN(ComponentState.ACTIVE, ComponentState.SHUTTING_DOWN, ComponentState.STOPPED,
            LifecycleEvent.Kind.SHUTDOWN_STARTED, LifecycleEvent.Kind.SHUTDOWN_FINISHED,
            LifecycleEvent.Kind.SHUTDOWN_FAILED) {

        @Override
        void invoke(Component component) throws Exception {
            component.shutdown();
        }

        @Override
        void markStart(ComponentRecord record, long time) {
            record.shutdownStart = time;
        }

        @Override
        void markEnd(ComponentRecord record, long time) {
            record.shutdownEnd = time;
        }

        @Override
        long startOf(ComponentRecord record) {
            return record.shutdownStart;
        }

        @Override
        Duration timeout(Lifecycle lifecycle, ComponentRecord record) {
            return lifecycle.shutdownTimeout(record);
        }
    };

    final ComponentState from;

    final ComponentState running;

    final ComponentState to;

    final LifecycleEvent.Kind started;

    final LifecycleEvent.Kind finished;

    final LifecycleEvent.Kind failed;

    Step(ComponentState from, ComponentState running, ComponentState to, LifecycleEvent.Kind started,
            LifecycleEvent.Kind finished, LifecycleEvent.Kind failed) {
        this.from = from;
        this.running = running;
        this.to = to;
        this.started = started;
        this.finished = finished;
        this.failed = failed;
    }

    abstract void invoke(Component component) throws Exception;

    abstract void markStart(ComponentRecord record, long time);

    abstract void markEnd(ComponentRecord record, long time);

    abstract long startOf(ComponentRecord record);

    abstract Duration timeout(Lifecycle lifecycle, ComponentRecord record);

    String verb() {
        return this == SETUP ? "setup" : "shutdown";
    }
}
