package dev.conductor.core;

/**
 * The time axis of a timeline: the span it covers, how many pixels a nanosecond is, and ticks at a round step
 * (1, 2 or 5 times a power of ten) labelled in the unit people read, such as {@code 0}, {@code 250 ms},
 * {@code 1.5 s}.
 */
final class TimeAxis {

    /** Fewest pixels between two ticks, so that their labels do not touch. */
    private static final double MIN_TICK_SPACING = 70;

    final long spanNanos;

    final double width;

    final long step;

    TimeAxis(long spanNanos, double width) {
        this.spanNanos = Math.max(1, spanNanos);
        this.width = width;
        this.step = niceStep((double) this.spanNanos * MIN_TICK_SPACING / width);
    }

    /** The pixel offset of a time from the start of the axis. */
    double x(long nanos) {
        return nanos * (width / spanNanos);
    }

    /** The number of ticks, 0 included, up to the end of the span. */
    int tickCount() {
        return (int) (spanNanos / step) + 1;
    }

    long tick(int index) {
        return index * step;
    }

    /** The smallest step of 1, 2 or 5 times a power of ten (in nanoseconds) that is at least {@code least}. */
    static long niceStep(double least) {
        long power = 1;
        while (true) {
            for (long factor : new long[] { 1, 2, 5 }) {
                if (factor * power >= least) {
                    return factor * power;
                }
            }
            if (power > Long.MAX_VALUE / 100) {
                return power * 10;
            }
            power *= 10;
        }
    }

    /** A tick label: {@code 0}, {@code 800 ns}, {@code 20 us}, {@code 250 ms}, {@code 1.5 s}, {@code 90 s}. */
    static String label(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return decimal(nanos, 1_000) + " us";
        }
        if (nanos < 1_000_000_000) {
            return decimal(nanos, 1_000_000) + " ms";
        }
        return decimal(nanos, 1_000_000_000) + " s";
    }

    /** {@code value / unit} with up to one decimal, without a trailing {@code .0}. */
    private static String decimal(long value, long unit) {
        long tenths = Math.round(value * 10.0 / unit);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
    }
}
