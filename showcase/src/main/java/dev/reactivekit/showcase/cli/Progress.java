package dev.reactivekit.showcase.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (me.tongfei:progressbar) when enabled, else nothing at all: commands call it the
 * same way either way. Thread-safe.
 */
public final class Progress implements AutoCloseable {

    private static final Progress NONE = new Progress(null);

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar counting items ({@code max} of them; -1 when unknown). */
    public static Progress items(boolean enabled, String task, long max) {
        return enabled ? new Progress(builder(task, max).build()) : NONE;
    }

    /** A bar counting bytes, in KiB (MiB from 10 MiB up) with the rate and the time left. */
    public static Progress bytes(boolean enabled, String task, long max) {
        boolean big = max >= 10L * 1024 * 1024;
        return enabled ? new Progress(builder(task, max).setUnit(big ? " MiB" : " KiB", big ? 1024 * 1024 : 1024)
                .showSpeed().build()) : NONE;
    }

    private static ProgressBarBuilder builder(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                .continuousUpdate().setMaxRenderedLength(100);
    }

    public void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    public void max(long max) {
        if (bar != null) {
            bar.maxHint(max);
        }
    }

    public void extra(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
