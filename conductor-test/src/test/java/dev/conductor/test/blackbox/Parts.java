package dev.conductor.test.blackbox;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.conductor.core.Component;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Small plain-Java components, counters and the EngineTestKit helpers of the black-box tests. */
public final class Parts {

    private Parts() {
    }

    static final String SUBJECT_KEY = "blackbox.subject";

    /** Marks a class run only through EngineTestKit (never by surefire directly). */
    @Target(TYPE)
    @Retention(RUNTIME)
    @Inherited
    @ExtendWith(OnlyInTestKit.class)
    public @interface Subject {
    }

    public static final class OnlyInTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SUBJECT_KEY).isPresent()
                    ? ConditionEvaluationResult.enabled("run by EngineTestKit")
                    : ConditionEvaluationResult.disabled("a subject of a black-box test, run only by EngineTestKit");
        }
    }

    // ---------------------------------------------------------------- counters

    static final Map<String, AtomicInteger> CREATED = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> SETUPS = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> SHUTDOWNS = new ConcurrentHashMap<>();
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    /** Anything a subject wants to hand to its test (instances, values seen). */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static final List<Object> SEEN_LIST = new CopyOnWriteArrayList<>();

    static void reset() {
        CREATED.clear();
        SETUPS.clear();
        SHUTDOWNS.clear();
        EVENTS.clear();
        SEEN.clear();
        SEEN_LIST.clear();
        Hanging.release = new CountDownLatch(1);
        Gate.arrived = new CountDownLatch(2);
    }

    static void event(String e) {
        EVENTS.add(e);
    }

    static int created(Class<?> type) {
        return get(CREATED, type);
    }

    static int setups(Class<?> type) {
        return get(SETUPS, type);
    }

    static int shutdowns(Class<?> type) {
        return get(SHUTDOWNS, type);
    }

    private static int get(Map<String, AtomicInteger> map, Class<?> type) {
        AtomicInteger n = map.get(type.getSimpleName());
        return n == null ? 0 : n.get();
    }

    private static void inc(Map<String, AtomicInteger> map, Class<?> type) {
        map.computeIfAbsent(type.getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
    }

    // ---------------------------------------------------------------- components

    /** Counts its creation, setups and shutdowns; knows whether it is running. */
    public abstract static class Counted implements Component {
        private volatile boolean running;
        private volatile boolean everShutDown;

        protected Counted() {
            inc(CREATED, getClass());
        }

        @Override
        public void setup() throws Exception {
            event("setup:" + getClass().getSimpleName());
            running = true;
            inc(SETUPS, getClass());
        }

        @Override
        public void shutdown() throws Exception {
            running = false;
            everShutDown = true;
            inc(SHUTDOWNS, getClass());
            event("shutdown:" + getClass().getSimpleName());
        }

        public boolean running() {
            return running;
        }

        public boolean everShutDown() {
            return everShutDown;
        }
    }

    public static class Database extends Counted {
        public Database() {
        }
    }

    public static class EmbeddedDatabase extends Database {
        public EmbeddedDatabase() {
        }
    }

    public static class MessageQueue extends Counted {
        public MessageQueue() {
        }
    }

    public static class MessageQueueMock extends MessageQueue {
        public MessageQueueMock() {
        }
    }

    public static class OtherQueueMock extends MessageQueue {
        public OtherQueueMock() {
        }
    }

    public static class Cache extends Counted {
        public Cache() {
        }
    }

    public static class Extra extends Counted {
        public Extra() {
        }
    }

    /** Depends on Database and MessageQueue by constructor. */
    public static class WebApi extends Counted {
        public final Database database;
        public final MessageQueue queue;

        public WebApi(Database database, MessageQueue queue) {
            this.database = database;
            this.queue = queue;
        }

        @Override
        public void setup() throws Exception {
            if (!database.running() || !queue.running()) {
                throw new IllegalStateException("WebApi set up before its dependencies");
            }
            super.setup();
        }
    }

    /** An interface two components implement. */
    public interface Greeter extends Component {
    }

    public static class EnglishGreeter extends Counted implements Greeter {
        public EnglishGreeter() {
        }
    }

    public static class FrenchGreeter extends Counted implements Greeter {
        public FrenchGreeter() {
        }
    }

    /** Setup waits until two classes have arrived (see ParallelBlackBoxTest.Arrive). */
    public static class Gate extends Counted {
        static volatile CountDownLatch arrived = new CountDownLatch(2);

        public Gate() {
        }

        @Override
        public void setup() throws Exception {
            if (!arrived.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the second class never arrived while the setup was under way");
            }
            super.setup();
        }
    }

    /** Setup waits until released (interruptibly). */
    public static class Hanging extends Counted {
        static volatile CountDownLatch release = new CountDownLatch(1);

        public Hanging() {
        }

        @Override
        public void setup() throws Exception {
            event("setup-start:Hanging");
            release.await();
            super.setup();
        }
    }

    /** Shutdown waits until released (interruptibly). */
    public static class HangingShutdown extends Counted {
        public HangingShutdown() {
        }

        @Override
        public void shutdown() throws Exception {
            super.shutdown();
            Hanging.release.await();
        }
    }

    public static class FailingSetup extends Counted {
        public FailingSetup() {
        }

        @Override
        public void setup() throws Exception {
            inc(SETUPS, getClass());
            event("setup-failed:FailingSetup");
            throw new IllegalStateException("journal directory is locked");
        }
    }

    public static class FailingShutdown extends Counted {
        public FailingShutdown() {
        }

        @Override
        public void shutdown() throws Exception {
            super.shutdown();
            throw new IllegalStateException("disk full on shutdown");
        }
    }

    /** A value, not a component. */
    public record Settings(String url) {
    }

    public static class NeedsSettings extends Counted {
        public final Settings settings;

        public NeedsSettings(Settings settings) {
            this.settings = settings;
        }
    }

    public abstract static class AbstractQueue extends MessageQueue {
    }

    // ---------------------------------------------------------------- EngineTestKit

    static EngineExecutionResults run(Class<?>... classes) {
        return run(Map.of(), classes);
    }

    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... classes) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").configurationParameter(SUBJECT_KEY, "true");
        parameters.forEach(builder::configurationParameter);
        return builder.selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass)
                .toArray(DiscoverySelector[]::new)).execute();
    }

    static Map<String, String> parallel(String methodMode, String classMode) {
        return Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", methodMode,
                "junit.jupiter.execution.parallel.mode.classes.default", classMode,
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4",
                "junit.jupiter.execution.parallel.config.fixed.max-pool-size", "16");
    }

    static List<Throwable> failures(EngineExecutionResults results) {
        List<Throwable> out = new ArrayList<>();
        results.allEvents().failed().stream().forEach(e -> e.getRequiredPayload(TestExecutionResult.class)
                .getThrowable().ifPresent(out::add));
        return out;
    }

    /** Every failure, with its whole cause chain, for assertion messages and message checks. */
    static String describe(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(Parts::describe).collect(Collectors.joining("\n"));
    }

    static String describe(Event event) {
        StringBuilder sb = new StringBuilder(event.getTestDescriptor().getDisplayName()).append(": ");
        Throwable t = event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElse(null);
        while (t != null) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" <- ");
            for (Throwable s : t.getSuppressed()) {
                sb.append("[suppressed ").append(s.getClass().getSimpleName()).append(": ").append(s.getMessage())
                        .append("] ");
            }
            t = t.getCause();
        }
        return sb.toString();
    }

    static boolean anyCause(EngineExecutionResults results, Class<? extends Throwable> type) {
        for (Throwable t : failures(results)) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (type.isInstance(c)) {
                    return true;
                }
            }
        }
        return false;
    }
}
