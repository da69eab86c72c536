package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The whole start on one axis: stages, Conductor's setup with its components inside, marks; SVG and text. */
class BootTimelineTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** database <- api, set up for real. */
    private static StartupReport setUp() {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe())
                .add("api", new Probe(), "database").build()).build();
        engine.setup();
        return engine.report();
    }

    private static BootTimeline boot(StartupReport report) {
        return BootTimeline.builder()
                .stage("JVM start", ms(0), ms(400), 0)
                .stage("context refresh", ms(600), ms(2000), 0)
                .stage("bean creation", ms(700), ms(1500), 1)
                .stage("lifecycle start", ms(1500), ms(2000), 1)
                .stage("web server start", ms(1900), ms(2000), 2)
                .setup(report, ms(1600))
                .mark("ready", ms(2100))
                .mark("JVM start", ms(0))
                .build();
    }

    @Test
    void everyStageTheSetupItsComponentsAndTheMarksAreRowsAndLinesOnOneAxis() {
        StartupReport report = setUp();
        BootTimeline boot = boot(report);
        assertThat(boot.stages()).extracting(BootTimeline.Stage::name).containsExactly("JVM start",
                "context refresh", "bean creation", "lifecycle start", "web server start");
        assertThat(boot.span()).isEqualTo(ms(2100));

        SvgDocument svg = SvgDocument.parse(boot.toSvg());
        List<Element> names = svg.elements("text", "name");
        assertThat(names).extracting(SvgDocument::visibleText).containsExactly("JVM start", "context refresh",
                "bean creation", "lifecycle start", "Conductor setup", "database", "api", "web server start");
        // indented by depth: the setup inside the lifecycle start, its components one further
        assertThat(SvgDocument.number(names.get(4), "x")).isGreaterThan(SvgDocument.number(names.get(3), "x"));
        assertThat(SvgDocument.number(names.get(5), "x")).isGreaterThan(SvgDocument.number(names.get(4), "x"));
        assertThat(SvgDocument.number(names.get(3), "x")).isGreaterThan(SvgDocument.number(names.get(1), "x"));

        List<Element> stages = svg.elements("rect", "stage").stream()
                .filter(rect -> SvgDocument.tooltip(rect) != null).toList(); // not the legend's swatch
        Element jvm = stages.get(0);
        Element refresh = stages.get(1);
        double pixelsPerMs = SvgDocument.number(jvm, "width") / 400;
        assertThat(SvgDocument.number(refresh, "x") - SvgDocument.number(jvm, "x")).isCloseTo(600 * pixelsPerMs,
                org.assertj.core.data.Offset.offset(0.2));
        assertThat(SvgDocument.tooltip(refresh)).isEqualTo("context refresh: from 600 ms to 2000 ms, 1400 ms");

        Element setup = svg.elements("rect", "conductor").stream().filter(rect -> SvgDocument.tooltip(rect) != null)
                .findFirst().orElseThrow();
        assertThat(SvgDocument.number(setup, "x") - SvgDocument.number(jvm, "x")).isCloseTo(1600 * pixelsPerMs,
                org.assertj.core.data.Offset.offset(0.2));
        assertThat(SvgDocument.tooltip(setup)).startsWith("Conductor setup of 2 components: ")
                .endsWith("critical path database \u2192 api");
        List<Element> components = svg.elements("rect", "bar", "active");
        assertThat(components).extracting(SvgDocument::component).containsExactly("database", "api");
        // a component starts at or after the setup, on the same axis
        assertThat(SvgDocument.number(components.get(0), "x")).isGreaterThanOrEqualTo(SvgDocument.number(setup, "x"));

        List<Element> marks = svg.elements("line", "mark");
        assertThat(marks).extracting(SvgDocument::tooltip).containsExactly("JVM start at 0 us", "ready at 2100 ms");
        assertThat(svg.elements("text", "heading")).extracting(SvgDocument::visibleText).singleElement().asString()
                .startsWith("Start of the application: ready 2100 ms after the JVM's start; Conductor's setup of 2"
                        + " components");
        assertThat(svg.elementNames()).doesNotContain("script", "image", "foreignObject");
    }

    @Test
    void theTextIsALinePerStageInTimeOrderForALog() {
        String text = boot(setUp()).toText();
        assertThat(text.lines().toList()).hasSize(9).first().isEqualTo("Start, from the JVM's start: 2100 ms");
        assertThat(text.lines().skip(1).map(String::strip).toList()).satisfiesExactly(
                line -> assertThat(line).isEqualTo("0.000 s  JVM start 400 ms"),
                line -> assertThat(line).isEqualTo("0.000 s  JVM start"),
                line -> assertThat(line).isEqualTo("0.600 s  context refresh 1400 ms"),
                line -> assertThat(line).isEqualTo("0.700 s    bean creation 800 ms"),
                line -> assertThat(line).isEqualTo("1.500 s    lifecycle start 500 ms"),
                line -> assertThat(line).startsWith("1.600 s  Conductor setup of 2 components ")
                        .endsWith(", critical path database -> api"),
                line -> assertThat(line).isEqualTo("1.900 s      web server start 100 ms"),
                line -> assertThat(line).isEqualTo("2.100 s  ready"));
    }

    @Test
    void aFailedSetupShowsItsFailedComponentAndNoReady() {
        LifecycleEngine engine = LifecycleEngine.builder(ComponentGraph.builder().add("database", new Probe())
                .add("ledger", Probe.onSetup(() -> {
                    throw new IllegalStateException("disk full");
                }), "database").build()).build();
        try {
            engine.setup();
        }
        catch (ComponentSetupException expected) {
            // the report shows it
        }
        SvgDocument svg = SvgDocument.parse(BootTimeline.builder().stage("context refresh", ms(100), ms(300), 0)
                .setup(engine.report(), ms(200)).build().toSvg());
        assertThat(svg.elements("text", "name")).extracting(SvgDocument::visibleText).containsExactly(
                "context refresh", "Conductor setup (rolled back)", "database", "ledger");
        assertThat(svg.elements("rect", "bar", "failed")).extracting(SvgDocument::component)
                .containsExactly("ledger");
        assertThat(svg.elements("text", "heading")).extracting(SvgDocument::visibleText).singleElement().asString()
                .startsWith("Start of the application: 300 ms from the JVM's start;");
    }

    @Test
    void withoutASetupOnlyTheStagesAreDrawn() {
        SvgDocument svg = SvgDocument.parse(BootTimeline.builder().stage("context refresh", ms(100), ms(300), 0)
                .mark("ready", ms(350)).build().toSvg());
        assertThat(svg.elements("text", "name")).extracting(SvgDocument::visibleText)
                .containsExactly("context refresh");
        assertThat(svg.elements("rect", "conductor")).hasSize(1); // the legend's swatch only
    }

    @Test
    void aStageThatEndsBeforeItStartsIsRefusedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> BootTimeline.builder().stage("bean creation", ms(900),
                ms(800), 1)).withMessage("The stage 'bean creation' must start at or after the JVM's start and end at"
                        + " or after its start, but runs from PT0.9S to PT0.8S");
        assertThatIllegalArgumentException().isThrownBy(() -> BootTimeline.builder().mark("ready", ms(-1)))
                .withMessageContaining("'ready'");
    }
}
