package dev.reactivekit.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a {@link Policy} puts around each attempt between its retry and its timeout: a circuit breaker, a rate
 * limiter, a bulkhead. ReactiveKit's core depends on no resilience library; the adapter for resilience4j's
 * circuit breaker is {@link dev.reactivekit.core.resilience4j.Resilience4j#circuitBreaker}, which needs
 * resilience4j on the class path ({@code resilience4j-circuitbreaker} and {@code resilience4j-reactor}).
 */
public interface AttemptGuard {

    /** {@code attempt}, guarded: it may fail at once instead of running (an open circuit). */
    <T> Mono<T> guard(Mono<T> attempt);

    /** {@code attempt}, guarded: it may fail at once instead of running (an open circuit). */
    <T> Flux<T> guard(Flux<T> attempt);
}
