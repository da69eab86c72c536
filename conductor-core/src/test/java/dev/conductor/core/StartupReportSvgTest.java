package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import dev.conductor.core.StartupReport.ComponentReport;
import dev.conductor.core.StartupReport.SvgView;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class StartupReportSvgTest {

    /** database and queue at once; webApi once both are active; worker after webApi. */
    private static StartupReport orderService() {
        return new StartupReport(ms(90), List.of(
                active("webApi", 1, 40, 20, 40, "database", "queue"),
                active("database", 0, 0, 40, 0),
                active("worker", 2, 61, 29, 60, "webApi"),
                active("queue", 0, 1, 10, 0)),
                List.of("database", "webApi", "worker"));
    }

    @Test
    void timelineIsWellFormedSvgWithOneBarPerComponentInTheOrderTheirSetupsStarted() {
        SvgDocument svg = SvgDocument.parse(orderService().toSvg(SvgView.TIMELINE));

        List<Element> bars = svg.elements("rect", "bar");
        assertThat(bars).extracting(SvgDocument::component).containsExactly("database", "queue", "webApi", "worker");
        assertThat(bars).extracting(bar -> SvgDocument.number(bar, "y")).isSorted();
        assertThat(svg.elementNames()).doesNotContain("script", "image", "use", "foreignObject");
        assertThat(svg.document.getDocumentElement().getAttribute("width")).isNotEmpty();
    }

    @Test
    void barsStartAndLastInProportionToTheSetups() {
        List<Element> bars = SvgDocument.parse(orderService().toSvg(SvgView.TIMELINE)).elements("rect", "bar");
        double pixelsPerMs = SvgDocument.number(bars.get(0), "width") / 40;
        double origin = SvgDocument.number(bars.get(0), "x");
        long[][] expected = { { 0, 40 }, { 1, 10 }, { 40, 20 }, { 61, 29 } };
        for (int i = 0; i < bars.size(); i++) {
            assertThat(SvgDocument.number(bars.get(i), "x") - origin).as("start of bar %d", i)
                    .isCloseTo(expected[i][0] * pixelsPerMs, within(0.2));
            assertThat(SvgDocument.number(bars.get(i), "width")).as("width of bar %d", i)
                    .isCloseTo(expected[i][1] * pixelsPerMs, within(0.2));
        }
        assertThat(pixelsPerMs).as("the axis spans the plot").isGreaterThan(5);
    }

    @Test
    void theWaitForDependenciesIsALightBarUpToWhenTheLastOneWasActive() {
        SvgDocument svg = SvgDocument.parse(orderService().toSvg(SvgView.TIMELINE));
        List<Element> bars = svg.elements("rect", "bar");
        List<Element> waits = svg.elements("rect", "wait");
        waits.removeIf(wait -> SvgDocument.number(wait, "y") < SvgDocument.number(bars.get(0), "y")); // the legend
        double pixelsPerMs = SvgDocument.number(bars.get(0), "width") / 40;
        // Only webApi (until 40 ms) and worker (until 60 ms) waited; the tier-0 components did not
        assertThat(waits).hasSize(2);
        assertThat(SvgDocument.number(waits.get(0), "width")).isCloseTo(40 * pixelsPerMs, within(0.2));
        assertThat(SvgDocument.number(waits.get(1), "width")).isCloseTo(60 * pixelsPerMs, within(0.2));
        assertThat(SvgDocument.tooltip(bars.get(3))).contains("waited 60 ms for its dependencies");
    }

    @Test
    void theCriticalPathIsMarked() {
        SvgDocument svg = SvgDocument.parse(orderService().toSvg(SvgView.TIMELINE));
        assertThat(svg.elements("rect", "bar", "critical")).extracting(SvgDocument::component)
                .containsExactly("database", "webApi", "worker");
        assertThat(svg.elements("text", "name", "critical")).extracting(SvgDocument::visibleText)
                .containsExactly("database", "webApi", "worker");
        assertThat(svg.elements("rect", "bar")).filteredOn(bar -> !SvgDocument.classesOf(bar).contains("critical"))
                .extracting(SvgDocument::component).containsExactly("queue");
    }

    @Test
    void barsAreColouredByTheOutcomeOfTheSetup() {
        StartupReport failed = new StartupReport(ms(30), List.of(
                active("database", 0, 0, 10, 0),
                failed("queue", 0, 0, 30, new IllegalStateException("journal locked")),
                timedOut("cache", 0, 0, 25),
                new ComponentReport("webApi", ComponentState.NEW, 1, List.of("database", "queue"), null, null, null,
                        null, null, List.of(), 0, null, null, null, false)),
                List.of("queue"));
        assertThat(failed.rolledBack()).isTrue();
        SvgDocument svg = SvgDocument.parse(failed.toSvg(SvgView.TIMELINE));

        assertThat(svg.elements("rect", "bar", "rolled-back")).extracting(SvgDocument::component)
                .containsExactly("database");
        assertThat(svg.elements("rect", "bar", "failed")).extracting(SvgDocument::component).containsExactly("queue");
        assertThat(svg.elements("rect", "bar", "timed-out")).extracting(SvgDocument::component)
                .containsExactly("cache");
        assertThat(svg.elements("rect", "bar")).as("webApi never started: no bar").hasSize(3);
        assertThat(SvgDocument.tooltip(svg.elements("rect", "bar", "failed").get(0))).contains("journal locked");
        assertThat(text(svg)).contains("Setup failed and rolled back", "1 of 4 components did not start their setup");
    }

    @Test
    void aRetriedSetupShowsItsFailedAttemptsOverItsBar() {
        // Attempt 1 fails after 10 ms, 5 ms of backoff, attempt 2 succeeds after 15 ms
        List<StartupReport.Attempt> attempts = List.of(
                new StartupReport.Attempt(1, ms(0), ms(10), new IllegalStateException("refused"), ms(5)),
                new StartupReport.Attempt(2, ms(15), ms(15), null, null));
        StartupReport report = new StartupReport(ms(30), List.of(
                new ComponentReport("database", ComponentState.ACTIVE, 0, List.of(), ms(0), ms(30), null, null,
                        "Impl", attempts, 0, null, Duration.ZERO, null, false)),
                List.of("database"));
        SvgDocument svg = SvgDocument.parse(report.toSvg(SvgView.TIMELINE));

        Element bar = svg.elements("rect", "bar").get(0);
        List<Element> failedAttempts = svg.elements("rect", "attempt");
        failedAttempts.removeIf(attempt -> SvgDocument.tooltip(attempt) == null); // the legend's swatch
        assertThat(failedAttempts).hasSize(1);
        Element first = failedAttempts.get(0);
        assertThat(SvgDocument.number(first, "x")).isEqualTo(SvgDocument.number(bar, "x"));
        assertThat(SvgDocument.number(first, "width")).isCloseTo(SvgDocument.number(bar, "width") / 3, within(0.2));
        assertThat(SvgDocument.tooltip(first)).isEqualTo(
                "attempt 1 failed after 10 ms: java.lang.IllegalStateException: refused");
        assertThat(SvgDocument.tooltip(bar)).contains("2 attempts");
    }

    @Test
    void aRealRetriedSetupIsDrawnWithItsFailedAttempt() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ComponentGraph graph = ComponentGraph.builder()
                .add("database", Probe.onSetup(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("not yet");
                    }
                }))
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph)
                .retryPolicy("database", RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(1)).build())
                .build();
        engine.setup();

        SvgDocument svg = SvgDocument.parse(engine.report().toSvg(SvgView.TIMELINE));
        assertThat(svg.elements("rect", "bar", "active")).extracting(SvgDocument::tooltip).singleElement()
                .asString().contains("2 attempts");
        assertThat(svg.elements("rect", "attempt")).extracting(SvgDocument::tooltip)
                .anySatisfy(tooltip -> assertThat(tooltip).startsWith("attempt 1 failed after ").endsWith("not yet"));
    }

    @Test
    void aRealRestartIsSaidInThePicture() {
        ComponentGraph graph = ComponentGraph.builder()
                .add("database", new Probe())
                .add("webApi", new Probe(), "database")
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).build();
        engine.setup();
        engine.restart("webApi");

        StartupReport report = engine.report();
        assertThat(report.component("webApi").restarts()).isEqualTo(1);
        SvgDocument svg = SvgDocument.parse(report.toSvg(SvgView.TIMELINE));
        assertThat(svg.elements("rect", "bar")).hasSize(2);
        assertThat(text(svg)).contains("1 component was restarted since the setup: its row shows its last setup");
        engine.shutdown();
    }

    @Test
    void hostileNamesAreEscapedInEveryPicture() {
        String script = "</text><script>alert('x')</script><text>";
        String quotes = "a \"quoted\" & 'single' <b>name</b>";
        String controls = "ctl\u0000\u0007\u001b[31m\uD800end";
        String longName = "very-long-".repeat(1_000);
        StartupReport report = new StartupReport(ms(30), List.of(
                active(script, 0, 0, 10, 0),
                active(quotes, 0, 0, 12, 0),
                active(controls, 1, 12, 5, 12, quotes),
                active(longName, 1, 12, 8, 12, script, quotes)),
                List.of(quotes, longName));
        for (SvgView view : SvgView.values()) {
            String text = view == SvgView.SHUTDOWN_TIMELINE ? shutDown(report).toSvg(view) : report.toSvg(view);
            SvgDocument svg = SvgDocument.parse(text);
            assertThat(svg.elementNames()).as(view.name()).doesNotContain("script", "b");
            List<String> labels = svg.elements("text", "name").stream().map(SvgDocument::visibleText).toList();
            assertThat(labels).as(view.name()).anyMatch(label -> label.startsWith("</text><script>alert('x')")
                    && script.startsWith(label.replace("\u2026", "")));
            assertThat(labels).as("control characters and the lone surrogate become U+FFFD")
                    .anyMatch(label -> label.startsWith("ctl\uFFFD\uFFFD\uFFFD[31m\uFFFDend")
                            || label.startsWith("ctl\uFFFD\uFFFD\uFFFD[31m"));
            Element longLabel = svg.elements("text", "name").stream()
                    .filter(label -> SvgDocument.visibleText(label).startsWith("very-long-")).findFirst().orElseThrow();
            assertThat(SvgDocument.visibleText(longLabel)).hasSizeLessThan(40).endsWith("\u2026");
            assertThat(SvgDocument.tooltip(longLabel)).startsWith("very-long-very-long-")
                    .hasSize(SvgWriter.TOOLTIP_CHARS);
            assertThat(text).doesNotContain("<script", "<b>").contains("&lt;script&gt;");
        }
    }

    @Test
    void shutdownTimelineShowsTheShutdownsInTheOrderTheyStartedFromTheFirstOne() {
        // Shut down an hour after the setup: the picture starts at the first shutdown
        long hour = 3_600_000;
        StartupReport report = new StartupReport(ms(90), List.of(
                stopped("database", 0, 0, 40, 0, hour + 30, 15, List.of()),
                stopped("queue", 0, 1, 10, 0, hour + 30, 5, List.of()),
                stopped("webApi", 1, 40, 20, 40, hour + 12, 18, List.of("database", "queue")),
                stopped("worker", 2, 61, 29, 60, hour, 12, List.of("webApi"))),
                List.of("database", "webApi", "worker"));
        SvgDocument svg = SvgDocument.parse(report.toSvg(SvgView.SHUTDOWN_TIMELINE));

        List<Element> bars = svg.elements("rect", "bar");
        assertThat(bars).extracting(SvgDocument::component).containsExactly("worker", "webApi", "database", "queue");
        assertThat(bars).allSatisfy(bar -> assertThat(SvgDocument.classesOf(bar)).contains("stopped"));
        double origin = SvgDocument.number(bars.get(0), "x");
        double pixelsPerMs = SvgDocument.number(bars.get(0), "width") / 12;
        assertThat(SvgDocument.number(bars.get(2), "x") - origin).isCloseTo(30 * pixelsPerMs, within(0.2));
        assertThat(SvgDocument.number(bars.get(2), "width")).isCloseTo(15 * pixelsPerMs, within(0.2));
        // The shutdown's own critical path: worker, then webApi (the dependent that ended last), then database
        assertThat(svg.elements("rect", "bar", "critical")).extracting(SvgDocument::component)
                .containsExactly("worker", "webApi", "database");
        assertThat(SvgDocument.tooltip(bars.get(2))).contains("waited 30 ms for its dependents");
        assertThat(text(svg)).contains("Shutdown of 4 components in 45 ms");
    }

    @Test
    void graphHasABoxPerComponentInAColumnPerTierAndTheCriticalPathHeavier() {
        SvgDocument svg = SvgDocument.parse(orderService().toSvg(SvgView.GRAPH));

        List<Element> boxes = svg.elements("rect", "node");
        assertThat(boxes).extracting(SvgDocument::component)
                .containsExactlyInAnyOrder("database", "queue", "webApi", "worker");
        double database = x(boxes, "database");
        assertThat(x(boxes, "queue")).isEqualTo(database);
        assertThat(x(boxes, "webApi")).isGreaterThan(database);
        assertThat(x(boxes, "worker")).isGreaterThan(x(boxes, "webApi"));
        assertThat(svg.elements("rect", "node", "critical")).extracting(SvgDocument::component)
                .containsExactlyInAnyOrder("database", "webApi", "worker");
        // Three edges: database and queue to webApi, webApi to worker; two of them on the critical path
        assertThat(svg.elements("path", "edge")).hasSize(3);
        assertThat(svg.elements("path", "edge", "critical")).hasSize(2);
    }

    @Test
    void aRealFailedSetupIsDrawnWithItsTimeoutAndRollback() {
        CountDownLatch never = new CountDownLatch(1);
        ComponentGraph graph = ComponentGraph.builder()
                .add("database", new Probe())
                .add(ComponentDefinition.of("queue", Probe.onSetup(never::await))
                        .withSetupTimeout(Duration.ofMillis(50)))
                .add("webApi", new Probe(), "database", "queue")
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).build();
        assertThatExceptionOfType(ComponentSetupException.class).isThrownBy(engine::setup);

        StartupReport report = engine.report();
        assertThat(report.rolledBack()).isTrue();
        assertThat(report.component("queue").timedOut()).isTrue();
        assertThat(report.component("database").shutdownStart()).isNotNull();
        SvgDocument timeline = SvgDocument.parse(report.toSvg(SvgView.TIMELINE));
        assertThat(timeline.elements("rect", "bar", "timed-out")).extracting(SvgDocument::component)
                .containsExactly("queue");
        assertThat(timeline.elements("rect", "bar", "rolled-back")).extracting(SvgDocument::component)
                .containsExactly("database");
        SvgDocument rollback = SvgDocument.parse(report.toSvg(SvgView.SHUTDOWN_TIMELINE));
        assertThat(rollback.elements("rect", "bar")).extracting(SvgDocument::component).containsExactly("database");
        assertThat(text(rollback)).contains("Rollback: shut down 1 component");
        assertThat(SvgDocument.parse(report.toSvg(SvgView.GRAPH)).elements("rect", "node", "not-started"))
                .extracting(SvgDocument::component).containsExactly("webApi");
    }

    @Test
    void aReportOfARealLifecycleKnowsWhenEachComponentsDependenciesWereActive() {
        ComponentGraph graph = ComponentGraph.builder()
                .add("database", new Probe())
                .add("queue", new Probe())
                .add("webApi", new Probe(), "database", "queue")
                .build();
        LifecycleEngine engine = LifecycleEngine.builder(graph).build();
        engine.setup();
        StartupReport report = engine.report();
        ComponentReport database = report.component("database");
        ComponentReport queue = report.component("queue");
        ComponentReport webApi = report.component("webApi");
        assertThat(database.dependenciesActive()).isEqualTo(Duration.ZERO);
        assertThat(webApi.dependenciesActive()).isEqualTo(max(end(database), end(queue)));
        assertThat(webApi.setupStart()).isGreaterThanOrEqualTo(webApi.dependenciesActive());
        assertThat(webApi.shutdownStart()).isNull();
        assertThat(report.rolledBack()).isFalse();
        engine.shutdown();
        StartupReport after = engine.report();
        assertThat(after.component("database").shutdownStart())
                .isGreaterThanOrEqualTo(end(after.component("webApi").shutdownStart(),
                        after.component("webApi").shutdownDuration()));
        assertThat(after.rolledBack()).isFalse();
        assertThat(SvgDocument.parse(after.toSvg(SvgView.SHUTDOWN_TIMELINE)).elements("rect", "bar"))
                .extracting(SvgDocument::component).startsWith("webApi");
    }

    @Test
    void twoHundredComponentsAreAllDrawnWithTheirNames() {
        StartupReport report = randomReport(new Random(200), 200, false);
        SvgDocument timeline = SvgDocument.parse(report.toSvg(SvgView.TIMELINE));
        assertThat(timeline.elements("rect", "bar")).hasSize(200);
        assertThat(timeline.elements("text", "name")).extracting(SvgDocument::visibleText)
                .containsExactlyInAnyOrderElementsOf(report.components().stream().map(ComponentReport::name).toList());
        assertThat(text(timeline)).doesNotContain("Showing");
        SvgDocument graph = SvgDocument.parse(report.toSvg(SvgView.GRAPH));
        assertThat(graph.elements("rect", "node")).hasSize(200);
    }

    @Test
    void tenThousandComponentsFromARealLifecycleGiveBoundedPicturesThatSaySoWhatTheyLeaveOut() {
        ComponentGraph.Builder builder = ComponentGraph.builder();
        Random random = new Random(10_000);
        for (int i = 0; i < 10_000; i++) {
            String[] dependencies = random.ints(Math.min(i, 3), 0, Math.max(1, i)).distinct()
                    .mapToObj(j -> "component-" + j).toArray(String[]::new);
            builder.add("component-" + i, new Probe(), dependencies);
        }
        LifecycleEngine engine = LifecycleEngine.builder(builder.build()).build();
        engine.setup();
        engine.shutdown();
        StartupReport report = engine.report();

        for (SvgView view : SvgView.values()) {
            String text = report.toSvg(view);
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).as(view.name()).isLessThan(1_000_000);
            SvgDocument svg = SvgDocument.parse(text);
            if (view == SvgView.GRAPH) {
                assertThat(svg.elements("rect", "node")).hasSizeLessThanOrEqualTo(GraphLayout.MAX_NODES);
                assertThat(svg.elements("path", "edge")).hasSizeLessThanOrEqualTo(GraphLayout.MAX_EDGES);
                assertThat(text(svg)).contains("of 10000 components");
            }
            else {
                assertThat(svg.elements("rect", "bar")).hasSize(TimelineRows.MAX_ROWS);
                assertThat(text(svg)).contains("Showing 300 of 10000 components");
                List<Element> bars = svg.elements("rect", "bar");
                assertThat(bars).extracting(bar -> SvgDocument.number(bar, "x")).isSorted();
            }
        }
        List<String> criticalOnTimeline = SvgDocument.parse(report.toSvg(SvgView.TIMELINE))
                .elements("rect", "bar", "critical").stream().map(SvgDocument::component).toList();
        assertThat(criticalOnTimeline).containsExactlyInAnyOrderElementsOf(report.criticalPath());
    }

    @Test
    void randomReportsAlwaysGiveWellFormedPicturesWithOneBarPerStartedSetupInStartOrder() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            StartupReport report = randomReport(random, 1 + random.nextInt(40), true);
            SvgDocument timeline = SvgDocument.parse(report.toSvg(SvgView.TIMELINE));
            List<ComponentReport> started = report.components().stream().filter(c -> c.setupStart() != null)
                    .sorted(Comparator.comparing(ComponentReport::setupStart)).toList();
            List<Element> bars = timeline.elements("rect", "bar");
            assertThat(bars).as("seed %d", seed).hasSize(started.size());
            assertThat(bars).extracting(bar -> SvgDocument.number(bar, "x")).as("seed %d", seed).isSorted();
            SvgDocument.parse(report.toSvg(SvgView.SHUTDOWN_TIMELINE));
            assertThat(SvgDocument.parse(report.toSvg(SvgView.GRAPH)).elements("rect", "node")).as("seed %d", seed)
                    .hasSize(report.components().size());
        }
    }

    @Test
    void anEmptyReportGivesAPictureThatSaysNothingHappenedYet() {
        StartupReport empty = new StartupReport(Duration.ZERO, List.of(), List.of());
        assertThat(text(SvgDocument.parse(empty.toSvg(SvgView.TIMELINE)))).contains("Nothing has been set up yet");
        assertThat(text(SvgDocument.parse(empty.toSvg(SvgView.SHUTDOWN_TIMELINE))))
                .contains("Nothing has shut down yet");
        SvgDocument.parse(empty.toSvg(SvgView.GRAPH));
    }

    @Test
    void writeSvgWritesTheFileAndNamesItWhenItCannot(@TempDir Path directory) throws Exception {
        Path file = orderService().writeSvg(SvgView.GRAPH, directory.resolve("graph.svg"));
        assertThat(Files.readString(file)).isEqualTo(orderService().toSvg(SvgView.GRAPH));
        Path missing = directory.resolve("no-such-directory").resolve("timeline.svg");
        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> orderService().writeSvg(SvgView.TIMELINE, missing))
                .withMessage("Could not write the TIMELINE picture to " + missing);
    }

    @Test
    void theTimeAxisHasRoundTicksInReadableUnits() {
        assertThat(TimeAxis.niceStep(3)).isEqualTo(5);
        assertThat(TimeAxis.niceStep(170_000_000)).isEqualTo(200_000_000);
        assertThat(TimeAxis.niceStep(1_000_000)).isEqualTo(1_000_000);
        assertThat(Arrays.asList(TimeAxis.label(0), TimeAxis.label(800), TimeAxis.label(20_000),
                TimeAxis.label(250_000_000), TimeAxis.label(1_500_000_000), TimeAxis.label(90_000_000_000L)))
                .containsExactly("0", "800 ns", "20 us", "250 ms", "1.5 s", "90 s");
        TimeAxis axis = new TimeAxis(6_196_000_000L, 900);
        assertThat(axis.step).isEqualTo(500_000_000);
        assertThat(axis.tickCount()).isEqualTo(13);
        assertThat(axis.x(6_196_000_000L)).isCloseTo(900, within(0.001));
    }

    private static double x(List<Element> boxes, String name) {
        return boxes.stream().filter(box -> SvgDocument.component(box).equals(name)).findFirst()
                .map(box -> SvgDocument.number(box, "x")).orElseThrow();
    }

    private static String text(SvgDocument svg) {
        return svg.document.getDocumentElement().getTextContent();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Duration end(ComponentReport component) {
        return component.setupStart().plus(component.setupDuration());
    }

    private static Duration end(Duration start, Duration duration) {
        return start.plus(duration);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static ComponentReport active(String name, int tier, long startMs, long durationMs, long readyMs,
            String... dependencies) {
        return new ComponentReport(name, ComponentState.ACTIVE, tier, List.of(dependencies), ms(startMs),
                ms(durationMs), null, null, "Impl", List.of(), 0, null, ms(readyMs), null, false);
    }

    private static ComponentReport failed(String name, int tier, long startMs, long durationMs, Throwable failure) {
        return new ComponentReport(name, ComponentState.FAILED, tier, List.of(), ms(startMs), ms(durationMs), null,
                failure, "Impl", List.of(), 0, null, Duration.ZERO, null, false);
    }

    private static ComponentReport timedOut(String name, int tier, long startMs, long durationMs) {
        return new ComponentReport(name, ComponentState.FAILED, tier, List.of(), ms(startMs), ms(durationMs), null,
                new StepTimeoutException("'" + name + "' did not finish its setup within 25 ms"), "Impl", List.of(), 0, null, Duration.ZERO,
                null, true);
    }

    private static ComponentReport stopped(String name, int tier, long startMs, long durationMs, long readyMs,
            long shutdownStartMs, long shutdownMs, List<String> dependencies) {
        return new ComponentReport(name, ComponentState.STOPPED, tier, dependencies, ms(startMs), ms(durationMs),
                ms(shutdownMs), null, "Impl", List.of(), 0, null, ms(readyMs), ms(shutdownStartMs), false);
    }

    /** The same report after a shutdown in reverse: each component shut down 1 ms after the last one started. */
    private static StartupReport shutDown(StartupReport report) {
        List<ComponentReport> stopped = new ArrayList<>();
        int i = report.components().size();
        for (ComponentReport c : report.components()) {
            stopped.add(new ComponentReport(c.name(), ComponentState.STOPPED, c.tier(), c.dependencies(),
                    c.setupStart(), c.setupDuration(), ms(1), null, c.implementation(), c.attempts(), 0, null, c.dependenciesActive(),
                    ms(100 + i--), false));
        }
        return new StartupReport(report.setupTime(), stopped, report.criticalPath());
    }

    /**
     * A random report of a plausible lifecycle: each component depends on a few earlier ones and starts after
     * them; with {@code faults}, names get hostile characters, some setups fail or time out, and the components
     * after a failure never start.
     */
    private static StartupReport randomReport(Random random, int size, boolean faults) {
        String alphabet = "abcXYZ-_.:<>&\"' \u00e9\u4e2d\uD83D\uDE00\u0001";
        List<ComponentReport> components = new ArrayList<>();
        long[] ends = new long[size];
        int[] tiers = new int[size];
        String[] names = new String[size];
        int failAt = faults && random.nextBoolean() ? random.nextInt(size) : -1;
        for (int i = 0; i < size; i++) {
            StringBuilder name = new StringBuilder("c").append(i).append('-');
            int length = faults ? random.nextInt(60) : 8;
            for (int k = 0; k < length; k++) {
                name.append(faults ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('a' + random.nextInt(26)));
            }
            names[i] = name.toString();
            List<String> dependencies = new ArrayList<>();
            long ready = 0;
            int tier = 0;
            for (int k = 0; k < Math.min(i, random.nextInt(4)); k++) {
                int j = random.nextInt(i);
                if (!dependencies.contains(names[j])) {
                    dependencies.add(names[j]);
                    ready = Math.max(ready, ends[j]);
                    tier = Math.max(tier, tiers[j] + 1);
                }
            }
            tiers[i] = tier;
            long start = ready + random.nextInt(1_000_000);
            long duration = 1 + random.nextInt(50_000_000);
            ends[i] = start + duration;
            boolean started = failAt < 0 || i <= failAt;
            boolean failing = i == failAt;
            boolean timedOut = failing && random.nextBoolean();
            components.add(new ComponentReport(names[i],
                    !started ? ComponentState.NEW : failing ? ComponentState.FAILED : ComponentState.ACTIVE, tier,
                    dependencies, started ? Duration.ofNanos(start) : null, started ? Duration.ofNanos(duration) : null,
                    null, failing ? new IllegalStateException("<boom> & \"bang\"") : null, "Impl", List.of(), 0, null,
                    started ? Duration.ofNanos(ready) : null, null, timedOut));
        }
        long last = Arrays.stream(ends).max().orElse(0);
        return new StartupReport(Duration.ofNanos(last), components, List.of(names[size - 1]));
    }
}
