package dev.conductor.test;

import dev.conductor.core.Component;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The components of the fixtures: each records its setup and shutdown, and the tests record themselves. */
final class Shop {

    /** Every setup, shutdown and test, in the order they happened. */
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private Shop() {
    }

    static void reset() {
        LOG.clear();
    }

    /** Records its setup and shutdown under its class name and its instance number. */
    abstract static class Recording implements Component {

        final int instance = INSTANCES.incrementAndGet();

        volatile boolean active;

        @Override
        public void setup() throws Exception {
            LOG.add("setup " + getClass().getSimpleName());
            active = true;
        }

        @Override
        public void shutdown() throws Exception {
            active = false;
            LOG.add("shutdown " + getClass().getSimpleName());
        }
    }

    static class Database extends Recording {
    }

    static class MessageQueue extends Recording {
    }

    /** A replacement for the broker. */
    static class InMemoryQueue extends MessageQueue {
    }

    static class FailingQueue extends MessageQueue {

        @Override
        public void setup() {
            LOG.add("setup FailingQueue");
            throw new IllegalStateException("journal directory is locked");
        }
    }

    static class FailingShutdownQueue extends MessageQueue {

        @Override
        public void shutdown() {
            throw new IllegalStateException("broker did not stop");
        }
    }

    static class WebApi extends Recording {

        final Database database;

        final MessageQueue queue;

        WebApi(Database database, MessageQueue queue) {
            this.database = database;
            this.queue = queue;
        }

        @Override
        public void setup() throws Exception {
            if (!database.active || !queue.active) {
                throw new IllegalStateException("WebApi set up before its dependencies");
            }
            super.setup();
        }
    }

    /** A component no fixture declares. */
    static class Unrelated extends Recording {
    }

    /** Hangs in its setup until {@link #RELEASE} opens or its worker is interrupted. */
    static class HangingSetup extends Recording {

        static volatile java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void setup() throws Exception {
            LOG.add("setup HangingSetup");
            RELEASE.await();
        }
    }

    /** Hangs in its shutdown until {@link #RELEASE} opens or its worker is interrupted. */
    static class HangingShutdown extends Recording {

        static volatile java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void shutdown() throws Exception {
            LOG.add("shutdown HangingShutdown");
            RELEASE.await();
        }
    }

    /** A value that is not a component, provided through the conductor's builder. */
    record Settings(String url) {
    }

    /** Needs {@link Settings}, which only {@code provide(...)} can give. */
    static class Configured extends Recording {

        final Settings settings;

        Configured(Settings settings) {
            this.settings = settings;
        }
    }
}
