package dev.reactivekit.core;

import reactor.core.publisher.Mono;

/** A resource released asynchronously; see {@link Resources#use(Mono, java.util.function.Function)}. */
@FunctionalInterface
public interface AsyncCloseable {

    /** Releases the resource; completes when it is released. Called once per scope. */
    Mono<Void> close();
}
