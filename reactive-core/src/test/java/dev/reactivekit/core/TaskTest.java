package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.util.context.Context;

class TaskTest {

    @Test
    void startSubscribesAtOnceAndRunsOnceWhateverTheJoiners() {
        AtomicInteger runs = new AtomicInteger();
        Sinks.One<String> gate = Sinks.one();
        Task<String> task = Task.start(Mono.defer(() -> {
            runs.incrementAndGet();
            return gate.asMono();
        }));
        assertThat(runs).hasValue(1);
        assertThat(task.isDone()).isFalse();
        assertThat(task.outcome()).isEmpty();

        StepVerifier first = StepVerifier.create(task.join()).expectNext("v").expectComplete().verifyLater();
        StepVerifier second = StepVerifier.create(task.join()).expectNext("v").expectComplete().verifyLater();
        gate.tryEmitValue("v");
        first.verify(Duration.ofSeconds(5));
        second.verify(Duration.ofSeconds(5));
        StepVerifier.create(task.join()).expectNext("v").verifyComplete();
        assertThat(runs).hasValue(1);
        assertThat(task.outcome()).contains(Outcome.success("v"));
        assertThat(task).hasToString("task[done]");
    }

    @Test
    void joinReportsEmptyCompletionAndFailure() {
        StepVerifier.create(Task.start(Mono.empty()).join()).verifyComplete();
        Task<Object> failed = Task.start(Mono.error(new IOException("down")));
        StepVerifier.create(failed.join()).verifyErrorMessage("down");
        assertThat(failed.isCancelled()).isFalse();
        assertThat(failed).hasToString("task[failed]");
    }

    @Test
    void cancelStopsTheWorkAndFailsJoinersWithTaskCancelledException() {
        PublisherProbe<String> probe = PublisherProbe.of(Mono.never());
        Task<String> task = Task.start(probe.mono());
        StepVerifier pending = StepVerifier.create(task.join())
                .expectError(TaskCancelledException.class).verifyLater();
        assertThat(task.cancel()).isTrue();
        assertThat(task.cancel()).as("second cancel is a no-op").isFalse();
        probe.assertWasCancelled();
        pending.verify(Duration.ofSeconds(5));
        assertThat(task.isCancelled()).isTrue();
        assertThat(task).hasToString("task[cancelled]");
    }

    @Test
    void cancelAfterCompletionChangesNothing() {
        Task<Integer> task = Task.start(Mono.just(1));
        assertThat(task.cancel()).isFalse();
        StepVerifier.create(task.join()).expectNext(1).verifyComplete();
    }

    @Test
    void cancellingAJoinerLeavesTheTaskRunning() {
        PublisherProbe<String> probe = PublisherProbe.of(Mono.never());
        Task<String> task = Task.start(probe.mono());
        StepVerifier.create(task.join()).thenCancel().verify();
        probe.assertWasNotCancelled();
        assertThat(task.isDone()).isFalse();
        task.cancel();
    }

    @Test
    void startWithContextMakesItVisibleToTheWork() {
        Task<String> task = Task.start(Mono.deferContextual(ctx -> Mono.just(ctx.get("user"))), Context.of("user", "ada"));
        StepVerifier.create(task.join()).expectNext("ada").verifyComplete();
    }
}
