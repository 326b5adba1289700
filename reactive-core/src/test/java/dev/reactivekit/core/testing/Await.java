package dev.reactivekit.core.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;

/** Waiting in tests for something that happens on another thread: polls a condition, bounded in time. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /**
     * Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; returns whether it held. The
     * caller asserts on the outcome, so a condition that never holds fails the test with its own message.
     */
    public static boolean until(Callable<Boolean> condition, Duration timeout) {
        Boolean last = Mono.fromCallable(condition)
                .repeatWhen(repeat -> repeat.delayElements(POLL))
                .takeUntil(Boolean::booleanValue)
                .take(timeout)
                .blockLast(timeout.plusSeconds(5));
        return Boolean.TRUE.equals(last);
    }

    /** {@link #until(Callable, Duration)} with a 10 second bound. */
    public static boolean until(Callable<Boolean> condition) {
        return until(condition, Duration.ofSeconds(10));
    }
}
