package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import dev.reactivekit.core.testing.Cancel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class TasksSettledTest {

    @Test
    void oneOutcomePerInputInInputOrderWithNothingCancelled() {
        PublisherProbe<String> slow = PublisherProbe.of(Mono.just("slow").delayElement(Duration.ofMillis(50)));
        StepVerifier.withVirtualTime(() -> Tasks.settled(List.of("a", "boom", "slow"), in -> switch (in) {
                    case "boom" -> Mono.<String>error(new IOException("boom"));
                    case "slow" -> slow.mono();
                    default -> Mono.just(in.toUpperCase());
                }))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(50))
                .expectNext(new Outcome.Success<>("A", 0, "a"))
                .assertNext(o -> {
                    assertThat(o.isFailure()).isTrue();
                    assertThat(o.error()).hasMessage("boom");
                    assertThat(o.index()).isEqualTo(1);
                    assertThat(o.input()).isEqualTo("boom");
                })
                .expectNext(new Outcome.Success<>("slow", 2, "slow"))
                .verifyComplete();
        slow.assertWasSubscribed();
        slow.assertWasNotCancelled();
    }

    @Test
    void directTasksAreLabelledWithTheirIndex() {
        StepVerifier.create(Tasks.settled(List.of(Mono.just(1), Mono.<Integer>empty())))
                .expectNext(new Outcome.Success<>(1, 0, null))
                .expectNext(new Outcome.Success<>(null, 1, null))
                .verifyComplete();
    }

    @Test
    void aMalformedInputBecomesAFailureNamingIt() {
        StepVerifier.create(Tasks.settled(List.of("http://ok", "ht tp://bad"), s -> Mono.just(URI.create(s))))
                .expectNextMatches(Outcome::isSuccess)
                .assertNext(o -> {
                    assertThat(o.error()).isInstanceOf(IllegalArgumentException.class);
                    assertThat(o.input()).isEqualTo("ht tp://bad");
                })
                .verifyComplete();
    }

    @Test
    void streamOfInputsIsProcessedWithinTheLimitAndStreamsOutInOrder() {
        StepVerifier.withVirtualTime(() -> Tasks.settled(Flux.range(0, 6),
                        i -> Mono.just(i).delayElement(Duration.ofMillis(i % 2 == 0 ? 200 : 100)), Concurrency.limit(2)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(199))
                .thenAwait(Duration.ofMillis(1))
                .expectNextMatches(o -> o.index() == 0 && o.value().equals(0))
                .expectNextMatches(o -> o.index() == 1)
                .thenAwait(Duration.ofMillis(400))
                .expectNextCount(4)
                .verifyComplete();
    }

    @Test
    void cancellingSettledCancelsRunningTasks() {
        PublisherProbe<Integer> probe = PublisherProbe.of(Mono.never());
        Cancel.afterStart(Tasks.settled(List.of(probe.mono())));
        probe.assertWasCancelled();
    }
}
