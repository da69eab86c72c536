package dev.conductor.samples.orders;

import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.Supervision;
import dev.conductor.spring.actuate.ComponentHealth;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;

/**
 * The real {@link MessageQueue}: an embedded Apache ActiveMQ Artemis broker with a persistent journal under
 * {@code <orders.data-dir>/broker}, reached in-VM over JMS. {@link #setup()} starts the broker and opens the
 * connection; {@link #shutdown()} closes the connection and stops the broker. Its {@link #health()} asks the broker,
 * for {@code /actuator/health}. Supervised: when that health is DOWN for
 * {@code conductor.supervision.health-failure-threshold} checks in a row, the broker is restarted with its
 * dependents (the workers and the web API), at most 3 times in 5 minutes, 1 s, 2 s, 4 s apart; the database keeps
 * running.
 */
@ConductorComponent(value = "messageQueue", supervision = @Supervision(policy = "restart", maxRestarts = "3",
        window = "5m", delay = "1s", multiplier = "2"))
class ArtemisMessageQueue implements MessageQueue, ComponentHealth {

    static final String QUEUE = "orders";

    private static final Log logger = LogFactory.getLog(ArtemisMessageQueue.class);

    /** In-VM acceptors are registered JVM-wide by id: each broker (one per application context) needs its own. */
    private static final AtomicInteger serverIds = new AtomicInteger();

    static {
        // On Java 24+ Netty stops using sun.misc.Unsafe unless told otherwise, and Artemis 2.53 then fails to load
        // an existing journal ("Cannot clean arbitrary ByteBuffer instances"). Set before Netty's first use.
        if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "false");
        }
    }

    private final Path directory;

    private volatile EmbeddedActiveMQ broker;

    private volatile Connection connection;

    /** Why the chaos drill made the broker report itself down until its next setup; {@code null} otherwise. */
    private volatile String reportedDown;

    @Autowired // the other constructor is for tests that use the class directly
    ArtemisMessageQueue(OrdersProperties properties) {
        this(properties.dataDir().resolve("broker"));
    }

    ArtemisMessageQueue(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public void setup() throws Exception {
        reportedDown = null;
        Files.createDirectories(directory);
        int serverId = serverIds.incrementAndGet();
        // Artemis reads its journal through interruptible file channels and logs an ERROR when an interrupt closes
        // one under it, or cuts its stop short: a setup cancelled by a SIGTERM (a restart under way) would leave
        // two ERRORs in an orderly shutdown's log. So the broker starts on a thread of its own, and a cancelled
        // setup lets that start end, stops the broker again, and only then gives up.
        FutureTask<Started> start = new FutureTask<>(() -> start(serverId));
        Thread starting = new Thread(start, "artemis-start-" + serverId);
        starting.setDaemon(true);
        starting.start();
        Started started;
        try {
            started = start.get();
        }
        catch (InterruptedException cancelled) {
            Started late = awaitStart(start, CANCELLED_START_WAIT);
            if (late != null) {
                late.stop();
            }
            throw cancelled;
        }
        catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
        connection = started.connection();
        broker = started.broker();
        logger.info("Artemis broker started, journal in " + directory + ", " + pending() + " order(s) waiting");
    }

    /** How long a cancelled setup waits for the broker's start to end before it leaves the broker to its thread. */
    private static final Duration CANCELLED_START_WAIT = Duration.ofSeconds(30);

    /** A broker started, with the connection the workers and the API use. */
    private record Started(EmbeddedActiveMQ broker, Connection connection) {

        void stop() throws Exception {
            try {
                connection.close();
            }
            finally {
                broker.stop();
            }
        }
    }

    private Started start(int serverId) throws Exception {
        EmbeddedActiveMQ started = new EmbeddedActiveMQ();
        started.setConfiguration(configuration(serverId));
        started.start();
        try {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + serverId);
            // No client-side prefetch: each worker holds at most the message it processes, and the others stay
            // on the broker for the next free worker (or for the next run)
            factory.setConsumerWindowSize(0);
            Connection opened = factory.createConnection();
            opened.start();
            return new Started(started, opened);
        }
        catch (JMSException | RuntimeException ex) {
            started.stop();
            throw ex;
        }
    }

    /**
     * The broker the start ended with, waiting for it at most {@code limit} whatever interrupts come meanwhile (they
     * are the same cancellation); {@code null} when the start failed (it stopped the broker itself) or is still
     * running after the limit.
     */
    private static Started awaitStart(FutureTask<Started> start, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                logger.warn("Artemis broker still starting " + limit + " after its setup was cancelled; left to its thread");
                return null;
            }
            try {
                return start.get(left, TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException again) {
                // the same cancellation: the start still has to end before the broker can be stopped
            }
            catch (TimeoutException stillStarting) {
                // the loop gives up at the deadline
            }
            catch (ExecutionException failed) {
                return null;
            }
        }
    }

    private Configuration configuration(int serverId) {
        Configuration config = new ConfigurationImpl()
                .setName("orders-broker")
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setPersistenceEnabled(true)
                // NIO works everywhere; ASYNCIO would need libaio
                .setJournalType(JournalType.NIO)
                .setJournalFileSize(1024 * 1024)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setLargeMessagesDirectory(directory.resolve("largemessages").toString())
                .addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                        Map.of(TransportConstants.SERVER_ID_PROP_NAME, serverId)))
                .addQueueConfiguration(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
        // The broker wants somewhere to put dead and expired messages, even where none can occur
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        config.addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST));
        config.addQueueConfiguration(QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST));
        // An order is never dropped: a failing one is retried after a pause, however often it fails
        config.addAddressSetting(QUEUE, new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1000)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        return config;
    }

    @Override
    public void send(String orderId) {
        try (Session session = connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(QUEUE))) {
            // Persistent delivery is the default, and a durable send blocks until the journal has the message
            producer.send(session.createTextMessage(orderId));
        }
        catch (JMSException ex) {
            throw new IllegalStateException("Could not enqueue order " + orderId, ex);
        }
    }

    @Override
    public QueueReceiver openReceiver() {
        try {
            return new ArtemisReceiver(connection(), QUEUE);
        }
        catch (JMSException ex) {
            throw new IllegalStateException("Could not open a receiver on queue " + QUEUE, ex);
        }
    }

    /** Messages on the queue and not yet acknowledged, including those being processed. */
    long pending() {
        EmbeddedActiveMQ current = broker;
        if (current == null) {
            return 0;
        }
        var queue = current.getActiveMQServer().locateQueue(QUEUE);
        return queue == null ? 0 : queue.getMessageCount();
    }

    /**
     * {@code UP} while the broker is started and active and the orders queue exists, with the queue's figures:
     * messages waiting or in a worker's hands, consumers, messages added since the broker started. Reads the
     * broker's state in memory; no I/O.
     */
    @Override
    public Health health() {
        EmbeddedActiveMQ current = broker;
        ActiveMQServer server = current != null ? current.getActiveMQServer() : null;
        if (server == null || connection == null) {
            return Health.outOfService().withDetail("reason", "The message queue is not set up").build();
        }
        String down = reportedDown;
        Health.Builder health = down != null ? Health.down().withDetail("reason", down)
                : server.isStarted() && server.isActive() ? Health.up()
                : Health.down().withDetail("reason", "The broker is " + server.getState());
        health.withDetail("broker", server.getConfiguration().getName())
                .withDetail("version", server.getVersion().getFullVersion())
                .withDetail("journal", directory.toString());
        Queue queue = server.locateQueue(QUEUE);
        if (queue == null) {
            return health.down().withDetail("reason", "Queue '" + QUEUE + "' does not exist").build();
        }
        return health.withDetail("queue", QUEUE)
                .withDetail("messageCount", queue.getMessageCount())
                .withDetail("deliveringCount", queue.getDeliveringCount())
                .withDetail("consumerCount", queue.getConsumerCount())
                .withDetail("messagesAdded", queue.getMessagesAdded())
                .build();
    }

    /**
     * Makes {@link #health()} report {@code DOWN} until the next setup, as a broker that lost its journal would:
     * the chaos drill's health-driven failure ({@link ChaosController}, off unless {@code orders.chaos.enabled}).
     */
    void reportDown(String reason) {
        reportedDown = reason;
    }

    private Connection connection() {
        Connection current = connection;
        if (current == null) {
            throw new IllegalStateException("The message queue is not set up");
        }
        return current;
    }

    @Override
    public void shutdown() throws Exception {
        Connection openConnection = connection;
        EmbeddedActiveMQ runningBroker = broker;
        connection = null;
        try {
            if (openConnection != null) {
                openConnection.close();
            }
        }
        finally {
            if (runningBroker != null) {
                long waiting = pending();
                broker = null;
                runningBroker.stop();
                logger.info("Artemis broker stopped, " + waiting + " order(s) kept in the journal");
            }
        }
    }
}
