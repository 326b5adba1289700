package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.testing.Cancel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.util.context.Context;

class TaskGroupTest {

    @Test
    void bodyValueIsEmittedOnceBodyAndChildrenHaveEnded() {
        AtomicInteger childrenDone = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> TaskGroup.run(group -> {
                    Task<String> a = group.start(Mono.just("a").delayElement(Duration.ofMillis(100)));
                    Task<String> b = group.start(Mono.just("b").delayElement(Duration.ofMillis(200)));
                    // A fire-and-forget child: the group still waits for it.
                    group.start(Mono.delay(Duration.ofMillis(500)).doOnNext(x -> childrenDone.incrementAndGet()));
                    return a.join().zipWith(b.join(), String::concat);
                }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(200))
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ab")
                .verifyComplete();
        assertThat(childrenDone).hasValue(1);
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheBody() {
        PublisherProbe<String> sibling = PublisherProbe.of(Mono.never());
        PublisherProbe<String> body = PublisherProbe.of(Mono.never());
        StepVerifier.withVirtualTime(() -> TaskGroup.run(group -> {
                    group.start(sibling.mono());
                    group.start(Mono.error(new IOException("child broke")).delaySubscription(Duration.ofMillis(50)));
                    return body.mono();
                }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(50))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TaskGroupException.class).hasMessage("task group failed: child broke");
                    assertThat(((TaskGroupException) e).errors()).singleElement()
                            .isInstanceOf(IOException.class);
                    assertThat(e.getCause()).hasMessage("child broke");
                });
        sibling.assertWasCancelled();
        body.assertWasCancelled();
    }

    @Test
    void failuresAreAggregatedWithTheFirstAsCauseAndTheRestSuppressed() {
        StepVerifier.create(TaskGroup.run(group -> {
                    // Both fail while being started, before the group can cancel either.
                    group.start(Mono.error(new IOException("first")));
                    return Mono.error(new IllegalStateException("body"));
                }))
                .verifyErrorSatisfies(e -> {
                    TaskGroupException group = (TaskGroupException) e;
                    assertThat(group.errors()).extracting(Throwable::getMessage).containsExactly("first", "body");
                    assertThat(group).hasMessage("task group failed with 2 errors; first: first");
                    assertThat(group.getSuppressed()).extracting(Throwable::getMessage).containsExactly("body");
                });
    }

    @Test
    void aChildCancelledByTheBodyIsNotAFailure() {
        StepVerifier.create(TaskGroup.run(group -> {
                    Task<Object> idle = group.start(Mono.never());
                    idle.cancel();
                    return Mono.just("fine");
                }))
                .expectNext("fine")
                .verifyComplete();
    }

    @Test
    void childrenCanStartMoreChildren() {
        AtomicInteger leaves = new AtomicInteger();
        StepVerifier.create(TaskGroup.run(group -> {
                    group.start(Mono.fromRunnable(() -> group.start(Mono.fromRunnable(leaves::incrementAndGet))));
                    return Mono.empty();
                }))
                .verifyComplete();
        assertThat(leaves).hasValue(1);
    }

    @Test
    void cancellingTheGroupCancelsBodyAndChildren() {
        PublisherProbe<Object> child = PublisherProbe.of(Mono.never());
        PublisherProbe<Object> body = PublisherProbe.of(Mono.never());
        AtomicReference<TaskGroup> ref = new AtomicReference<>();
        Cancel.afterStart(TaskGroup.run(group -> {
            ref.set(group);
            group.start(child.mono());
            return body.mono();
        }));
        child.assertWasCancelled();
        body.assertWasCancelled();
        assertThat(ref.get().active()).isZero();
        assertThatThrownBy(() -> ref.get().start(Mono.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("task group has ended");
    }

    @Test
    void startingAChildAfterTheGroupEndedFails() {
        AtomicReference<TaskGroup> ref = new AtomicReference<>();
        StepVerifier.create(TaskGroup.run(group -> {
            ref.set(group);
            return Mono.just(1);
        })).expectNext(1).verifyComplete();
        assertThatThrownBy(() -> ref.get().start(Mono.just(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("task group has ended: no more tasks can be started");
    }

    @Test
    void startingAChildWhileTheGroupShutsDownFails() {
        StepVerifier.create(TaskGroup.run(group -> {
                    group.start(Mono.error(new IOException("boom")));
                    group.start(Mono.just(2));   // the group is already stopping
                    return Mono.empty();
                }))
                .verifyErrorSatisfies(e -> assertThat(((TaskGroupException) e).errors())
                        .extracting(Throwable::getMessage)
                        .containsExactly("boom", "task group is shutting down after a failure or cancellation"));
    }

    @Test
    void childrenSeeTheGroupSubscribersContextIncludingItsDeadline() {
        StepVerifier.create(Deadline.within(TaskGroup.run(group -> {
                    Task<List<Object>> child = group.start(Mono.deferContextual(ctx ->
                            Mono.just(List.of(ctx.get("user"), Deadline.from(ctx).isPresent()))));
                    return child.join();
                }), Duration.ofSeconds(5)).contextWrite(Context.of("user", "ada")))
                .expectNext(List.of("ada", true))
                .verifyComplete();
    }

    @Test
    void anEmptyBodyCompletesEmpty() {
        StepVerifier.create(TaskGroup.run(group -> Mono.empty())).verifyComplete();
    }
}
