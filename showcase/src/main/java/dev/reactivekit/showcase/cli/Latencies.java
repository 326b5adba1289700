package dev.reactivekit.showcase.cli;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from any thread; percentiles by sorting a copy. */
public final class Latencies {

    private long[] samples = new long[1024];
    private int size;

    public synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank; 0 with no samples. */
    public double percentileMillis(double p) {
        long[] sorted;
        synchronized (this) {
            sorted = Arrays.copyOf(samples, size);
        }
        if (sorted.length == 0) {
            return 0;
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000_000.0;
    }

    public double maxMillis() {
        return percentileMillis(100);
    }

    public static String ms(double millis) {
        return millis >= 100 ? String.format(java.util.Locale.ROOT, "%.0fms", millis)
                : String.format(java.util.Locale.ROOT, "%.2fms", millis);
    }
}
