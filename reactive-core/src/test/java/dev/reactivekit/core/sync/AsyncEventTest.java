package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class AsyncEventTest {

    @Test
    void waitersCompleteWhenTheEventIsSet() {
        AsyncEvent ready = new AsyncEvent();
        StepVerifier first = StepVerifier.create(ready.await()).expectComplete().verifyLater();
        StepVerifier second = StepVerifier.create(ready.await()).expectComplete().verifyLater();
        assertThat(ready.waiting()).isEqualTo(2);
        assertThat(ready.isSet()).isFalse();
        ready.set();
        first.verify(Duration.ofSeconds(5));
        second.verify(Duration.ofSeconds(5));
        assertThat(ready.isSet()).isTrue();
    }

    @Test
    void awaitingASetEventCompletesAtOnceAndSetIsIdempotent() {
        AsyncEvent event = new AsyncEvent();
        event.set();
        event.set();
        StepVerifier.create(event.await()).verifyComplete();
        assertThat(event).hasToString("AsyncEvent[set, waiting=0]");
    }

    @Test
    void clearMakesLaterWaitersWaitForTheNextSet() {
        AsyncEvent event = new AsyncEvent();
        event.set();
        event.clear();
        assertThat(event.isSet()).isFalse();
        StepVerifier.withVirtualTime(event::await)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10))
                .then(event::set)
                .verifyComplete();
    }

    @Test
    void clearingAClearEventIsHarmless() {
        AsyncEvent event = new AsyncEvent();
        event.clear();
        assertThat(event.isSet()).isFalse();
        event.set();
        assertThat(event.isSet()).isTrue();
    }

    @Test
    void aCancelledWaiterIsRemovedAndOthersStillWake() {
        AsyncEvent event = new AsyncEvent();
        Disposable gone = event.await().subscribe();
        StepVerifier stays = StepVerifier.create(event.await()).expectComplete().verifyLater();
        gone.dispose();
        assertThat(event.waiting()).isEqualTo(1);
        event.set();
        stays.verify(Duration.ofSeconds(5));
    }
}
