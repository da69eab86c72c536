package dev.conductor.spring.blackbox;

import static dev.conductor.spring.blackbox.Bb.ACTIVE;
import static dev.conductor.spring.blackbox.Bb.HOOKS;
import static dev.conductor.spring.blackbox.Bb.LOG;
import static dev.conductor.spring.blackbox.Bb.SEEN;
import static dev.conductor.spring.blackbox.Bb.index;
import static dev.conductor.spring.blackbox.Bb.setups;
import static dev.conductor.spring.blackbox.Bb.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import dev.conductor.spring.autoconfigure.ConductorLifecycle;
import dev.conductor.core.ComponentSetupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Lazy;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.ConductorComponent.EarlyStart;
import dev.conductor.spring.SetupRetry;

/** Black-box tests of the starter's early start, against the README and issue 26 only. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class EarlyStartBlackBoxTest {

    // ---- component and bean types -------------------------------------------------------------------------

    static class A extends Bb.Rec {
        A() {
            super("a");
        }
    }

    static class B extends Bb.Rec {
        B(A a) {
            super("b");
        }
    }

    /** A plain bean between b and c. */
    static class Plain {
        Plain(B b) {
        }
    }

    static class C extends Bb.Rec {
        C(Plain p) {
            super("c");
        }
    }

    static class D extends Bb.Rec {
        D(C c) {
            super("d");
        }
    }

    static final CountDownLatch SLOW_ENTERED = new CountDownLatch(0);

    static volatile CountDownLatch slowEntered;
    static volatile CountDownLatch slowMayFinish;
    static volatile CountDownLatch release;
    static final AtomicReference<String> SLOW_OUTCOME = new AtomicReference<>();

    /** A slow non-component bean: its constructor waits for slowMayFinish. */
    static class Slow {
        Slow() throws Exception {
            LOG.add("slow-ctor-begin");
            slowEntered.countDown();
            try {
                boolean ok = slowMayFinish.await(60, TimeUnit.SECONDS);
                SLOW_OUTCOME.set(ok ? "finished" : "timed-out");
                LOG.add("slow-ctor-end:" + ok);
                if (!ok) {
                    throw new IllegalStateException("slow bean waited 60 s for a setup that never ran");
                }
            }
            catch (InterruptedException ex) {
                SLOW_OUTCOME.set("interrupted");
                LOG.add("slow-ctor-interrupted");
                throw ex;
            }
        }
    }

    /**
     * When set, {@link Sl#start()} waits for it: a component started early sets up on Conductor's executor, which
     * under load may run only after the lifecycle began, so a test proving it ran before {@code start()} holds
     * {@code start()} until the setup has looked.
     */
    static volatile CountDownLatch slStartGate;

    static class Sl implements SmartLifecycle {
        final int phase;
        volatile boolean running;

        Sl(int phase) {
            this.phase = phase;
        }

        @Override
        public void start() {
            CountDownLatch gate = slStartGate;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS); // bounded: a component that did not start early fails its test
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            LOG.add("sl-start");
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    static class UsesSl extends Bb.Rec {
        final Sl sl;

        UsesSl(Sl sl) {
            super("usesSl");
            this.sl = sl;
        }

        @Override
        public void setup() throws Exception {
            SEEN.put("usesSl.slRunning", sl.isRunning());
            super.setup();
        }
    }

    static class PlainOverSl {
        final Sl sl;

        PlainOverSl(Sl sl) {
            this.sl = sl;
        }
    }

    static class ThroughPlain extends Bb.Rec {
        final PlainOverSl p;

        ThroughPlain(PlainOverSl p) {
            super("throughPlain");
            this.p = p;
        }

        @Override
        public void setup() throws Exception {
            SEEN.put("throughPlain.slRunning", p.sl.isRunning());
            super.setup();
        }
    }

    /** Depends on usesSl: must wait too. */
    static class AfterUsesSl extends Bb.Rec {
        AfterUsesSl(UsesSl u) {
            super("afterUsesSl");
        }
    }

    static class Sis implements SmartInitializingSingleton {
        volatile boolean done;

        @Override
        public void afterSingletonsInstantiated() {
            done = true;
        }
    }

    static class UsesSis extends Bb.Rec {
        final Sis sis;

        UsesSis(Sis sis) {
            super("usesSis");
            this.sis = sis;
        }

        @Override
        public void setup() throws Exception {
            SEEN.put("usesSis.done", sis.done);
            super.setup();
        }
    }

    /** Records, at setup, whether every singleton was already instantiated (a SmartInitializingSingleton ran). */
    static class Marker implements SmartInitializingSingleton {
        static volatile boolean done;

        @Override
        public void afterSingletonsInstantiated() {
            done = true;
        }
    }

    static class Lone extends Bb.Rec {
        Lone() {
            super("lone");
        }

        @Override
        public void setup() throws Exception {
            SEEN.put("lone.afterSingletons", Marker.done);
            super.setup();
        }
    }

    @BeforeEach
    void reset() {
        Bb.reset();
        SLOW_OUTCOME.set(null);
        slowEntered = new CountDownLatch(1);
        slowMayFinish = new CountDownLatch(1);
        release = new CountDownLatch(1);
        slStartGate = null;
        Marker.done = false;
    }

    @AfterEach
    void free() {
        slowMayFinish.countDown();
        release.countDown();
    }

    static SpringApplicationBuilder app(Class<?>... sources) {
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.jmx.enabled=false");
    }

    static void assertNothingLeftRunning() {
        assertThat(ACTIVE).as("components left active; log %s", LOG).isEmpty();
        assertThat(LOG).as("log").noneMatch(s -> s.startsWith("TWICE:") || s.startsWith("DOWN-NOT-ACTIVE:"));
        for (String name : Bb.SETUPS.keySet()) {
            assertThat(shutdowns(name)).as("shutdowns of %s; log %s", name, LOG).isEqualTo(setups(name));
        }
    }

    // ---- dependency order ---------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChainConfig {
        @Bean
        @ConductorComponent
        D d(C c) {
            return new D(c);
        }

        @Bean
        @ConductorComponent
        C c(Plain p) {
            return new C(p);
        }

        @Bean
        Plain plain(B b) {
            return new Plain(b);
        }

        @Bean
        @ConductorComponent
        B b(A a) {
            return new B(a);
        }

        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }
    }

    @Test
    void dependentSetupNeverBeginsBeforeItsDependencyIsActive() throws Exception {
        // a's setup is held until b's bean was created, so that b is ready early and would be tempted to start
        CountDownLatch aMayFinish = new CountDownLatch(1);
        HOOKS.put("a", () -> {
            // let the rest of the refresh go on for a while: d is the last bean created
            aMayFinish.await(200, TimeUnit.MILLISECONDS);
        });
        HOOKS.put("b", () -> SEEN.put("b.sawA", ACTIVE.contains("a")));
        HOOKS.put("c", () -> SEEN.put("c.sawB", ACTIVE.contains("b")));
        HOOKS.put("d", () -> SEEN.put("d.sawC", ACTIVE.contains("c")));
        try (ConfigurableApplicationContext ctx = app(ChainConfig.class).run()) {
            assertThat(ACTIVE).containsExactlyInAnyOrder("a", "b", "c", "d");
        }
        assertThat(SEEN).containsEntry("b.sawA", true).containsEntry("c.sawB", true).containsEntry("d.sawC", true);
        assertThat(index("up:a")).isLessThan(index("begin:b"));
        assertThat(index("up:b")).isLessThan(index("begin:c"));
        assertThat(index("up:c")).isLessThan(index("begin:d"));
        assertThat(LOG.subList(index("down:d"), LOG.size())).containsExactly("down:d", "down:c", "down:b", "down:a");
        assertNothingLeftRunning();
    }

    // ---- overlap with a slow non-component bean -----------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OverlapConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @DependsOn("a")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void setupRunsWhileASlowBeanIsStillBeingConstructed() throws Exception {
        HOOKS.put("a", () -> {
            // proof of overlap: the slow constructor has begun and is still waiting for us
            if (!slowEntered.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("slow bean never began");
            }
            SEEN.put("a.slowStillWaiting", SLOW_OUTCOME.get() == null);
            slowMayFinish.countDown();
        });
        try (ConfigurableApplicationContext ctx = app(OverlapConfig.class).run()) {
            assertThat(SLOW_OUTCOME.get()).isEqualTo("finished");
            assertThat(SEEN).containsEntry("a.slowStillWaiting", true);
        }
        assertNothingLeftRunning();
    }

    // ---- a failing early setup fails the refresh promptly --------------------------------------------------

    static class Bad extends Bb.Rec {
        Bad(B b) {
            super("bad");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FailConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @ConductorComponent
        B b(A a) {
            return new B(a);
        }

        @Bean
        @ConductorComponent
        Bad bad(B b) {
            return new Bad(b);
        }

        @Bean
        @DependsOn("bad")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void failingEarlySetupFailsTheRefreshWithoutWaitingForTheSlowBean(CapturedOutput output) throws Exception {
        HOOKS.put("bad", () -> {
            if (!slowEntered.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("slow bean never began");
            }
            throw new IllegalStateException("bad setup boom");
        });
        long t0 = System.nanoTime();
        // the exception run() throws is the interrupted bean's; the README promises the failure analyzer's text
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        assertThatThrownBy(() -> app(FailConfig.class).run()).satisfies(thrown::set);
        // and a program catching it sees the component's failure (a cause or suppressed)
        assertThat(causesAndSuppressed(thrown.get())).filteredOn(ComponentSetupException.class::isInstance)
            .singleElement()
            .satisfies(ex -> assertThat(((ComponentSetupException) ex).getComponent()).isEqualTo("bad"));
        assertThat(output.toString()).contains("Component 'bad' failed to set up.",
                "Cause: java.lang.IllegalStateException: bad setup boom",
                "The components that were already active were shut down again.");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(SLOW_OUTCOME.get()).as("the slow bean must not have finished (it waits up to 60 s)")
            .isNotEqualTo("finished");
        assertThat(ms).as("refresh failed promptly").isLessThan(30_000);
        assertThat(setups("bad")).isZero();
        assertThat(shutdowns("bad")).isZero();
        assertThat(LOG).containsSubsequence("down:b", "down:a");
        assertNothingLeftRunning();
    }

    private static java.util.List<Throwable> causesAndSuppressed(Throwable top) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        java.util.ArrayDeque<Throwable> queue = new java.util.ArrayDeque<>(java.util.List.of(top));
        while (!queue.isEmpty() && all.size() < 100) {
            Throwable t = queue.poll();
            if (all.stream().anyMatch(seen -> seen == t)) {
                continue;
            }
            all.add(t);
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            queue.addAll(java.util.List.of(t.getSuppressed()));
        }
        return all;
    }

    // ---- timeouts and retries during early start -----------------------------------------------------------

    static class Flaky extends Bb.Rec {
        Flaky() {
            super("flaky");
        }
    }

    static class AfterFlaky extends Bb.Rec {
        AfterFlaky(Flaky f) {
            super("afterFlaky");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RetryConfig {
        @Bean
        @ConductorComponent
        Flaky flaky() {
            return new Flaky();
        }

        @Bean
        @ConductorComponent
        AfterFlaky afterFlaky(Flaky f) {
            return new AfterFlaky(f);
        }

        @Bean
        @DependsOn("afterFlaky")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void retriesHappenDuringEarlyStartAndDependentsWait() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        HOOKS.put("flaky", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("not yet " + attempts.get());
            }
        });
        HOOKS.put("afterFlaky", () -> {
            SEEN.put("afterFlaky.sawFlaky", ACTIVE.contains("flaky"));
            slowMayFinish.countDown(); // the slow bean waits for the retried chain: proves it runs during the refresh
        });
        try (ConfigurableApplicationContext ctx = app(RetryConfig.class)
            .properties("conductor.setup-retry.max-retries=2", "conductor.setup-retry.delay=50ms").run()) {
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(SEEN).containsEntry("afterFlaky.sawFlaky", true);
            assertThat(SLOW_OUTCOME.get()).isEqualTo("finished");
        }
        assertThat(LOG.stream().filter(s -> s.equals("begin:afterFlaky")).count()).isEqualTo(1);
        assertNothingLeftRunning();
    }

    @Test
    void retriesExhaustedDuringEarlyStartFailTheRefreshPromptly(CapturedOutput output) throws Exception {
        HOOKS.put("flaky", () -> {
            throw new IOException("never");
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> app(RetryConfig.class)
            .properties("conductor.setup-retry.max-retries=2", "conductor.setup-retry.delay=20ms").run())
            .isNotNull();
        assertThat(output.toString()).contains("Component 'flaky' failed to set up after 3 attempts");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(30_000);
        assertThat(LOG.stream().filter(s -> s.equals("begin:flaky")).count()).isEqualTo(3);
        assertThat(LOG).doesNotContain("begin:afterFlaky");
        assertNothingLeftRunning();
    }

    static class Hangs extends Bb.Rec {
        Hangs(A a) {
            super("hangs");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TimeoutConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @ConductorComponent(setupTimeout = "300ms")
        Hangs hangs(A a) {
            return new Hangs(a);
        }

        @Bean
        @DependsOn("hangs")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void perComponentTimeoutDuringEarlyStartFailsTheRefreshPromptly() throws Exception {
        HOOKS.put("hangs", () -> release.await(60, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> app(TimeoutConfig.class).run()).isNotNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(30_000);
        assertThat(SLOW_OUTCOME.get()).isNotEqualTo("finished");
        assertThat(setups("hangs")).isZero();
        assertNothingLeftRunning();
    }

    static class Timed extends Bb.Rec {
        Timed() {
            super("timed");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TimeoutRetryConfig {
        @Bean
        @ConductorComponent(setupTimeout = "1s", setupRetry = @SetupRetry(maxRetries = "2", delay = "10ms"))
        Timed timed() {
            return new Timed();
        }
    }

    @Test
    void timedOutAttemptIsRetriedDuringEarlyStart() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        HOOKS.put("timed", () -> {
            if (attempts.incrementAndGet() == 1) {
                release.await(60, TimeUnit.SECONDS); // interrupted at the timeout
            }
        });
        try (ConfigurableApplicationContext ctx = app(TimeoutRetryConfig.class).run()) {
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(ACTIVE).contains("timed");
        }
        assertNothingLeftRunning();
    }

    @Test
    void setupDeadlineDuringEarlyStartFailsTheRefreshPromptly() throws Exception {
        HOOKS.put("hangs", () -> release.await(60, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> app(TimeoutConfig.class).properties("conductor.setup-deadline=200ms").run())
            .isNotNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(30_000);
        assertThat(SLOW_OUTCOME.get()).isNotEqualTo("finished");
        assertNothingLeftRunning();
    }

    // ---- the safety rule --------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LowPhaseSlConfig {
        @Bean
        Sl sl() {
            return new Sl(0);
        }

        @Bean
        @ConductorComponent
        UsesSl usesSl(Sl sl) {
            return new UsesSl(sl);
        }

        @Bean
        PlainOverSl plainOverSl(Sl sl) {
            return new PlainOverSl(sl);
        }

        @Bean
        @ConductorComponent
        ThroughPlain throughPlain(PlainOverSl p) {
            return new ThroughPlain(p);
        }

        @Bean
        @ConductorComponent
        AfterUsesSl afterUsesSl(UsesSl u) {
            return new AfterUsesSl(u);
        }
    }

    @Test
    void componentReachingASmartLifecycleWaitsForItDirectlyAndThroughPlainBeans() throws Exception {
        try (ConfigurableApplicationContext ctx = app(LowPhaseSlConfig.class).run()) {
            assertThat(SEEN).containsEntry("usesSl.slRunning", true).containsEntry("throughPlain.slRunning", true);
            assertThat(index("sl-start")).isLessThan(index("begin:afterUsesSl"));
        }
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class DefaultPhaseSlConfig {
        @Bean
        Sl sl() {
            return new Sl(SmartLifecycle.DEFAULT_PHASE);
        }

        @Bean
        @ConductorComponent
        UsesSl usesSl(Sl sl) {
            return new UsesSl(sl);
        }
    }

    @Test
    void componentReachingADefaultPhaseSmartLifecycleIsSetUpBeforeItWithAWarning(CapturedOutput output)
            throws Exception {
        // the documented limit: Spring starts a SmartLifecycle of a phase above Conductor's (the default phase,
        // Integer.MAX_VALUE, as JmsListenerEndpointRegistry's) only after Conductor's lifecycle, so the component
        // cannot wait for it; one WARN names the component, the bean, both phases and what to do
        try (ConfigurableApplicationContext ctx = app(DefaultPhaseSlConfig.class).run()) {
            assertThat(ACTIVE).contains("usesSl");
            assertThat(SEEN).containsEntry("usesSl.slRunning", false);
            assertThat(ctx.getBean(Sl.class).isRunning()).isTrue();
            int conductorPhase = ctx.getBean(ConductorLifecycle.class).getPhase();
            assertThat(output.getOut()).containsOnlyOnce("is set up before the lifecycle bean").contains("Conductor: 'usesSl' is set up before the"
                    + " lifecycle bean 'sl' it depends on has started: Spring starts 'sl' (phase " + Integer.MAX_VALUE
                    + ") only after Conductor's lifecycle (phase " + conductorPhase + "). Give 'sl' a phase below "
                    + conductorPhase + ", or do not use it in the setup of 'usesSl'.");
        }
        assertNothingLeftRunning();
    }

    @Test
    void componentReachingALowerPhaseSmartLifecycleGivesNoWarning(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext ctx = app(LowPhaseSlConfig.class).run()) {
            assertThat(SEEN).containsEntry("usesSl.slRunning", true);
        }
        assertThat(output.getOut()).doesNotContain("is set up before the lifecycle bean");
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AlwaysSlConfig {
        @Bean
        Sl sl() {
            return new Sl(0);
        }

        @Bean
        @ConductorComponent(earlyStart = EarlyStart.ALWAYS)
        UsesSl usesSl(Sl sl) {
            return new UsesSl(sl);
        }
    }

    @Test
    void earlyStartAlwaysOnTheAnnotationStartsBeforeTheSmartLifecycle() throws Exception {
        CountDownLatch looked = new CountDownLatch(1);
        slStartGate = looked;
        HOOKS.put("usesSl", looked::countDown);
        try (ConfigurableApplicationContext ctx = app(AlwaysSlConfig.class).run()) {
            assertThat(SEEN).containsEntry("usesSl.slRunning", false);
        }
        assertNothingLeftRunning();
    }

    @Test
    void earlyStartAlwaysPropertyStartsBeforeTheSmartLifecycle() throws Exception {
        CountDownLatch looked = new CountDownLatch(2);
        slStartGate = looked;
        HOOKS.put("usesSl", looked::countDown);
        HOOKS.put("throughPlain", looked::countDown);
        try (ConfigurableApplicationContext ctx = app(LowPhaseSlConfig.class).properties("conductor.early-start=always")
            .run()) {
            assertThat(SEEN).containsEntry("usesSl.slRunning", false).containsEntry("throughPlain.slRunning", false);
            assertThat(index("up:usesSl")).isLessThan(index("begin:afterUsesSl"));
        }
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SisConfig {
        @Bean
        Sis sis() {
            return new Sis();
        }

        @Bean
        @ConductorComponent
        UsesSis usesSis(Sis sis) {
            return new UsesSis(sis);
        }
    }

    @Test
    void componentReachingASmartInitializingSingletonWaitsForIt() throws Exception {
        try (ConfigurableApplicationContext ctx = app(SisConfig.class).run()) {
            assertThat(SEEN).containsEntry("usesSis.done", true);
        }
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LoneConfig {
        @Bean
        @ConductorComponent
        Lone lone() {
            return new Lone();
        }

        @Bean
        Marker marker() {
            return new Marker();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LoneNeverConfig {
        @Bean
        @ConductorComponent(earlyStart = EarlyStart.NEVER)
        Lone lone() {
            return new Lone();
        }

        @Bean
        Marker marker() {
            return new Marker();
        }
    }

    @Test
    void plainComponentStartsEarlyByDefault() throws Exception {
        HOOKS.put("lone", () -> { });
        try (ConfigurableApplicationContext ctx = app(LoneConfig.class).run()) {
            // created first, nothing unusual: its setup may not be held until every singleton exists. We only
            // check it ran; the overlap test proves early start.
            assertThat(ACTIVE).contains("lone");
        }
        assertNothingLeftRunning();
    }

    @Test
    void earlyStartNeverPropertyWaitsForTheLifecycle() throws Exception {
        try (ConfigurableApplicationContext ctx = app(LoneConfig.class).properties("conductor.early-start=never")
            .run()) {
            assertThat(SEEN).containsEntry("lone.afterSingletons", true);
        }
        assertNothingLeftRunning();
    }

    @Test
    void earlyStartNeverOnTheAnnotationWaitsForTheLifecycle() throws Exception {
        try (ConfigurableApplicationContext ctx = app(LoneNeverConfig.class).run()) {
            assertThat(SEEN).containsEntry("lone.afterSingletons", true);
        }
        assertNothingLeftRunning();
    }

    // ---- proxies ------------------------------------------------------------------------------------------

    static class Proxied extends Bb.Rec {
        Proxied() {
            super("proxied");
        }
    }

    static class JdkProxied extends Bb.Rec {
        JdkProxied() {
            super("jdkProxied");
        }
    }

    static class Proxier implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof Proxied || bean instanceof JdkProxied) {
                ProxyFactory pf = new ProxyFactory(bean);
                pf.setProxyTargetClass(bean instanceof Proxied);
                if (bean instanceof JdkProxied) {
                    pf.setInterfaces(Component.class);
                }
                pf.addAdvice((MethodInterceptor) inv -> {
                    LOG.add("advice:" + beanName + "." + inv.getMethod().getName());
                    return inv.proceed();
                });
                return pf.getProxy();
            }
            return bean;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ProxyConfig {
        @Bean
        static Proxier proxier() {
            return new Proxier();
        }

        @Bean
        @ConductorComponent
        Proxied proxied() {
            return new Proxied();
        }

        @Bean
        @ConductorComponent
        Component jdkProxied() {
            return new JdkProxied();
        }

        @Bean
        @DependsOn({ "proxied", "jdkProxied" })
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void proxiedComponentsAreSetUpEarlyThroughTheProxy() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        Bb.Hook hook = () -> {
            both.countDown();
            if (both.getCount() == 0) {
                slowMayFinish.countDown();
            }
        };
        HOOKS.put("proxied", hook);
        HOOKS.put("jdkProxied", hook);
        try (ConfigurableApplicationContext ctx = app(ProxyConfig.class).run()) {
            assertThat(SLOW_OUTCOME.get()).isEqualTo("finished");
            assertThat(LOG).containsSubsequence("advice:proxied.setup", "begin:proxied");
            assertThat(LOG).containsSubsequence("advice:jdkProxied.setup", "begin:jdkProxied");
        }
        assertThat(LOG).containsSubsequence("advice:proxied.shutdown", "down:proxied");
        assertThat(LOG).containsSubsequence("advice:jdkProxied.shutdown", "down:jdkProxied");
        assertNothingLeftRunning();
    }

    // ---- lazy components ----------------------------------------------------------------------------------

    @Test
    void lazyInitializationSetsEveryComponentUpInOrder() throws Exception {
        try (ConfigurableApplicationContext ctx = app(ChainConfig.class)
            .properties("spring.main.lazy-initialization=true").run()) {
            assertThat(ACTIVE).containsExactlyInAnyOrder("a", "b", "c", "d");
        }
        assertThat(LOG).containsSubsequence("up:a", "begin:b", "up:b", "begin:c", "up:c", "begin:d");
        assertThat(LOG).containsSubsequence("down:d", "down:c", "down:b", "down:a");
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LazyConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @Lazy
        @ConductorComponent
        B b(A a) {
            return new B(a);
        }
    }

    @Test
    void lazyAnnotatedComponentIsSetUpAfterItsDependency() throws Exception {
        try (ConfigurableApplicationContext ctx = app(LazyConfig.class).run()) {
            assertThat(ACTIVE).containsExactlyInAnyOrder("a", "b");
        }
        assertThat(LOG).containsSubsequence("up:a", "begin:b");
        assertThat(LOG).containsSubsequence("down:b", "down:a");
        assertNothingLeftRunning();
    }

    // ---- registerSingleton --------------------------------------------------------------------------------

    @ConductorComponent(dependsOn = A.class)
    static class Registered extends Bb.Rec {
        Registered() {
            super("registered");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OnlyA {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }
    }

    @Test
    void registeredSingletonComponentIsSetUpAfterItsDependsOn() throws Exception {
        HOOKS.put("registered", () -> SEEN.put("registered.sawA", ACTIVE.contains("a")));
        try (ConfigurableApplicationContext ctx = app(OnlyA.class)
            .initializers(c -> c.getBeanFactory().registerSingleton("registered", new Registered())).run()) {
            assertThat(ACTIVE).containsExactlyInAnyOrder("a", "registered");
        }
        assertThat(SEEN).containsEntry("registered.sawA", true);
        assertThat(LOG).containsSubsequence("down:registered", "down:a");
        assertNothingLeftRunning();
    }

    // ---- context hierarchy --------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChildConfig {
        @Bean
        @ConductorComponent
        B b(A a) {
            return new B(a);
        }
    }

    @Test
    void parentAndChildEachRunTheirOwnComponents() throws Exception {
        HOOKS.put("b", () -> SEEN.put("b.sawA", ACTIVE.contains("a")));
        SpringApplicationBuilder parent = app(OnlyA.class);
        ConfigurableApplicationContext child = parent.child(ChildConfig.class).web(WebApplicationType.NONE).run();
        ConfigurableApplicationContext parentCtx = (ConfigurableApplicationContext) child.getParent();
        try {
            assertThat(ACTIVE).containsExactlyInAnyOrder("a", "b");
            assertThat(SEEN).containsEntry("b.sawA", true);
            child.close();
            assertThat(ACTIVE).containsExactly("a");
            assertThat(shutdowns("a")).isZero();
        }
        finally {
            child.close();
            parentCtx.close();
        }
        assertThat(LOG).containsSubsequence("down:b", "down:a");
        assertNothingLeftRunning();
    }

    // ---- conductor.enabled=false --------------------------------------------------------------------------

    @Test
    void disabledSetsNothingUp() throws Exception {
        try (ConfigurableApplicationContext ctx = app(ChainConfig.class).properties("conductor.enabled=false").run()) {
            assertThat(ctx.getBean(D.class)).isNotNull();
        }
        assertThat(LOG).noneMatch(s -> s.startsWith("begin:") || s.startsWith("down:"));
    }

    // ---- close from another thread during the refresh -----------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class CloseConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @ConductorComponent
        Hangs hangs(A a) {
            return new Hangs(a);
        }

        @Bean
        @DependsOn("hangs")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void closeFromAnotherThreadDuringTheRefreshLeavesNothingRunning() throws Exception {
        CountDownLatch inSetup = new CountDownLatch(1);
        HOOKS.put("hangs", () -> {
            inSetup.countDown();
            release.await(60, TimeUnit.SECONDS);
        });
        AtomicReference<ConfigurableApplicationContext> ref = new AtomicReference<>();
        AtomicReference<Throwable> runFailure = new AtomicReference<>();
        AtomicReference<ConfigurableApplicationContext> ran = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                ran.set(app(CloseConfig.class).initializers(ref::set).run());
            }
            catch (Throwable t) {
                runFailure.set(t);
            }
        }, "bb-runner");
        runner.start();
        assertThat(inSetup.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(slowEntered.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> ref.get().close(), "bb-closer");
        closer.start();
        closer.join(10_000);
        release.countDown();
        slowMayFinish.countDown();
        closer.join(30_000);
        runner.join(60_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(runner.isAlive()).isFalse();
        if (ran.get() != null) {
            ran.get().close();
        }
        assertThat(ref.get().isActive()).as("context still active after close; run failure %s", runFailure.get())
            .isFalse();
        assertNothingLeftRunning();
    }

    // ---- web server binds only after every component is active --------------------------------------------

    static int port;

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @ConductorComponent
        B b(A a) {
            return new B(a);
        }
    }

    @Test
    void webServerBindsOnlyAfterEveryComponentIsActive() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HOOKS.put("b", () -> SEEN.put("b.portAccepts", accepts(port)));
        try (ConfigurableApplicationContext ctx = app(WebConfig.class).web(WebApplicationType.SERVLET)
            .properties("server.port=" + port).run()) {
            assertThat(SEEN).containsEntry("b.portAccepts", false);
            assertThat(accepts(port)).isTrue();
        }
        assertNothingLeftRunning();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebLateConfig {
        @Bean
        @ConductorComponent
        A a() {
            return new A();
        }

        @Bean
        @ConductorComponent(setupTimeout = "30s")
        B b(A a) {
            return new B(a);
        }
    }

    @Test
    void webServerDoesNotBindWhileALongSetupStillRuns() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // b's setup polls the port for a while: the lifecycle's start must wait for b, the server must not bind
        HOOKS.put("b", () -> {
            boolean ever = false;
            for (int i = 0; i < 20; i++) {
                ever |= accepts(port);
                release.await(50, TimeUnit.MILLISECONDS);
            }
            SEEN.put("b.portEverAccepted", ever);
        });
        try (ConfigurableApplicationContext ctx = app(WebLateConfig.class).web(WebApplicationType.SERVLET)
            .properties("server.port=" + port).run()) {
            assertThat(SEEN).containsEntry("b.portEverAccepted", false);
            assertThat(accepts(port)).isTrue();
        }
        assertNothingLeftRunning();
    }

    // ---- repeated start and close -------------------------------------------------------------------------

    @Test
    void tenStartsAndClosesKeepExactCounts() throws Exception {
        for (int i = 0; i < 10; i++) {
            try (ConfigurableApplicationContext ctx = app(ChainConfig.class).run()) {
                assertThat(ACTIVE).containsExactlyInAnyOrder("a", "b", "c", "d");
            }
            assertThat(ACTIVE).isEmpty();
        }
        for (String n : new String[] { "a", "b", "c", "d" }) {
            assertThat(setups(n)).as(n).isEqualTo(10);
            assertThat(shutdowns(n)).as(n).isEqualTo(10);
        }
        assertNothingLeftRunning();
    }

    // ---- a Lifecycle bean already running does not hold a component up -----------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RunningSlConfig {
        @Bean
        Sl sl() {
            Sl sl = new Sl(0);
            sl.running = true;
            return sl;
        }

        @Bean
        @ConductorComponent
        UsesSl usesSl(Sl sl) {
            return new UsesSl(sl);
        }

        @Bean
        @DependsOn("usesSl")
        Slow slow() throws Exception {
            return new Slow();
        }
    }

    @Test
    void lifecycleBeanAlreadyRunningDoesNotHoldTheComponentUp() throws Exception {
        HOOKS.put("usesSl", () -> slowMayFinish.countDown());
        try (ConfigurableApplicationContext ctx = app(RunningSlConfig.class).run()) {
            assertThat(SLOW_OUTCOME.get()).isEqualTo("finished");
            assertThat(ACTIVE).contains("usesSl");
        }
        assertNothingLeftRunning();
    }
}
