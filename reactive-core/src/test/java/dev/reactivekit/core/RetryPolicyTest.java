package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.reactivekit.core.testing.LogCapture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RetryPolicyTest {

    private static Mono<String> failingTimes(AtomicInteger attempts, int failures, Throwable error) {
        return Mono.defer(() -> attempts.incrementAndGet() <= failures ? Mono.error(error) : Mono.just("ok"));
    }

    @Test
    void retriesWithExponentialBackoffThenFailsWithTheAttemptCountAndLastCause() {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(100)).maxAttempts(4).jitter(0);
        StepVerifier.withVirtualTime(() -> failingTimes(attempts, 99, new TransientException("HTTP 503"))
                        .retryWhen(policy.toReactorRetry("GET /flaky")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(699))               // 100 + 200 + 400 ms, minus 1
                .then(() -> assertThat(attempts).hasValue(3))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RetriesExhaustedException.class)
                        .hasMessage("GET /flaky failed after 4 attempts: HTTP 503")
                        .hasCauseInstanceOf(TransientException.class)
                        .extracting(x -> ((RetriesExhaustedException) x).attempts()).isEqualTo(4))
                .verify(Duration.ofSeconds(5));
        assertThat(attempts).hasValue(4);
    }

    @Test
    void succeedsWhenAnAttemptSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingTimes(attempts, 2, new ConnectException("refused"))
                        .retryWhen(RetryPolicy.exponential(Duration.ofMillis(10)).jitter(0).toReactorRetry()))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(30))
                .expectNext("ok")
                .verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void permanentErrorsPassThroughAtOnceUnchanged() {
        AtomicInteger attempts = new AtomicInteger();
        StatusException notFound = new StatusException("HTTP 404", 404);
        StepVerifier.withVirtualTime(() -> failingTimes(attempts, 99, notFound)
                        .retryWhen(RetryPolicy.exponential(Duration.ofMillis(10)).toReactorRetry()))
                .expectSubscription()
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(notFound))
                .verify(Duration.ofSeconds(5));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retries503ThenStopsAt404() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> server = Mono.defer(() -> Mono.error(attempts.incrementAndGet() == 1
                ? new StatusException("HTTP 503", 503) : new StatusException("HTTP 404", 404)));
        StepVerifier.withVirtualTime(() -> server.retryWhen(RetryPolicy.fixed(Duration.ofMillis(5)).toReactorRetry()))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(5))
                .verifyErrorMessage("HTTP 404");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void delaysAreCappedAtMaxDelay() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(300)).jitter(0);
        assertThat(policy.delayBefore(1, 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.delayBefore(30, 0.5)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void multiplierShapesTheBackoff() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(100)).multiplier(3).jitter(0);
        assertThat(policy.delayBefore(3, 0)).isEqualTo(Duration.ofMillis(900));
        assertThat(RetryPolicy.fixed(Duration.ofMillis(70)).delayBefore(5, 0.99)).isEqualTo(Duration.ofMillis(70));
    }

    @Test
    void jitterStaysWithinItsBoundsAndNeverExceedsMaxDelay() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(100)).jitter(0.5).maxDelay(Duration.ofMillis(250));
        assertThat(policy.delayBefore(1, 0.0)).isEqualTo(Duration.ofMillis(50));    // -50%
        assertThat(policy.delayBefore(1, 0.999999)).isBetween(Duration.ofMillis(149), Duration.ofMillis(150));
        assertThat(policy.delayBefore(2, 0.999999)).isEqualTo(Duration.ofMillis(250)); // 300 capped
        for (int i = 0; i < 1_000; i++) {
            double r = Math.random();
            assertThat(policy.delayBefore(1, r)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        }
    }

    @Test
    void jitteredRetriesHappenWithinTheJitterWindowInVirtualTime() {
        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingTimes(attempts, 1, new TransientException("x"))
                        .retryWhen(RetryPolicy.exponential(Duration.ofMillis(1000)).jitter(0.5).toReactorRetry()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(499))          // never earlier than 1000 - 50%
                .thenAwait(Duration.ofMillis(1001))             // never later than 1000 + 50%
                .expectNext("ok")
                .verifyComplete();
    }

    @Test
    void listenerSeesEachRetryWithAttemptNumberFailureAndDelay() {
        List<RetryAttempt> seen = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(10)).jitter(0).maxAttempts(3)
                .onRetry(seen::add)
                .onRetry(a -> {
                    throw new IllegalStateException("a broken listener must not break the retry");
                });
        try (LogCapture log = LogCapture.of(RetryPolicy.class)) {
            StepVerifier.withVirtualTime(() -> failingTimes(attempts, 2, new TransientException("t"))
                            .retryWhen(policy.toReactorRetry("op")))
                    .expectSubscription()
                    .thenAwait(Duration.ofMillis(30))
                    .expectNext("ok")
                    .verifyComplete();
            assertThat(log.lines()).containsExactly(
                    "WARN retry listener failed for op attempt 1 | a broken listener must not break the retry",
                    "WARN retry listener failed for op attempt 2 | a broken listener must not break the retry");
        }
        assertThat(seen).extracting(RetryAttempt::attempt).containsExactly(1, 2);
        assertThat(seen).extracting(RetryAttempt::delay).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(seen.get(0).operation()).isEqualTo("op");
        assertThat(seen.get(0).failure()).hasMessage("t");
    }

    @Test
    void noneNeverRetries() {
        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.create(failingTimes(attempts, 5, new TransientException("t"))
                        .retryWhen(RetryPolicy.none().toReactorRetry("once")))
                .verifyErrorMessage("once failed after 1 attempt: t");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void customClassifierDecidesWhatIsRetried() {
        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingTimes(attempts, 1, new IOException("custom"))
                        .retryWhen(RetryPolicy.fixed(Duration.ofMillis(1)).retryOn(e -> e instanceof IOException).toReactorRetry()))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .verifyComplete();
    }

    @Test
    void specIsImmutable() {
        RetryPolicy base = RetryPolicy.exponential(Duration.ofMillis(100));
        RetryPolicy changed = base.maxAttempts(9).jitter(0).multiplier(3).maxDelay(Duration.ofSeconds(1));
        assertThat(base.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
        assertThat(base.jitter()).isEqualTo(RetryPolicy.DEFAULT_JITTER);
        assertThat(base.multiplier()).isEqualTo(RetryPolicy.DEFAULT_MULTIPLIER);
        assertThat(base.maxDelay()).isEqualTo(RetryPolicy.DEFAULT_MAX_DELAY);
        assertThat(changed.maxAttempts()).isEqualTo(9);
        assertThat(changed).hasToString("RetryPolicy[maxAttempts=9, baseDelay=100ms, maxDelay=1s, multiplier=3.0, jitter=0.0]");
    }

    @Test
    void invalidSettingsAreRejectedWithTheParameterNameAndValue() {
        RetryPolicy base = RetryPolicy.exponential(Duration.ofMillis(100));
        assertThatThrownBy(() -> base.maxAttempts(0)).hasMessage("`maxAttempts` must be > 0: 0");
        assertThatThrownBy(() -> base.jitter(1.5)).hasMessage("`jitter` must be in [0.0, 1.0]: 1.5");
        assertThatThrownBy(() -> base.multiplier(0.5)).hasMessage("`multiplier` must be >= 1: 0.5");
        assertThatThrownBy(() -> base.maxDelay(Duration.ofMillis(10)))
                .hasMessage("`maxDelay` must be >= baseDelay (100ms): 10ms");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ZERO)).hasMessage("`baseDelay` must be > 0: PT0S");
    }
}
