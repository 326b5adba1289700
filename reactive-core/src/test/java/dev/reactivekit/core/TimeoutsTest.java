package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class TimeoutsTest {

    @Test
    void aSlowMonoTimesOutWithAnErrorNamingOperationAndLimit() {
        PublisherProbe<String> slow = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Timeouts.timeout(slow.mono(), Duration.ofSeconds(2), "load user 7"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(OperationTimeoutException.class).hasMessage("load user 7 timed out after 2s");
                    assertThat(((OperationTimeoutException) e).limit()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(((OperationTimeoutException) e).operation()).isEqualTo("load user 7");
                    assertThat(Failures.isTransient(e)).isTrue();
                });
        slow.assertWasCancelled();
    }

    @Test
    void aFastMonoIsUntouched() {
        StepVerifier.withVirtualTime(() -> Timeouts.timeout(Mono.just(1).delayElement(Duration.ofMillis(500)), Duration.ofSeconds(1)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .expectNext(1)
                .verifyComplete();
    }

    @Test
    void anUpstreamTimeoutExceptionIsNotMistakenForOurs() {
        StepVerifier.create(Timeouts.timeout(Mono.error(new TimeoutException("inner")), Duration.ofSeconds(1)))
                .verifyErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(TimeoutException.class).hasMessage("inner"));
    }

    @Test
    void anInnerTimeoutNeverOutlivesTheCallersDeadline() {
        // The inner call asks for 5 s, but only 1 s is left before the deadline: it gets 1 s and the error
        // names the deadline, the limit that actually fired.
        StepVerifier.withVirtualTime(() -> Deadline.within(
                        Timeouts.timeout(Mono.never(), Duration.ofSeconds(5), "inner"), Duration.ofSeconds(1), "outer"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("outer exceeded its deadline of 1s"));
    }

    @Test
    void theInnerLimitFiresFirstWhenItIsShorter() {
        StepVerifier.withVirtualTime(() -> Deadline.within(
                        Timeouts.timeout(Mono.never(), Duration.ofMillis(300), "inner"), Duration.ofSeconds(1), "outer"))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(300))
                .verifyErrorMessage("inner timed out after 300ms");
    }

    @Test
    void anExpiredDeadlineFailsWithoutSubscribing() {
        PublisherProbe<Integer> probe = PublisherProbe.of(Mono.just(1));
        StepVerifier.withVirtualTime(() -> Deadline.within(Mono.delay(Duration.ofSeconds(2))
                        .then(Timeouts.timeout(probe.mono(), Duration.ofSeconds(1), "late")), Duration.ofSeconds(2), "outer"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .verifyError(DeadlineExceededException.class);
        probe.assertWasNotSubscribed();
    }

    @Test
    void aFluxIsBoundedAsAWholeAndKeepsWhatItEmitted() {
        StepVerifier.withVirtualTime(() -> Timeouts.timeout(Flux.interval(Duration.ofMillis(400)).take(5),
                        Duration.ofSeconds(1), "ticks"))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(800))
                .expectNext(0L, 1L)
                .thenAwait(Duration.ofMillis(200))
                .verifyErrorMessage("ticks timed out after 1s");
    }

    @Test
    void aFluxThatEndsInTimeCompletesNormally() {
        StepVerifier.withVirtualTime(() -> Timeouts.timeout(Flux.interval(Duration.ofMillis(100)).take(3), Duration.ofSeconds(1)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(300))
                .expectNext(0L, 1L, 2L)
                .verifyComplete();
    }

    @Test
    void aFluxInsideADeadlineGetsTheTimeLeft() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Timeouts.timeout(Flux.never(), Duration.ofSeconds(9), "stream"),
                        Duration.ofSeconds(2), "outer"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .verifyError(DeadlineExceededException.class);
    }

    @Test
    void cancellingDisposesTheTimer() {
        PublisherProbe<Object> probe = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Timeouts.timeout(probe.mono(), Duration.ofSeconds(1)))
                .expectSubscription()
                .thenCancel()
                .verify();
        probe.assertWasCancelled();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> Timeouts.timeout(Mono.empty(), Duration.ZERO)).hasMessage("`limit` must be > 0: PT0S");
        assertThatThrownBy(() -> Timeouts.timeout(Flux.empty(), Duration.ofSeconds(-1))).hasMessage("`limit` must be > 0: PT-1S");
    }
}
