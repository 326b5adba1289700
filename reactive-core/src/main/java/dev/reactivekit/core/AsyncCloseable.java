package dev.reactivekit.core;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A resource released asynchronously: clients and running servers alike, and what {@link Resources#use(Mono,
 * java.util.function.Function)} scopes. {@link #close()} is graceful within the resource's default grace period;
 * {@link #close(Duration)} names the grace period. Both are idempotent.
 */
@FunctionalInterface
public interface AsyncCloseable {

    /** Releases the resource; completes when it is released. */
    Mono<Void> close();

    /**
     * Lets work in flight finish for up to {@code grace}, then releases what is left; completes when all is
     * released. A resource with nothing in flight to wait for closes at once (this default).
     */
    default Mono<Void> close(Duration grace) {
        return close();
    }
}
