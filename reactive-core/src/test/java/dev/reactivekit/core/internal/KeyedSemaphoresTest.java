package dev.reactivekit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class KeyedSemaphoresTest {

    @Test
    void aKeyIsDroppedOnceItsLastHolderCompletesFailsOrIsCancelled() {
        KeyedSemaphores keys = new KeyedSemaphores(1);
        StepVerifier.create(keys.withPermit("done", Flux.just(1))).expectNext(1).verifyComplete();
        StepVerifier.create(keys.withPermit("failed", Flux.error(new IOException("x")))).verifyErrorMessage("x");
        Disposable running = keys.withPermit("cancelled", Flux.never()).subscribe();
        assertThat(keys.activeKeys()).as("the running key is held").isEqualTo(1);
        running.dispose();
        assertThat(keys.activeKeys()).as("no key left behind").isZero();
    }

    @Test
    void aWaiterForABusyKeyGetsThePermitWhenTheHolderEnds() {
        KeyedSemaphores keys = new KeyedSemaphores(1);
        StepVerifier.withVirtualTime(() -> Flux.merge(
                        keys.withPermit("k", Mono.delay(Duration.ofSeconds(1)).thenReturn("first").flux()),
                        keys.withPermit("k", Flux.just("second"))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("first", "second")
                .verifyComplete();
        assertThat(keys.activeKeys()).isZero();
    }
}
