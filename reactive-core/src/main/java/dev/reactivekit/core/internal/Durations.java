package dev.reactivekit.core.internal;

import java.time.Duration;

/** Human-readable durations for error messages: {@code 250ms}, {@code 2s}, {@code 1m30s}. Internal. */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return d.toNanos() % 1_000_000 == 0 || ms > 0 ? ms + "ms" : d.toNanos() / 1000 + "us";
        }
        if (ms % 1000 != 0 && ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0).replaceAll("0+s$", "s");
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        long rest = s % 60;
        if (m < 60) {
            return rest == 0 ? m + "m" : m + "m" + rest + "s";
        }
        long h = m / 60;
        long mm = m % 60;
        return mm == 0 ? h + "h" : h + "h" + mm + "m";
    }
}
