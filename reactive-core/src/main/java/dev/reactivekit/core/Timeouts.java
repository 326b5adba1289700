package dev.reactivekit.core;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Per-attempt time limits that respect the caller's {@link Deadline} (asyncio's {@code wait_for}).
 *
 * <pre>{@code
 * Mono<Row> row = Timeouts.timeout(db.queryOne(sql, id), Duration.ofSeconds(2), "load user " + id);
 * }</pre>
 *
 * The limit actually applied is the smaller of {@code limit} and the time left before the deadline in the
 * subscriber context. When the limit fires, the source is cancelled and the result errors with an
 * {@link OperationTimeoutException} naming the operation and limit (transient: a retry may succeed); when the
 * deadline was the nearer bound, with the deadline's {@link DeadlineExceededException} instead, so the error
 * always names the limit that fired. Unlike Reactor's {@code timeout(Duration)} on a {@code Flux}, which
 * bounds the gap between items, these bound the whole stream.
 */
public final class Timeouts {

    private Timeouts() {
    }

    /** Bounds {@code source} by {@code limit}; see the class documentation. */
    public static <T> Mono<T> timeout(Mono<T> source, Duration limit) {
        return timeout(source, limit, "operation", null);
    }

    /** Bounds {@code source} by {@code limit}; see the class documentation. */
    public static <T> Mono<T> timeout(Mono<T> source, Duration limit, String operation) {
        return timeout(source, limit, operation, null);
    }

    /**
     * Bounds {@code source} by {@code limit} (> 0) and the context's deadline.
     *
     * @param clock the scheduler whose clock and timer to use; {@code null} for {@link Schedulers#parallel()}
     */
    public static <T> Mono<T> timeout(Mono<T> source, Duration limit, String operation, Scheduler clock) {
        return TimeLimit.apply(source, limit, operation, clock, TimeLimit.Kind.TIMEOUT);
    }

    /** Bounds the whole stream by {@code limit}; see the class documentation. */
    public static <T> Flux<T> timeout(Flux<T> source, Duration limit) {
        return timeout(source, limit, "operation", null);
    }

    /** Bounds the whole stream by {@code limit}; see the class documentation. */
    public static <T> Flux<T> timeout(Flux<T> source, Duration limit, String operation) {
        return timeout(source, limit, operation, null);
    }

    /**
     * Bounds the whole stream by {@code limit} (> 0) and the context's deadline; items emitted before the limit
     * fires are kept.
     */
    public static <T> Flux<T> timeout(Flux<T> source, Duration limit, String operation, Scheduler clock) {
        return TimeLimit.apply(source, limit, operation, clock, TimeLimit.Kind.TIMEOUT);
    }
}
