package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.OperationTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Offers and takes wait within a bound and a timeout by default; a Flux consumer is a stream and does not. */
class AsyncQueueWaitBoundsTest {

    @Test
    void anOfferToAFullQueueFailsAfterThirtySecondsAndAddsNothing() {
        AsyncQueue<String> queue = AsyncQueue.bounded(1);
        assertThat(queue.tryOffer("a")).isTrue();
        StepVerifier.withVirtualTime(() -> queue.offer("b"))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(30).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("offer to a full queue (capacity 1; maxWait) timed out after 30s"))
                .verify(Duration.ofSeconds(5));
        assertThat(queue.poll()).contains("a");
        assertThat(queue.poll()).as("the timed-out item was not added").isEmpty();
        assertThat(queue.unfinishedTasks()).isEqualTo(1);
    }

    @Test
    void aTakeFromAnEmptyQueueFailsAfterItsMaxWaitAndTakesNothing() {
        AsyncQueue<String> queue = AsyncQueue.builder(4).maxWait(Duration.ofSeconds(2)).build();
        StepVerifier.withVirtualTime(queue::take)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("take from an empty queue (maxWait) timed out after 2s"))
                .verify(Duration.ofSeconds(5));
        assertThat(queue.tryOffer("later")).isTrue();
        assertThat(queue.poll()).as("nobody took it on behalf of the timed-out take").contains("later");
    }

    @Test
    void anOfferAcceptedBeforeItsTimeoutCompletesAndCountsOnce() {
        AsyncQueue<String> queue = AsyncQueue.builder(1).maxWait(Duration.ofSeconds(1)).build();
        queue.tryOffer("a");
        StepVerifier.withVirtualTime(() -> queue.offer("b"))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .then(() -> assertThat(queue.poll()).contains("a"))
                .verifyComplete();
        assertThat(queue.poll()).contains("b");
    }

    @Test
    void theNextOfferBeyondMaxWaitersFailsAtOnceNamingTheLimit() {
        AsyncQueue<String> queue = AsyncQueue.builder(1).maxWaiters(2).maxWait(null).build();
        queue.tryOffer("a");
        List<Disposable> waiting = new ArrayList<>();
        waiting.add(queue.offer("b").subscribe());
        waiting.add(queue.offer("c").subscribe());
        StepVerifier.create(queue.offer("d"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TooManyWaitersException.class)
                        .hasMessage("queue (capacity 1): 2 offers already waiting (maxWaiters 2)"));
        // A cancelled waiter frees its place.
        waiting.get(0).dispose();
        StepVerifier.create(queue.offer("e").timeout(Duration.ofMillis(50), reactor.core.publisher.Mono.empty()))
                .verifyComplete();
        waiting.forEach(Disposable::dispose);
    }

    @Test
    void theNextTakeBeyondMaxWaitersFailsAtOnce() {
        AsyncQueue<String> queue = AsyncQueue.builder(1).maxWaiters(1).maxWait(null).build();
        Disposable waiting = queue.take().subscribe();
        StepVerifier.create(queue.take())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TooManyWaitersException.class)
                        .hasMessage("queue (capacity 1): 1 takes already waiting (maxWaiters 1)"));
        waiting.dispose();
    }

    @Test
    void aFluxConsumerWaitsForItemsAsLongAsItIsSubscribed() {
        AsyncQueue<String> queue = AsyncQueue.bounded(4);
        StepVerifier.withVirtualTime(() -> queue.asFlux().take(1))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(10))
                .then(() -> queue.tryOffer("x"))
                .expectNext("x")
                .verifyComplete();
    }
}
