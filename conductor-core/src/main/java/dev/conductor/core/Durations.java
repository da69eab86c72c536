package dev.conductor.core;

import java.time.Duration;

/** Formats durations the way people read them in a log: {@code 850 us}, {@code 12 ms}, {@code 3.2 s}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + " us";
        }
        if (nanos < 10_000_000_000L) {
            return (nanos / 1_000_000) + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static Duration requirePositive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, but was " + duration);
        }
        return duration;
    }

    /** Nanoseconds of a duration, saturating rather than overflowing for very long timeouts. */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
