package dev.reactivekit.perf;

import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.showcase.HttpBinService;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The showcase's httpbin on a free port of 127.0.0.1, as the target of the scenarios that wait on a delay. */
public final class DelayEndpoint implements AutoCloseable {

    private final RunningService bin;
    private final Duration delay;

    private DelayEndpoint(RunningService bin, Duration delay) {
        this.bin = bin;
        this.delay = delay;
    }

    /**
     * Starts httpbin; a delay under 1 ms (the times are compared with it) or above httpbin's longest is bad
     * usage.
     */
    public static DelayEndpoint start(Duration delay) {
        if (delay.toMillis() < 1 || delay.compareTo(HttpBinService.MAX_DELAY) > 0) {
            throw new UsageException("--delay must be between 1ms and " + Durations.format(HttpBinService.MAX_DELAY)
                    + " (httpbin's longest delay), not " + Durations.format(delay));
        }
        RunningService bin = new HttpBinService(List.of()).service("127.0.0.1", 0).build().start()
                .block(Duration.ofSeconds(30));
        return new DelayEndpoint(bin, delay);
    }

    /** {@code n} distinct URLs, each answered after the delay. */
    public List<String> urls(int n) {
        List<String> urls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            urls.add(bin.url("/delay/0?ms=" + delay.toMillis() + "&i=" + i));
        }
        return urls;
    }

    @Override
    public void close() {
        bin.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }
}
