package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import dev.reactivekit.core.testing.Cancel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class TasksAllTest {

    @Test
    void allEmitsValuesInInputOrderNotCompletionOrder() {
        StepVerifier.withVirtualTime(() -> Tasks.all(List.of(
                        Mono.just("slow").delayElement(Duration.ofMillis(300)),
                        Mono.just("fast").delayElement(Duration.ofMillis(100)),
                        Mono.just("mid").delayElement(Duration.ofMillis(200)))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(List.of("slow", "fast", "mid"))
                .verifyComplete();
    }

    @Test
    void allRunsEveryTaskAtOnceLikeGather() {
        // Three 1 s tasks take 1 s together, not 3 s.
        StepVerifier.withVirtualTime(() -> Tasks.all(List.of(1, 2, 3),
                        i -> Mono.just(i * 10).delayElement(Duration.ofSeconds(1))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(List.of(10, 20, 30))
                .verifyComplete();
    }

    @Test
    void emptyTasksContributeNullInTheirPlace() {
        StepVerifier.create(Tasks.all(List.of(Mono.just("a"), Mono.<String>empty(), Mono.just("c"))))
                .assertNext(list -> assertThat(list).containsExactly("a", null, "c"))
                .verifyComplete();
    }

    @Test
    void noTasksGiveAnEmptyList() {
        StepVerifier.create(Tasks.all(List.<Mono<String>>of())).expectNext(List.of()).verifyComplete();
    }

    @Test
    void firstErrorCancelsTheOthersAndNamesTheFailingInput() {
        PublisherProbe<String> slow = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Tasks.all(List.of("ok", "bad", "slow"), in -> switch (in) {
                    case "bad" -> Mono.<String>error(new IOException("disk on fire")).delaySubscription(Duration.ofMillis(10));
                    case "slow" -> slow.mono();
                    default -> Mono.just(in);
                }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(10))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TaskFailedException.class)
                        .hasMessage("task #1 (input: bad) failed: disk on fire")
                        .hasCauseInstanceOf(IOException.class)
                        .extracting(x -> ((TaskFailedException) x).index()).isEqualTo(1));
        slow.assertWasCancelled();
    }

    @Test
    void directTasksAreNamedByPositionOnly() {
        StepVerifier.create(Tasks.all(List.of(Mono.just(1), Mono.error(new IllegalStateException("nope")))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessage("task #1 failed: nope")
                        .extracting(x -> ((TaskFailedException) x).input()).isNull());
    }

    @Test
    void aTaskFunctionThatThrowsIsAFailedTask() {
        StepVerifier.create(Tasks.all(List.of(1, 2), i -> {
                    if (i == 2) {
                        throw new IllegalArgumentException("bad input " + i);
                    }
                    return Mono.just(i);
                }))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessage("task #1 (input: 2) failed: bad input 2"));
    }

    @Test
    void concurrencyLimitBoundsTasksInFlight() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Tasks.all(Flux.range(1, 10), i -> Mono.delay(Duration.ofMillis(100))
                                .doOnSubscribe(s -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                                .doOnTerminate(running::decrementAndGet)
                                .thenReturn(i),
                        Concurrency.limit(3)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(400))   // ceil(10 / 3) rounds of 100 ms
                .expectNext(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
                .verifyComplete();
        assertThat(peak).hasValue(3);
    }

    @Test
    void cancellingAllCancelsEveryTask() {
        PublisherProbe<Integer> a = PublisherProbe.of(Mono.never());
        PublisherProbe<Integer> b = PublisherProbe.of(Mono.never());
        Cancel.afterStart(Tasks.all(List.of(a.mono(), b.mono())));
        a.assertWasCancelled();
        b.assertWasCancelled();
    }

    @Test
    void nullInputsAreRejectedAtCallTime() {
        assertThatThrownBy(() -> Tasks.all(Arrays.asList(Mono.just(1), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("`tasks element` must not be null");
        assertThatThrownBy(() -> Tasks.all(Flux.just(1), i -> Mono.just(i), null))
                .isInstanceOf(NullPointerException.class).hasMessage("`limit` must not be null");
    }
}
