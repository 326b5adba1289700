package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import dev.reactivekit.core.testing.Cancel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class TasksWaitTest {

    @Test
    void firstEmitsTheFirstValueAndCancelsTheLosers() {
        PublisherProbe<String> loser = PublisherProbe.of(Mono.just("late").delayElement(Duration.ofSeconds(5)));
        StepVerifier.withVirtualTime(() -> Tasks.first(List.of(
                        Mono.<String>error(new IOException("fails first")),
                        Mono.just("winner").delayElement(Duration.ofMillis(100)),
                        loser.mono())))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(100))
                .expectNext("winner")
                .verifyComplete();
        loser.assertWasCancelled();
    }

    @Test
    void firstFailsWithEveryErrorWhenNoTaskSucceeds() {
        StepVerifier.create(Tasks.first(List.of(Mono.error(new IOException("a")), Mono.empty(),
                        Mono.error(new IllegalStateException("c")))))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(AllTasksFailedException.class)
                            .hasMessageStartingWith("all 3 tasks failed or completed empty; first error: a");
                    assertThat(e.getSuppressed()).hasSize(3);
                    assertThat(e.getSuppressed()[2]).hasMessage("c");
                });
    }

    @Test
    void firstRejectsAnEmptyList() {
        assertThatThrownBy(() -> Tasks.first(List.<Mono<Integer>>of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("`tasks` must not be empty");
    }

    @Test
    void firstFailureStopsAtTheFirstErrorAndMarksTheCancelledTasks() {
        PublisherProbe<Integer> slow = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> Tasks.firstFailure(List.of(
                        Mono.just(1),
                        Mono.<Integer>error(new IOException("broken")).delaySubscription(Duration.ofMillis(50)),
                        slow.mono())))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(50))
                .assertNext(outcomes -> {
                    assertThat(outcomes).hasSize(3);
                    assertThat(outcomes.get(0)).isEqualTo(new Outcome.Success<>(1, 0, null));
                    assertThat(outcomes.get(1).error()).hasMessage("broken");
                    assertThat(outcomes.get(2).error()).isInstanceOf(TaskCancelledException.class)
                            .hasMessage("task #2 was cancelled after another task failed");
                })
                .verifyComplete();
        slow.assertWasCancelled();
    }

    @Test
    void firstFailureWaitsForAllWhenNothingFails() {
        StepVerifier.withVirtualTime(() -> Tasks.firstFailure(List.of(Mono.just(1).delayElement(Duration.ofMillis(30)),
                        Mono.just(2))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(29))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(o -> assertThat(o).extracting(Outcome::value).containsExactly(1, 2))
                .verifyComplete();
    }

    @Test
    void awaitFirstCompletedHandsBackThePendingTasksStillRunning() {
        PublisherProbe<String> slow = PublisherProbe.of(Mono.just("slow").delayElement(Duration.ofMillis(500)));
        StepVerifier.withVirtualTime(() -> Tasks.await(List.of(slow.mono(),
                                Mono.just("quick").delayElement(Duration.ofMillis(100))), WaitMode.FIRST_COMPLETED)
                        .flatMap(result -> {
                            assertThat(result.done()).containsExactly(new Outcome.Success<>("quick", 1, null));
                            assertThat(result.pending()).hasSize(1);
                            return result.pending().get(0).join();   // the pending task is still running
                        }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .expectNext("slow")
                .verifyComplete();
        slow.assertWasNotCancelled();
    }

    @Test
    void awaitFirstExceptionReturnsOnFailureAndCancelPendingStopsTheRest() {
        PublisherProbe<Integer> slow = PublisherProbe.of(Mono.never());
        StepVerifier.create(Tasks.await(List.of(Mono.just(1), Mono.<Integer>error(new IOException("x")), slow.mono()),
                        WaitMode.FIRST_EXCEPTION))
                .assertNext(result -> {
                    assertThat(result.done()).hasSize(2);
                    assertThat(result.done().get(1).error()).hasMessage("x");
                    assertThat(result.cancelPending()).isEqualTo(1);
                })
                .verifyComplete();
        slow.assertWasCancelled();
    }

    @Test
    void awaitAllCompletedWaitsForEveryTask() {
        StepVerifier.withVirtualTime(() -> Tasks.await(List.of(Mono.just(1).delayElement(Duration.ofMillis(10)),
                        Mono.<Integer>error(new IOException("x")), Mono.just(3).delayElement(Duration.ofMillis(20))),
                        WaitMode.ALL_COMPLETED))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(19))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> {
                    assertThat(result.pending()).isEmpty();
                    assertThat(result.done()).extracting(Outcome::index).containsExactly(0, 1, 2);
                })
                .verifyComplete();
    }

    @Test
    void cancellingAwaitCancelsAllTasks() {
        PublisherProbe<Integer> a = PublisherProbe.of(Mono.never());
        PublisherProbe<Integer> b = PublisherProbe.of(Mono.never());
        Cancel.afterStart(Tasks.await(List.of(a.mono(), b.mono()), WaitMode.FIRST_COMPLETED));
        a.assertWasCancelled();
        b.assertWasCancelled();
    }
}
