package dev.reactivekit.io.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Counts server handlers in progress and the peak. A handler counts from subscription until its value is made,
 * <em>before</em> the value goes downstream to be written: counting out later (in {@code doFinally}) races with
 * the client, which may already have the response and have sent its next request. Each handler is counted out
 * exactly once, whether it succeeds, fails or is cancelled.
 */
public final class InFlight {

    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    public <T> Mono<T> track(Mono<T> handler) {
        return Mono.defer(() -> {
            AtomicBoolean out = new AtomicBoolean();
            Runnable leave = () -> {
                if (out.compareAndSet(false, true)) {
                    now.decrementAndGet();
                }
            };
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            return handler.doOnSuccess(v -> leave.run()).doOnError(e -> leave.run()).doOnCancel(leave);
        });
    }

    public int peak() {
        return peak.get();
    }

    public int now() {
        return now.get();
    }

    public void resetPeak() {
        peak.set(now.get());
    }
}
