package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Resource scopes: acquire asynchronously, use, release asynchronously, as asyncio's
 * {@code async with resource as r:} ({@code __aenter__}/{@code __aexit__}).
 *
 * <pre>{@code
 * Mono<Integer> rows = Resources.use(
 *     pool.acquire(),                                     // __aenter__
 *     conn -> conn.execute("UPDATE ..."),                 // the body
 *     (conn, exit) -> exit.kind() == Exit.Kind.COMPLETED  // __aexit__, told how the body ended
 *         ? conn.commitAndRelease() : conn.rollbackAndRelease());
 * }</pre>
 *
 * Release runs exactly once whether the body completes, fails or is cancelled, and only if the acquisition
 * succeeded. Built on Reactor's {@code usingWhen}: on completion and error the result waits for the release.
 * A release that fails makes the result fail (as an {@code __aexit__} that raises does) with Reactor's
 * "Async resource cleanup failed" error, caused by the release error and with the body's own error, if any,
 * suppressed. On cancellation the release runs but nobody waits for it, and its error goes to Reactor's
 * dropped-error hook.
 */
public final class Resources {

    private Resources() {
    }

    /** Acquires, runs {@code body}, releases with the way the body ended. */
    public static <R, T> Mono<T> use(Mono<R> acquire, Function<? super R, ? extends Mono<? extends T>> body,
            BiFunction<? super R, Exit, ? extends Publisher<?>> release) {
        Checks.notNull(acquire, "acquire");
        Checks.notNull(body, "body");
        Checks.notNull(release, "release");
        return Mono.usingWhen(acquire, body,
                r -> release.apply(r, Exit.COMPLETED),
                (r, e) -> release.apply(r, Exit.failed(e)),
                r -> release.apply(r, Exit.CANCELLED));
    }

    /** As {@link #use}, for a body that streams. */
    public static <R, T> Flux<T> useMany(Mono<R> acquire, Function<? super R, ? extends Publisher<? extends T>> body,
            BiFunction<? super R, Exit, ? extends Publisher<?>> release) {
        Checks.notNull(acquire, "acquire");
        Checks.notNull(body, "body");
        Checks.notNull(release, "release");
        return Flux.usingWhen(acquire, body,
                r -> release.apply(r, Exit.COMPLETED),
                (r, e) -> release.apply(r, Exit.failed(e)),
                r -> release.apply(r, Exit.CANCELLED));
    }

    /** Acquires an {@link AsyncCloseable}, runs {@code body}, closes it however the body ended. */
    public static <R extends AsyncCloseable, T> Mono<T> use(Mono<R> acquire,
            Function<? super R, ? extends Mono<? extends T>> body) {
        return use(acquire, body, (r, exit) -> r.close());
    }

    /** As {@link #use(Mono, Function)}, for a body that streams. */
    public static <R extends AsyncCloseable, T> Flux<T> useMany(Mono<R> acquire,
            Function<? super R, ? extends Publisher<? extends T>> body) {
        return useMany(acquire, body, (r, exit) -> r.close());
    }
}
