package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class HandlerHaltTest {

    @Test
    void fireCancelsEveryGuardedHandlerStillRunningAndForgetsTheFinishedOnes() {
        HandlerHalt halt = new HandlerHalt();
        StepVerifier.create(halt.guard(Mono.just(1))).expectNext(1).verifyComplete();
        StepVerifier.create(halt.guard(Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
        assertThat(halt.running()).as("finished handlers are not kept").isZero();
        List<PublisherProbe<Void>> probes = new ArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            PublisherProbe<Void> probe = PublisherProbe.of(Mono.never());
            probes.add(probe);
            halt.guard(probe.mono()).subscribe(null, null, completed::incrementAndGet);
        }
        assertThat(halt.running()).isEqualTo(1000);
        halt.fire();
        assertThat(probes).allSatisfy(PublisherProbe::assertWasCancelled);
        assertThat(completed).hasValue(1000);
        assertThat(halt.running()).isZero();
    }

    @Test
    void aHandlerGuardedAfterFireNeverStarts() {
        HandlerHalt halt = new HandlerHalt();
        halt.fire();
        PublisherProbe<Integer> probe = PublisherProbe.of(Mono.just(1));
        StepVerifier.create(halt.guard(probe.mono())).verifyComplete();
        StepVerifier.create(halt.guard(probe.flux())).verifyComplete();
        probe.assertWasNotSubscribed();
        assertThat(halt.running()).isZero();
    }

    @Test
    void guardedWorkFailsWithTheGivenErrorWhenFiredFirst() {
        HandlerHalt halt = new HandlerHalt();
        StepVerifier.create(halt.guard(Mono.just(1), () -> new IllegalStateException("closed")))
                .expectNext(1).verifyComplete();
        StepVerifier.create(halt.guard(Flux.just(1, 2), () -> new IllegalStateException("closed")))
                .expectNext(1, 2).verifyComplete();
        StepVerifier.create(halt.guard(Mono.never(), () -> new IllegalStateException("closed")))
                .then(halt::fire)
                .verifyErrorMessage("closed");
        StepVerifier.create(halt.guard(Flux.<Integer>never(), () -> new IllegalStateException("closed flux")))
                .verifyErrorMessage("closed flux");
        StepVerifier.create(halt.guard(Mono.just(1), () -> new IllegalStateException("after")))
                .verifyErrorMessage("after");
        assertThat(halt.running()).isZero();
    }

    @Test
    void cancellingAGuardedHandlerForgetsIt() {
        HandlerHalt halt = new HandlerHalt();
        StepVerifier.create(halt.guard(Mono.delay(Duration.ofHours(1))))
                .expectSubscription()
                .then(() -> assertThat(halt.running()).isOne())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(halt.running()).isZero();
    }
}
