package dev.conductor.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LifecycleEngineTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    private final RecordingListener listener = new RecordingListener();

    private LifecycleEngine engine(ComponentGraph.Builder graph) {
        return LifecycleEngine.builder(graph.build()).listener(listener).build();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(10, SECONDS)) {
            throw new AssertionError("The latch was not released: the components did not overlap");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, SECONDS)) {
                throw new AssertionError("The latch was not released");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Of the components a setup frees at once, the worker that ran it runs the one with the longest chain of
     * dependents itself (no hand-off before the likeliest critical path goes on). 'leaf' is listed first and waits
     * until 'chain' has started: a worker that went on with 'leaf' would leave 'chain' to another thread.
     */
    @Test
    void theWorkerGoesOnWithTheFreedComponentWithTheLongestChainAboveIt() throws Exception {
        CountDownLatch chainStarted = new CountDownLatch(1);
        java.util.Map<String, Thread> setupThreads = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, Thread> shutdownThreads = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<String, Probe> recording = name -> new Probe(() -> {
            setupThreads.put(name, Thread.currentThread());
            if (name.equals("chain")) {
                chainStarted.countDown();
            }
            else if (name.equals("leaf")) {
                await(chainStarted);
            }
        }, () -> shutdownThreads.put(name, Thread.currentThread()));
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("root", recording.apply("root"))
                .add("leaf", recording.apply("leaf"), "root")
                .add("chain", recording.apply("chain"), "root")
                .add("above", recording.apply("above"), "chain")
                .add("top", recording.apply("top"), "above"));
        engine.setup();
        assertThat(setupThreads.get("chain")).isSameAs(setupThreads.get("root"));
        engine.shutdown();
        assertThat(shutdownThreads).containsOnlyKeys("root", "leaf", "chain", "above", "top");
    }

    /**
     * The same at shutdown: of the components a shutdown frees at once, the worker runs the deepest itself.
     * 'shallow' is listed first and waits until 'deep' has started its shutdown: a worker that went on with
     * 'shallow' would leave 'deep' to another thread.
     */
    @Test
    void theWorkerGoesOnWithTheFreedComponentWithTheLongestChainBelowIt() throws Exception {
        CountDownLatch deepStarted = new CountDownLatch(1);
        java.util.Map<String, Thread> shutdownThreads = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<String, Probe> recording = name -> new Probe(() -> { }, () -> {
            shutdownThreads.put(name, Thread.currentThread());
            if (name.equals("deep")) {
                deepStarted.countDown();
            }
            else if (name.equals("shallow")) {
                await(deepStarted);
            }
        });
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("bottom", recording.apply("bottom"))
                .add("below", recording.apply("below"), "bottom")
                .add("shallow", recording.apply("shallow"))
                .add("deep", recording.apply("deep"), "below")
                .add("api", recording.apply("api"), "shallow", "deep"));
        engine.setup();
        engine.shutdown();
        assertThat(shutdownThreads.get("deep")).isSameAs(shutdownThreads.get("api"));
        assertThat(shutdownThreads).containsOnlyKeys("bottom", "below", "shallow", "deep", "api");
    }

    @Test
    void diamondSetsUpByDependencyAndShutsDownInReverse() {
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("D", new Probe(), "B", "C")
                .add("B", new Probe(), "A")
                .add("C", new Probe(), "A")
                .add("A", new Probe()));
        engine.setup();
        assertThat(engine.isActive()).isTrue();
        assertThat(listener.before("setup-finished A", "setup-started B")).isTrue();
        assertThat(listener.before("setup-finished A", "setup-started C")).isTrue();
        assertThat(listener.before("setup-finished B", "setup-started D")).isTrue();
        assertThat(listener.before("setup-finished C", "setup-started D")).isTrue();
        engine.shutdown();
        assertThat(listener.before("shutdown-finished D", "shutdown-started B")).isTrue();
        assertThat(listener.before("shutdown-finished D", "shutdown-started C")).isTrue();
        assertThat(listener.before("shutdown-finished B", "shutdown-started A")).isTrue();
        assertThat(listener.before("shutdown-finished C", "shutdown-started A")).isTrue();
        assertThat(engine.state("A")).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void independentComponentsSetUpAndShutDownConcurrently() {
        CyclicBarrier setups = new CyclicBarrier(2);
        CyclicBarrier shutdowns = new CyclicBarrier(2);
        Probe.Action meetSetup = () -> setups.await(10, SECONDS);
        Probe.Action meetShutdown = () -> shutdowns.await(10, SECONDS);
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("database", new Probe(meetSetup, meetShutdown))
                .add("queue", new Probe(meetSetup, meetShutdown)));
        engine.setup();
        engine.shutdown();
        assertThat(listener.events()).noneMatch(event -> event.kind().isFailure());
    }

    @Test
    void everyComponentMadeReadyAtOnceGetsAThreadWhenTheyAllBlock() {
        int fanOut = 40;
        CyclicBarrier setups = new CyclicBarrier(fanOut);
        CyclicBarrier shutdowns = new CyclicBarrier(fanOut);
        ComponentGraph.Builder graph = ComponentGraph.builder().add("root", new Probe());
        for (int i = 0; i < fanOut; i++) {
            graph.add("blocking" + i, new Probe(() -> setups.await(10, SECONDS), () -> shutdowns.await(10, SECONDS)),
                    "root");
        }
        LifecycleEngine engine = engine(graph);
        engine.setup();
        engine.shutdown();
        assertThat(listener.events()).noneMatch(event -> event.kind().isFailure());
        assertThat(engine.state("root")).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void manyIndependentBlockingComponentsAllOverlapOnAFixedPoolLargeEnough() {
        int count = 24;
        ExecutorService executor = Executors.newFixedThreadPool(count);
        try {
            CyclicBarrier setups = new CyclicBarrier(count);
            ComponentGraph.Builder graph = ComponentGraph.builder();
            for (int i = 0; i < count; i++) {
                graph.add("blocking" + i, Probe.onSetup(() -> setups.await(10, SECONDS)));
            }
            LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(executor).build();
            engine.setup();
            engine.shutdown();
            assertThat(engine.state("blocking0")).isEqualTo(ComponentState.STOPPED);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anExecutorThatRefusesWorkFailsTheSetupNamingTheComponent() {
        Probe database = new Probe();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", database).build())
                .executor(task -> {
                    throw new RejectedExecutionException("pool is saturated");
                })
                .build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .withCauseInstanceOf(RejectedExecutionException.class)
                .satisfies(ex -> assertThat(ex.getComponent()).isEqualTo("database"));
        assertThat(database.setups).hasValue(0);
        assertThat(engine.isActive()).isFalse();
    }

    @Test
    void aWorkerRunsTheReadyComponentsItselfWhenTheExecutorRefusesMoreWorkers() {
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Executor refusesEverySecondWorker = task -> {
                if (accepted.incrementAndGet() % 2 == 0) {
                    throw new RejectedExecutionException("every second worker refused");
                }
                pool.execute(task);
            };
            ComponentGraph.Builder graph = ComponentGraph.builder().add("root", new Probe());
            for (int i = 0; i < 5; i++) {
                graph.add("leaf" + i, new Probe(), "root");
            }
            LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(refusesEverySecondWorker).build();
            engine.setup();
            assertThat(engine.isActive()).isTrue();
            assertThat(engine.state("leaf4")).isEqualTo(ComponentState.ACTIVE);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCallerLaunchesOnlyTheComponentsWithoutDependenciesEvenWhenOthersBecomeReadyMeanwhile() {
        Thread caller = Thread.currentThread();
        AtomicInteger callerHandOffs = new AtomicInteger();
        CountDownLatch workerHandedOff = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Executor executor = task -> {
                pool.execute(task);
                if (Thread.currentThread() == caller) {
                    callerHandOffs.incrementAndGet();
                    try {
                        workerHandedOff.await(10, SECONDS); // the root has set up and its dependents wait in line
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                else {
                    workerHandedOff.countDown();
                }
            };
            ComponentGraph.Builder graph = ComponentGraph.builder().add("root", new Probe());
            for (int i = 0; i < 5; i++) {
                graph.add("leaf" + i, new Probe(), "root");
            }
            LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(executor).build();
            engine.setup();
            assertThat(callerHandOffs).hasValue(1);
            assertThat(engine.state("leaf4")).isEqualTo(ComponentState.ACTIVE);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDirectExecutorRunsAWideFanOutOnTheCallingThreadWithoutDeepRecursion() {
        ComponentGraph.Builder graph = ComponentGraph.builder().add("root", new Probe());
        for (int i = 0; i < 20_000; i++) {
            graph.add("leaf" + i, new Probe(), "root");
        }
        LifecycleEngine engine = LifecycleEngine.builder(graph.build()).executor(Runnable::run).build();
        engine.setup();
        assertThat(engine.state("leaf19999")).isEqualTo(ComponentState.ACTIVE);
        engine.shutdown();
        assertThat(engine.state("root")).isEqualTo(ComponentState.STOPPED);
    }

    @Test
    void anExecutorThatThrowsSomethingElseIsTreatedAsARefusal() {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe()).build())
                .executor(task -> {
                    throw new OutOfMemoryError("unable to create native thread");
                })
                .build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .withCauseInstanceOf(OutOfMemoryError.class)
                .satisfies(ex -> assertThat(ex.getComponent()).isEqualTo("database"));
        assertThat(engine.isActive()).isFalse();
    }

    @Test
    void aRefusalSeenByTheCallerFailsOnlyTheComponentItLaunchedNotThoseAWorkerWillRun() {
        Thread caller = Thread.currentThread();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        AtomicBoolean firstCallerHandOff = new AtomicBoolean(true);
        CountDownLatch workerQueuedMore = new CountDownLatch(1);
        CountDownLatch metricsFailed = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Executor executor = task -> {
                if (!shuttingDown.get()) {
                    pool.execute(task);
                }
                else if (Thread.currentThread() == caller && firstCallerHandOff.getAndSet(false)) {
                    pool.execute(task);
                    awaitQuietly(workerQueuedMore); // the worker shut 'api' down and queued both its dependencies
                }
                else if (Thread.currentThread() == caller) {
                    throw new RejectedExecutionException("pool is saturated");
                }
                else {
                    workerQueuedMore.countDown();
                    awaitQuietly(metricsFailed); // until the caller's refusal has been dealt with
                    throw new RejectedExecutionException("pool is saturated");
                }
            };
            Probe database = new Probe();
            Probe cache = new Probe();
            Probe api = new Probe();
            Probe metrics = new Probe();
            LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                    .add("database", database)
                    .add("cache", cache)
                    .add("api", api, "database", "cache")
                    .add("metrics", metrics)
                    .build())
                    .executor(executor)
                    .listener(event -> {
                        if (event.kind() == LifecycleEvent.Kind.SHUTDOWN_FAILED) {
                            metricsFailed.countDown();
                        }
                    })
                    .build();
            engine.setup();
            shuttingDown.set(true);
            assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown)
                    .satisfies(ex -> {
                        assertThat(ex.getFailures()).containsOnlyKeys("metrics");
                        assertThat(ex.getFailures().get("metrics")).isInstanceOf(RejectedExecutionException.class);
                    });
            assertThat(api.shutdowns).hasValue(1);
            assertThat(database.shutdowns).hasValue(1);
            assertThat(cache.shutdowns).hasValue(1);
            assertThat(metrics.shutdowns).hasValue(0);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void componentsWaitingBehindAWorkerThatNeverReturnsAreStillSettledWhenItTimesOut() {
        CountDownLatch releaseHung = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool(task -> new Thread(task, "pool-worker"));
        try {
            Executor refusesHelpersForItsOwnWorkers = task -> {
                if (Thread.currentThread().getName().equals("pool-worker")) {
                    throw new RejectedExecutionException("no helper for a worker");
                }
                pool.execute(task);
            };
            Probe database = new Probe();
            Probe hanging = Probe.onSetup(() -> {
                while (true) {
                    try {
                        releaseHung.await();
                        return;
                    }
                    catch (InterruptedException ignored) {
                        // a component that ignores its timeout's interrupt
                    }
                }
            });
            Probe waiting = new Probe();
            LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                    .add("database", database)
                    .add(ComponentDefinition.of("hanging", hanging).dependsOn("database").withSetupTimeout(SHORT)
                            .withShutdownTimeout(SHORT))
                    .add("waiting", waiting, "database")
                    .build()).executor(refusesHelpersForItsOwnWorkers).build();
            assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                    .satisfies(ex -> {
                        assertThat(ex.getComponent()).isEqualTo("hanging");
                        assertThat(ex.isTimeout()).isTrue();
                        // its dependency waited for it in the rollback, up to its shutdown timeout
                        assertThat(ex.getSuppressed()).anySatisfy(suppressed -> assertThat(suppressed)
                                .isInstanceOf(ComponentShutdownException.class)
                                .hasMessageContaining("'hanging' timed out in its setup, and its setup had still"
                                        + " not returned 100 ms (its shutdown timeout) into the rollback"));
                    });
            assertThat(database.shutdowns).hasValue(1);
            assertThat(engine.isActive()).isFalse();
        }
        finally {
            releaseHung.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aComponentStartsWhenItsOwnDependenciesAreActiveNotWhenItsTierIs() {
        CountDownLatch fastDependentStarted = new CountDownLatch(1);
        Probe slow = Probe.onSetup(() -> await(fastDependentStarted));
        Probe fastDependent = Probe.onSetup(fastDependentStarted::countDown);
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("slow", slow)
                .add("fast", new Probe())
                .add("fastDependent", fastDependent, "fast")
                .add("top", new Probe(), "slow", "fastDependent"));
        engine.setup();
        assertThat(listener.before("setup-started fastDependent", "setup-finished slow")).isTrue();
    }

    @Test
    void failedSetupRollsBackWhatWasActiveInReverseAndNamesTheDependencyPath() {
        Probe database = new Probe();
        Probe repository = new Probe();
        Probe jobs = Probe.onSetup(() -> {
            throw new IllegalStateException("no schema");
        });
        Probe api = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("database", database)
                .add("repository", repository, "database")
                .add("jobs", jobs, "repository")
                .add("api", api, "jobs"));
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .withMessage("Setup of component 'jobs' failed (dependency path: api -> jobs): no schema. The"
                        + " components already active were shut down again.")
                .withCauseInstanceOf(IllegalStateException.class)
                .satisfies(ex -> {
                    assertThat(ex.getComponent()).isEqualTo("jobs");
                    assertThat(ex.getDependencyPath()).containsExactly("api", "jobs");
                    assertThat(ex.isTimeout()).isFalse();
                });
        assertThat(api.setups).hasValue(0);
        assertThat(jobs.shutdowns).hasValue(0);
        assertThat(repository.shutdowns).hasValue(1);
        assertThat(database.shutdowns).hasValue(1);
        assertThat(listener.before("shutdown-finished repository", "shutdown-started database")).isTrue();
        assertThat(engine.isActive()).isFalse();
        assertThat(engine.state("jobs")).isEqualTo(ComponentState.FAILED);
        assertThat(engine.state("api")).isEqualTo(ComponentState.NEW);
    }

    @Test
    void afterAFailureNoFurtherSetupStartsAndSetupsInFlightAreAwaitedThenRolledBack() {
        CountDownLatch inFlightStarted = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        Probe inFlight = Probe.onSetup(() -> {
            inFlightStarted.countDown();
            await(failed);
        });
        Probe afterInFlight = new Probe();
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add("failing", Probe.onSetup(() -> {
                            await(inFlightStarted);
                            throw new Exception("boom");
                        }))
                        .add("inFlight", inFlight)
                        .add("afterInFlight", afterInFlight, "inFlight")
                        .build())
                .listener(event -> {
                    if (event.kind() == LifecycleEvent.Kind.SETUP_FAILED) {
                        failed.countDown();
                    }
                })
                .build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .satisfies(ex -> assertThat(ex.getComponent()).isEqualTo("failing"));
        assertThat(inFlight.setups).hasValue(1);
        assertThat(inFlight.shutdowns).hasValue(1);
        assertThat(afterInFlight.setups).hasValue(0);
    }

    @Test
    void setupPastItsTimeoutIsInterruptedAndFails() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        Probe hanging = Probe.onSetup(() -> {
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
                throw ex;
            }
        });
        Probe database = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("database", database)
                .add(ComponentDefinition.of("broker", hanging).dependsOn("database").withSetupTimeout(SHORT))
                .add("api", new Probe(), "broker"));
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .withMessageStartingWith("Setup of component 'broker' timed out (dependency path: api -> broker):"
                        + " 'broker' did not finish its setup within 100 ms")
                .satisfies(ex -> assertThat(ex.isTimeout()).isTrue());
        assertThat(interrupted.await(10, SECONDS)).as("the hanging setup was interrupted").isTrue();
        assertThat(hanging.shutdowns).hasValue(0);
        assertThat(database.shutdowns).hasValue(1);
    }

    @Test
    void failingShutdownsAreCollectedAfterEverythingElseIsDown() {
        Probe database = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("database", database)
                .add("web", Probe.onShutdown(() -> {
                    throw new IllegalStateException("port stuck");
                }), "database")
                .add("workers", Probe.onShutdown(() -> {
                    throw new IllegalStateException("consumer stuck");
                }), "database"));
        engine.setup();
        assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown)
                .withMessageContaining("Shutdown failed for 2 components:")
                .withMessageContaining("web (port stuck)")
                .withMessageContaining("workers (consumer stuck)")
                .satisfies(ex -> {
                    assertThat(ex.getFailures()).containsOnlyKeys("web", "workers");
                    assertThat(ex.getSuppressed()).hasSize(2);
                });
        assertThat(database.shutdowns).hasValue(1);
        assertThat(engine.state("database")).isEqualTo(ComponentState.STOPPED);
        assertThat(engine.state("web")).isEqualTo(ComponentState.FAILED);
    }

    @Test
    void hangingShutdownIsAbandonedAtItsTimeoutAndItsDependenciesStillShutDown() {
        Probe database = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder()
                .add("database", database)
                .add(ComponentDefinition.of("web", Probe.onShutdown(() -> new CountDownLatch(1).await()))
                        .dependsOn("database").withShutdownTimeout(SHORT)));
        engine.setup();
        assertThatExceptionOfType(ComponentShutdownException.class).isThrownBy(engine::shutdown)
                .withMessageContaining("web ('web' did not finish its shutdown within 100 ms)");
        assertThat(database.shutdowns).hasValue(1);
    }

    @Test
    void shutdownIsIdempotentAndSetupCanRunAgainAfterIt() {
        Probe probe = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("only", probe));
        engine.shutdown();
        engine.setup();
        engine.setup();
        engine.shutdown();
        engine.shutdown();
        assertThat(probe.setups).hasValue(1);
        assertThat(probe.shutdowns).hasValue(1);
        engine.setup();
        engine.shutdown();
        assertThat(probe.setups).hasValue(2);
        assertThat(probe.shutdowns).hasValue(2);
    }

    @Test
    void listenerReceivesEveryTransitionWithDurationsAndItsFailuresAreIgnored() {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add("a", new Probe()).add("b", new Probe(), "a").build())
                .listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(listener)
                .build();
        engine.setup();
        engine.shutdown();
        assertThat(listener.transitions()).containsExactly("setup-started a", "setup-finished a",
                "setup-started b", "setup-finished b", "shutdown-started b", "shutdown-finished b",
                "shutdown-started a", "shutdown-finished a");
        assertThat(listener.events()).allSatisfy(event -> assertThat(event.duration().isNegative()).isFalse());
    }

    @Test
    void runsOnASuppliedExecutor() {
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> new Thread(task, "custom-worker"));
        try {
            AtomicReference<String> thread = new AtomicReference<>();
            LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                            .add("a", Probe.onSetup(() -> thread.set(Thread.currentThread().getName()))).build())
                    .executor(executor).build();
            engine.setup();
            engine.shutdown();
            assertThat(thread).hasValue("custom-worker");
            assertThat(executor.isShutdown()).isFalse();
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void reportShowsTiersAndTheCriticalPath() {
        // 'database' finishes only once 'independent' is recorded as finished, so 'web' finishes last and the
        // critical path is database -> web however the threads are scheduled
        CountDownLatch independentDone = new CountDownLatch(1);
        LifecycleListener independentFinished = event -> {
            if (event.component().equals("independent") && event.kind() == LifecycleEvent.Kind.SETUP_FINISHED) {
                independentDone.countDown();
            }
        };
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add("independent", new Probe())
                        .add("database", Probe.onSetup(() -> await(independentDone)))
                        .add("web", new Probe(), "database").build())
                .listener(listener).listener(independentFinished).build();
        engine.setup();
        StartupReport report = engine.report();
        assertThat(report.criticalPath()).containsExactly("database", "web");
        assertThat(report.tiers()).containsExactly(List.of("independent", "database"), List.of("web"));
        assertThat(report.component("web").state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(report.component("web").setupDuration()).isNotNull();
        assertThat(report.setupTime()).isGreaterThanOrEqualTo(report.criticalPathTime());
        assertThat(report.toText()).startsWith("Set up 3 components in ").contains("critical path (")
                .contains("database ").contains(" -> web ").contains("tier 0: independent ")
                .contains("tier 1: web ");
        engine.shutdown();
        assertThat(engine.report().component("web").shutdownDuration()).isNotNull();
    }

    @Test
    void shutdownFromAnotherThreadCancelsASetupInProgressAndInterruptsTheSetupsInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Probe base = new Probe();
        Probe blocking = Probe.onSetup(() -> {
            started.countDown();
            new CountDownLatch(1).await(); // returns only when interrupted
        });
        Probe dependent = new Probe();
        LifecycleEngine engine = engine(ComponentGraph.builder().add("base", base)
                .add("blocking", blocking, "base").add("dependent", dependent, "blocking"));
        AtomicReference<Throwable> setupFailure = new AtomicReference<>();
        Thread settingUp = new Thread(() -> {
            try {
                engine.setup();
            }
            catch (Throwable ex) {
                setupFailure.set(ex);
            }
        });
        settingUp.start();
        await(started);
        engine.shutdown();
        settingUp.join(10_000);
        assertThat(setupFailure.get()).isInstanceOf(SetupCancelledException.class)
                .hasMessage("Setup was cancelled before it completed: shutdown() was called. The components already"
                        + " active were shut down again: base.")
                .satisfies(ex -> assertThat(((SetupCancelledException) ex).isInterrupted()).isFalse());
        assertThat(setupFailure.get().getSuppressed()).singleElement()
                .satisfies(ex -> assertThat(ex.getCause()).isInstanceOf(InterruptedException.class));
        assertThat(dependent.setups).hasValue(0);
        assertThat(blocking.shutdowns).hasValue(0);
        assertThat(base.shutdowns).hasValue(1);
        assertThat(engine.isActive()).isFalse();
    }

    @Test
    void componentsOwnTimeoutsOverrideTheDefaults() {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder()
                        .add(ComponentDefinition.of("slow", Probe.onSetup(() -> new CountDownLatch(1).await()))
                                .withSetupTimeout(SHORT))
                        .build())
                .setupTimeout(Duration.ofHours(1)).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup)
                .satisfies(ex -> assertThat(ex.isTimeout()).isTrue());
    }
}
