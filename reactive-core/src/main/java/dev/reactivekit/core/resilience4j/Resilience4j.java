package dev.reactivekit.core.resilience4j;

import dev.reactivekit.core.AttemptGuard;
import dev.reactivekit.core.internal.Checks;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * resilience4j for {@link dev.reactivekit.core.Policy}: an optional dependency of ReactiveKit, so add
 * {@code io.github.resilience4j:resilience4j-circuitbreaker} and {@code resilience4j-reactor} to your project to
 * use this class.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.ofDefaults("backend");
 * Policy policy = Policy.builder().guard(Resilience4j.circuitBreaker(breaker)).retry(...).build();
 * }</pre>
 */
public final class Resilience4j {

    private Resilience4j() {
    }

    /**
     * A guard recording each attempt in {@code breaker}; while the circuit is open, attempts fail at once with
     * resilience4j's {@code CallNotPermittedException}, which no policy retries.
     */
    public static AttemptGuard circuitBreaker(CircuitBreaker breaker) {
        Checks.notNull(breaker, "breaker");
        return new AttemptGuard() {
            @Override
            public <T> Mono<T> guard(Mono<T> attempt) {
                return attempt.transformDeferred(CircuitBreakerOperator.of(breaker));
            }

            @Override
            public <T> Flux<T> guard(Flux<T> attempt) {
                return attempt.transformDeferred(CircuitBreakerOperator.of(breaker));
            }

            @Override
            public String toString() {
                return "circuitBreaker " + breaker.getName();
            }
        };
    }
}
