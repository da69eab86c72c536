package dev.conductor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An application's whole start on one time axis, from the JVM's start to ready, in the manner of
 * {@code systemd-analyze plot}: the stages a container reports (the JVM's own start, the context refresh and its
 * bean creation, the lifecycle start, the web server's start), Conductor's setup with a row per component inside
 * it, and marks such as "ready". Every time is measured from the JVM's start. The Spring Boot starter builds one
 * from the application's events; any other container can build its own.
 *
 * <pre>{@code
 * BootTimeline boot = BootTimeline.builder()
 *         .stage("context refresh", Duration.ofMillis(610), Duration.ofMillis(2480), 0)
 *         .stage("bean creation", Duration.ofMillis(700), Duration.ofMillis(1900), 1)
 *         .setup(engine.report(), Duration.ofMillis(1910))
 *         .mark("ready", Duration.ofMillis(2530))
 *         .build();
 * Files.writeString(Path.of("boot.svg"), boot.toSvg());
 * }</pre>
 */
public final class BootTimeline {

    /**
     * One stage of the start.
     *
     * @param name what happened, as a person reads it
     * @param start when it began, from the JVM's start
     * @param end when it ended, from the JVM's start; not before {@code start}
     * @param depth 0 for a stage of its own, 1 for a part of the stage above it, and so on; drawn indented
     */
    public record Stage(String name, Duration start, Duration end, int depth) {

        public Stage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (start.isNegative() || end.compareTo(start) < 0) {
                throw new IllegalArgumentException("The stage '" + name + "' must start at or after the JVM's start"
                        + " and end at or after its start, but runs from " + start + " to " + end);
            }
            if (depth < 0) {
                throw new IllegalArgumentException("The depth of the stage '" + name + "' is 0 or more, not "
                        + depth);
            }
        }

        /** How long the stage took. */
        public Duration duration() {
            return end.minus(start);
        }
    }

    /**
     * A moment of the start, drawn as a line across the picture.
     *
     * @param name what it marks, such as "ready"
     * @param at when, from the JVM's start
     */
    public record Mark(String name, Duration at) {

        public Mark {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(at, "at");
            if (at.isNegative()) {
                throw new IllegalArgumentException("The mark '" + name + "' is at or after the JVM's start, not at "
                        + at);
            }
        }
    }

    private final List<Stage> stages;

    private final List<Mark> marks;

    private final StartupReport report;

    private final Duration setupStart;

    private BootTimeline(Builder builder) {
        List<Stage> sorted = new ArrayList<>(builder.stages);
        sorted.sort(Comparator.comparing(Stage::start).thenComparingInt(Stage::depth)
                .thenComparing(Comparator.comparing(Stage::end).reversed()));
        this.stages = List.copyOf(sorted);
        List<Mark> sortedMarks = new ArrayList<>(builder.marks);
        sortedMarks.sort(Comparator.comparing(Mark::at));
        this.marks = List.copyOf(sortedMarks);
        this.report = builder.report;
        this.setupStart = builder.setupStart;
    }

    /** Starts describing a start. */
    public static Builder builder() {
        return new Builder();
    }

    /** The stages, in the order they began (a stage before its parts). */
    public List<Stage> stages() {
        return stages;
    }

    /** The marks, in time order. */
    public List<Mark> marks() {
        return marks;
    }

    /** Conductor's setup, or {@code null} when none was given. */
    public StartupReport report() {
        return report;
    }

    /** When Conductor's setup began, from the JVM's start; {@code null} when no setup was given. */
    public Duration setupStart() {
        return setupStart;
    }

    /** From the JVM's start to the last thing on the axis: the last mark, stage end, or component end. */
    public Duration span() {
        long last = 0;
        for (Stage stage : stages) {
            last = Math.max(last, stage.end().toNanos());
        }
        for (Mark mark : marks) {
            last = Math.max(last, mark.at().toNanos());
        }
        if (report != null) {
            last = Math.max(last, setupStart.toNanos() + TimelineRows.setup(report).span);
        }
        return Duration.ofNanos(Math.max(1, last));
    }

    /**
     * The picture as a self-contained SVG document: a row per stage, indented by depth, Conductor's setup as a
     * row with a row per component under it (as in {@link StartupReport.SvgView#TIMELINE}, at most 300), and a
     * line at each mark.
     */
    public String toSvg() {
        return BootSvg.render(this);
    }

    /**
     * The same as text, a line per stage, for a log: when it began and how long it took, indented by depth, with
     * Conductor's setup and its critical path in time order among them.
     */
    public String toText() {
        record Line(long at, int order, String text) {
        }
        List<Line> lines = new ArrayList<>();
        for (Stage stage : stages) {
            lines.add(new Line(stage.start().toNanos(), lines.size(), "  ".repeat(stage.depth()) + stage.name() + " "
                    + Durations.format(stage.duration())));
        }
        if (report != null) {
            lines.add(new Line(setupStart.toNanos(), lines.size(), "Conductor setup of " + report.components().size()
                    + " components " + Durations.format(report.setupTime()) + (report.criticalPath().isEmpty() ? ""
                            : ", critical path " + String.join(" -> ", report.criticalPath()))));
        }
        for (Mark mark : marks) {
            lines.add(new Line(mark.at().toNanos(), lines.size(), mark.name()));
        }
        lines.sort(Comparator.comparingLong(Line::at).thenComparingInt(Line::order));
        StringBuilder text = new StringBuilder("Start, from the JVM's start: ").append(Durations.format(span()));
        for (Line line : lines) {
            text.append(System.lineSeparator()).append(String.format(java.util.Locale.ROOT, "  %8.3f s  %s",
                    line.at() / 1e9, line.text()));
        }
        return text.toString();
    }

    /** Describes a {@link BootTimeline}. */
    public static final class Builder {

        private final List<Stage> stages = new ArrayList<>();

        private final List<Mark> marks = new ArrayList<>();

        private StartupReport report;

        private Duration setupStart;

        private Builder() {
        }

        /** A stage; see {@link Stage}. */
        public Builder stage(String name, Duration start, Duration end, int depth) {
            stages.add(new Stage(name, start, end, depth));
            return this;
        }

        /** A mark; see {@link Mark}. */
        public Builder mark(String name, Duration at) {
            marks.add(new Mark(name, at));
            return this;
        }

        /** Conductor's setup, begun at {@code start} from the JVM's start. */
        public Builder setup(StartupReport report, Duration start) {
            this.report = Objects.requireNonNull(report, "report");
            this.setupStart = Objects.requireNonNull(start, "start");
            if (start.isNegative()) {
                throw new IllegalArgumentException("The setup begins at or after the JVM's start, not at " + start);
            }
            return this;
        }

        public BootTimeline build() {
            return new BootTimeline(this);
        }
    }
}
