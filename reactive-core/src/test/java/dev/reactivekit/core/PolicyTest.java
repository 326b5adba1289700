package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.resilience4j.Resilience4j;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class PolicyTest {

    private static final RetryPolicy RETRY = RetryPolicy.exponential(Duration.ofMillis(100)).maxAttempts(4).jitter(0);

    @Test
    void perAttemptTimeoutsAreRetriedWithBackoff() {
        AtomicInteger attempts = new AtomicInteger();
        Policy policy = Policy.builder().timeout(Duration.ofSeconds(1)).retry(RETRY).build();
        // attempts 1-2 hang and time out; attempt 3 answers at once
        Mono<String> op = Mono.defer(() -> attempts.incrementAndGet() < 3 ? Mono.never() : Mono.just("ok"));
        StepVerifier.withVirtualTime(() -> op.transform(policy::apply))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(1000 + 100 + 1000 + 200))
                .expectNext("ok")
                .verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void theDeadlineBoundsAllAttemptsAndBackoffTogether() {
        AtomicInteger attempts = new AtomicInteger();
        Policy policy = Policy.builder().timeout(Duration.ofSeconds(1)).retry(RETRY.maxAttempts(10))
                .deadline(Duration.ofMillis(2500)).build();
        StepVerifier.withVirtualTime(() -> policy.apply("sync", Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return Mono.never();
                })))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2499))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorMessage("sync exceeded its deadline of 2.5s");
        // 0-1000 attempt 1, 1100-2100 attempt 2, 2300-2500 attempt 3 (its timeout shortened to the 200 ms left)
        assertThat(attempts).hasValue(3);
    }

    @Test
    void everyRetryIsReportedInOrderWithGrowingDelaysAndTheLastFailureEndsIt() {
        List<RetryAttempt> seen = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        Policy policy = Policy.builder().retry(RETRY.onRetry(seen::add)).build();
        StepVerifier.withVirtualTime(() -> policy.apply("op", Mono.defer(() ->
                        Mono.<String>error(new TransientException("failure " + attempts.incrementAndGet())))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100 + 200 + 400 - 1))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(RetriesExhaustedException.class)
                        .hasMessage("op failed after 4 attempts: failure 4"));
        assertThat(attempts).hasValue(4);
        assertThat(seen).extracting(RetryAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(seen).extracting(RetryAttempt::delay)
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(seen).extracting(a -> a.failure().getMessage()).containsExactly("failure 1", "failure 2", "failure 3");
    }

    @Test
    void aFailureTheRetryDoesNotCoverEndsTheFirstAttemptAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        Policy policy = Policy.builder().retry(RETRY).build();
        StepVerifier.create(policy.apply("op", Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return Mono.error(new IllegalArgumentException("bad input"));
                })))
                .verifyErrorMessage("bad input");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void exhaustedRetriesNameTheOperationAndAttempts() {
        Policy policy = Policy.builder().timeout(Duration.ofMillis(50)).retry(RETRY.maxAttempts(2)).build();
        StepVerifier.withVirtualTime(() -> policy.apply("GET /slow", Mono.never()))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(50 + 100 + 50))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(RetriesExhaustedException.class)
                        .hasMessage("GET /slow failed after 2 attempts: GET /slow timed out after 50ms"));
    }

    @Test
    void executeTellsTheOperationWhichAttemptItIs() {
        Policy policy = Policy.builder().retry(RETRY).build();
        StepVerifier.withVirtualTime(() -> policy.execute("op", n -> n < 3
                        ? Mono.error(new TransientException("try " + n)) : Mono.just("succeeded on attempt " + n)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(300))
                .expectNext("succeeded on attempt 3")
                .verifyComplete();
    }

    @Test
    void aConcurrencyLimitIsSharedByEveryUseOfThePolicy() {
        Policy policy = Policy.builder().maxConcurrency(2).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Mono<Integer> op = Mono.delay(Duration.ofMillis(100))
                .doOnSubscribe(s -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                .doOnTerminate(running::decrementAndGet)
                .thenReturn(1);
        StepVerifier.withVirtualTime(() -> Flux.range(0, 6).flatMap(i -> policy.apply(op), 6))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(300))
                .expectNextCount(6)
                .verifyComplete();
        assertThat(peak).hasValue(2);
        assertThat(policy.concurrencyLimit().availablePermits()).isEqualTo(2);
    }

    @Test
    void anOpenCircuitFailsFastAndIsNotRetried() {
        CircuitBreaker breaker = CircuitBreaker.of("backend", CircuitBreakerConfig.custom()
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(1)).build());
        Policy policy = Policy.builder().guard(Resilience4j.circuitBreaker(breaker)).retry(RETRY.maxAttempts(5)).build();
        AtomicInteger calls = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new TransientException("backend down"));
        });
        StepVerifier.withVirtualTime(() -> policy.apply("call backend", failing))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .verifyError(CallNotPermittedException.class);
        assertThat(calls).as("two failures open the circuit; the third attempt is refused").hasValue(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aFluxIsRetriedOnlyIfItFailedBeforeEmitting() {
        Policy policy = Policy.builder().retry(RETRY).build();
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<Integer> failsAtOnce = Flux.defer(() -> subscriptions.incrementAndGet() < 2
                ? Flux.error(new TransientException("early")) : Flux.just(1, 2));
        StepVerifier.withVirtualTime(() -> policy.apply(failsAtOnce))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(100))
                .expectNext(1, 2)
                .verifyComplete();

        AtomicInteger again = new AtomicInteger();
        Flux<Integer> failsMidStream = Flux.defer(() -> {
            again.incrementAndGet();
            return Flux.just(1).concatWith(Flux.error(new TransientException("mid-stream")));
        });
        StepVerifier.withVirtualTime(() -> policy.apply(failsMidStream))
                .expectNext(1)
                .verifyErrorMessage("mid-stream");
        assertThat(again).as("not re-run: item 1 would be delivered twice").hasValue(1);
    }

    @Test
    void fluxTimeoutAndDeadlineApplyToTheWholeStream() {
        Policy policy = Policy.builder().timeout(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(3)).build();
        StepVerifier.withVirtualTime(() -> policy.apply("stream", Flux.interval(Duration.ofMillis(600))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(0L)
                .verifyErrorMessage("stream timed out after 1s");
    }

    @Test
    void aPolicyWithNothingSetPassesThrough() {
        StepVerifier.create(Policy.none().apply(Mono.just(1))).expectNext(1).verifyComplete();
        StepVerifier.create(Policy.none().apply(Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
    }

    @Test
    void policyComposesWithTransform() {
        Policy policy = Policy.builder().timeout(Duration.ofSeconds(1)).build();
        StepVerifier.create(Mono.just("x").transform(policy::apply)).expectNext("x").verifyComplete();
        StepVerifier.create(Flux.just("x").transform(policy::apply)).expectNext("x").verifyComplete();
    }

    @Test
    void toBuilderKeepsSettingsAndSharesTheLimit() {
        Policy policy = Policy.builder().timeout(Duration.ofSeconds(1)).retry(RETRY).deadline(Duration.ofSeconds(5))
                .maxConcurrency(3).build();
        Policy copy = policy.toBuilder().timeout(Duration.ofMillis(500)).build();
        assertThat(copy.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(copy.retry()).isSameAs(policy.retry());
        assertThat(copy.deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(copy.concurrencyLimit()).isSameAs(policy.concurrencyLimit());
        assertThat(policy).hasToString("Policy[timeout=1s, retry=" + RETRY + ", deadline=5s, maxConcurrency=3]");
    }

    @Test
    void aTimeoutLongerThanTheDeadlineIsRejected() {
        assertThatThrownBy(() -> Policy.builder().timeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("`timeout` (5s) must not be longer than `deadline` (2s)");
    }

    @Test
    void aConcurrencyLimitWaitsWithinTheSemaphoreDefaults() {
        Policy policy = Policy.builder().maxConcurrency(1).build();
        assertThat(policy.concurrencyLimit().maxWaiters()).isEqualTo(dev.reactivekit.core.sync.AsyncSemaphore.DEFAULT_MAX_WAITERS);
        assertThat(policy.concurrencyLimit().maxWait()).isEqualTo(Duration.ofSeconds(30));
        dev.reactivekit.core.sync.Permit held = policy.concurrencyLimit().tryAcquire().orElseThrow();
        StepVerifier.withVirtualTime(() -> policy.apply("GET /x", Mono.just("x")))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageStartingWith("policy concurrency limit (maxConcurrency 1): no permit free within 30s"))
                .verify(Duration.ofSeconds(5));
        held.release();
    }
}
