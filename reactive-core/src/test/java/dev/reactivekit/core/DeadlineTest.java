package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.util.context.Context;

class DeadlineTest {

    @Test
    void aDeadlineCancelsTheOperationAndNamesItsBudget() {
        PublisherProbe<String> probe = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Deadline.within(probe.mono(), Duration.ofSeconds(10), "crawl"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(9999))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DeadlineExceededException.class).hasMessage("crawl exceeded its deadline of 10s");
                    assertThat(((DeadlineExceededException) e).budget()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(((DeadlineExceededException) e).operation()).isEqualTo("crawl");
                    assertThat(Failures.isTransient(e)).as("no time is left to retry").isFalse();
                });
        probe.assertWasCancelled();
    }

    @Test
    void theDeadlineIsVisibleInTheContextWithTheTimeLeft() {
        AtomicReference<Duration> left = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> Deadline.within(Mono.delay(Duration.ofSeconds(3))
                        .then(Mono.deferContextual(ctx -> {
                            Deadline d = Deadline.from(ctx).orElseThrow();
                            left.set(d.remaining(Schedulers.parallel()));
                            return Mono.just(d.budget());
                        })), Duration.ofSeconds(10), "op"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(3))
                .expectNext(Duration.ofSeconds(10))
                .verifyComplete();
        assertThat(left.get()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anInnerDeadlineCannotExtendTheOuterOne() {
        StepVerifier.withVirtualTime(() -> Deadline.within(
                        Deadline.within(Mono.never(), Duration.ofSeconds(30), "inner"), Duration.ofSeconds(2), "outer"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorMessage("outer exceeded its deadline of 2s");
    }

    @Test
    void aTighterInnerDeadlineWins() {
        StepVerifier.withVirtualTime(() -> Deadline.within(
                        Deadline.within(Mono.never(), Duration.ofSeconds(1), "inner"), Duration.ofSeconds(5), "outer"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .verifyErrorMessage("inner exceeded its deadline of 1s");
    }

    @Test
    void anOperationThatFinishesInTimeIsUntouchedAndLeavesNoDeadlineBehind() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Mono.just("done").delayElement(Duration.ofSeconds(1)),
                        Duration.ofSeconds(2))
                        .flatMap(v -> Mono.deferContextual(ctx -> Mono.just(v + ":" + Deadline.from(ctx).isPresent()))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("done:false")
                .verifyComplete();
    }

    @Test
    void fluxDeadlineBoundsTheWholeStream() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Flux.interval(Duration.ofSeconds(1)), Duration.ofMillis(2500), "ticks"))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(2500))
                .expectNext(0L, 1L)
                .verifyErrorMessage("ticks exceeded its deadline of 2.5s");
    }

    @Test
    void fluxDeadlineInsideATighterOneUsesTheOuter() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Deadline.within(Flux.never(), Duration.ofSeconds(10), "inner"),
                        Duration.ofSeconds(1), "outer"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .verifyErrorMessage("outer exceeded its deadline of 1s");
    }

    @Test
    void budgetMustBePositive() {
        assertThatThrownBy(() -> Deadline.within(Mono.empty(), Duration.ZERO)).hasMessage("`budget` must be > 0: PT0S");
    }

    @Test
    void noDeadlineInAnEmptyContext() {
        assertThat(Deadline.from(Context.empty())).isEmpty();
    }
}
