package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.util.context.Context;

/** {@link Deadline#honor}: how a client lets the caller's deadline cap the waits it makes for the caller. */
class DeadlineHonorTest {

    @Test
    void withoutADeadlineTheSourceRunsUnbounded() {
        StepVerifier.withVirtualTime(() -> Deadline.honor(Mono.delay(Duration.ofHours(5)).thenReturn("late")))
                .expectSubscription()
                .thenAwait(Duration.ofHours(5))
                .expectNext("late")
                .verifyComplete();
    }

    @Test
    void theCallersDeadlineCancelsTheSourceAndIsNamed() {
        PublisherProbe<String> probe = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Deadline.within(Mono.delay(Duration.ofSeconds(1))
                        .then(Deadline.honor(probe.mono())), Duration.ofSeconds(3), "checkout"))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2999))
                .thenAwait(Duration.ofMillis(1))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("checkout exceeded its deadline of 3s"));
        probe.assertWasCancelled();
    }

    @Test
    void aDeadlineThatHasPassedFailsAtOnceWithoutSubscribingTheSource() {
        PublisherProbe<String> probe = PublisherProbe.of(Mono.just("never asked"));
        Deadline passed = new Deadline(Schedulers.parallel().now(java.util.concurrent.TimeUnit.MILLISECONDS) - 1,
                Duration.ofSeconds(1), "import");
        StepVerifier.create(Deadline.honor(probe.mono()).contextWrite(Context.of(Deadline.class, passed)))
                .verifyErrorMessage("import exceeded its deadline of 1s");
        probe.assertWasNotSubscribed();
        StepVerifier.create(Deadline.honor(Flux.just(1, 2)).contextWrite(Context.of(Deadline.class, passed)))
                .verifyError(DeadlineExceededException.class);
    }

    @Test
    void aStreamKeepsWhatItEmittedBeforeTheDeadline() {
        StepVerifier.withVirtualTime(() -> Deadline.within(
                        Deadline.honor(Flux.interval(Duration.ofSeconds(1))), Duration.ofMillis(2500), "tail"))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(2500))
                .expectNext(0L, 1L)
                .verifyErrorMessage("tail exceeded its deadline of 2.5s");
    }

    @Test
    void remainingTellsTheTimeLeft() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Mono.delay(Duration.ofSeconds(4))
                        .then(Mono.deferContextual(ctx -> Mono.justOrEmpty(Deadline.remaining(ctx, null)))),
                        Duration.ofSeconds(10), "op"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(4))
                .expectNext(Duration.ofSeconds(6))
                .verifyComplete();
        StepVerifier.create(Mono.deferContextual(ctx -> Mono.justOrEmpty(Deadline.remaining(ctx, null))))
                .verifyComplete();
    }

    @Test
    void evenAPolicyOfNothingHonoursTheCallersDeadline() {
        StepVerifier.withVirtualTime(() -> Deadline.within(Policy.none().apply("GET /x", Mono.never()),
                        Duration.ofSeconds(2), "page"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .verifyErrorMessage("page exceeded its deadline of 2s");
    }
}
