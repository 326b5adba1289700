package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Concurrent producers and consumers on real threads, with random cancellations on both sides: no item is lost
 * or delivered twice.
 */
class AsyncQueueStressTest {

    private static final int PRODUCERS = 4;
    private static final int ITEMS_PER_PRODUCER = 5_000;

    @RepeatedTest(3)
    void noItemIsLostOrDuplicated() {
        AsyncQueue<Integer> queue = AsyncQueue.bounded(16);
        Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger cancellations = new AtomicInteger();

        Mono<Void> producers = Flux.range(0, PRODUCERS)
                .flatMap(p -> Flux.range(0, ITEMS_PER_PRODUCER)
                        .map(i -> p * 1_000_000 + i)
                        .publishOn(Schedulers.parallel(), 32)
                        .concatMap(item -> {
                            attempted.add(item);
                            Mono<Void> offer = queue.offer(item).doOnSuccess(x -> confirmed.add(item));
                            if (ThreadLocalRandom.current().nextInt(10) == 0) {
                                // An impatient producer: may withdraw the item, or give up just after it was accepted.
                                return offer.timeout(Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 100_000)),
                                        Mono.fromRunnable(cancellations::incrementAndGet));
                            }
                            return offer;
                        }), PRODUCERS)
                .then()
                .doFinally(s -> queue.close());

        // Items are recorded where the queue hands them over. An operator further down (the timeout here) may
        // still drop an item it received just as it gave up: that is the consumer's choice, not a queue loss.
        Mono<Void> takers = Flux.range(0, 2).flatMap(c -> Mono.defer(() -> queue.take()
                        .doOnNext(item -> record(item, received, duplicates))
                        .timeout(Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 200_000)),
                                Mono.fromRunnable(cancellations::incrementAndGet)))
                .repeat(() -> !(queue.isClosed() && queue.size() == 0))
                .subscribeOn(Schedulers.parallel())).then();

        Mono<Void> streams = Flux.range(0, 2).flatMap(c -> Flux.defer(() -> queue.asFlux()
                        .doOnNext(item -> record(item, received, duplicates))
                        // take(n) cancels the stream after n items: counted, as the timeouts above are (which on
                        // a fast run may all be too late to fire).
                        .doOnCancel(cancellations::incrementAndGet)
                        .take(ThreadLocalRandom.current().nextInt(1, 64)))
                .repeat(() -> !(queue.isClosed() && queue.size() == 0))
                .subscribeOn(Schedulers.parallel())).then();

        StepVerifier.create(Mono.when(producers, takers, streams)).expectComplete().verify(Duration.ofSeconds(60));

        // Items given back by consumers cancelled at the very end may still sit in the queue.
        for (Integer left; (left = queue.poll().orElse(null)) != null; ) {
            record(left, received, duplicates);
        }
        assertThat(duplicates).as("items delivered twice").hasValue(0);
        Set<Integer> missing = ConcurrentHashMap.newKeySet();
        missing.addAll(confirmed);
        missing.removeAll(received);
        assertThat(missing).as("accepted items that never came out").isEmpty();
        assertThat(attempted).as("nothing came out that was not offered").containsAll(received);
        assertThat(confirmed.size()).isGreaterThan(PRODUCERS * ITEMS_PER_PRODUCER / 2);
        assertThat(cancellations.get()).as("the test did cancel offers and takes").isPositive();
    }

    private static void record(Integer item, Set<Integer> received, AtomicInteger duplicates) {
        if (!received.add(item)) {
            duplicates.incrementAndGet();
        }
    }
}
