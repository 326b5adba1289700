package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.testing.Cancel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

class AsyncSemaphoreTest {

    @Test
    void grantsUpToItsPermitsThenMakesAcquirersWait() {
        AsyncSemaphore sem = AsyncSemaphore.of(2);
        List<Permit> held = new CopyOnWriteArrayList<>();
        sem.acquire().subscribe(held::add);
        sem.acquire().subscribe(held::add);
        sem.acquire().subscribe(held::add);
        assertThat(held).hasSize(2);
        assertThat(sem.availablePermits()).isZero();
        assertThat(sem.waiting()).isEqualTo(1);
        held.get(0).release();
        assertThat(held).hasSize(3);
        assertThat(sem.waiting()).isZero();
        assertThat(sem.availablePermits()).isZero();
    }

    @Test
    void aPermitGrantedBeforeTheRequestIsHeldOrReleasedNeverBothWhenRequestAndCancelRace() {
        // The permit is granted before the acquirer requests; then request and cancel race. Reactor's
        // MonoSubscriber let both take it: the acquirer got a permit that cancel had already released.
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        for (int round = 0; round < 20_000; round++) {
            List<Permit> got = new CopyOnWriteArrayList<>();
            BaseSubscriber<Permit> late = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    // requests later, racing its own cancel
                }

                @Override
                protected void hookOnNext(Permit permit) {
                    got.add(permit);
                }
            };
            sem.acquire().subscribe(late);
            RaceTestUtils.race(() -> late.request(1), late::cancel);
            if (got.isEmpty()) {
                assertThat(sem.availablePermits()).as("round %d: cancelled, permit back", round).isEqualTo(1);
            } else {
                assertThat(got.get(0).isReleased()).as("round %d: the permit delivered is held", round).isFalse();
                assertThat(sem.availablePermits()).as("round %d: held by the acquirer", round).isZero();
                got.get(0).release();
            }
        }
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void waitersAreServedInArrivalOrder() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Permit first = sem.tryAcquire().orElseThrow();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Permit> permits = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            sem.acquire().subscribe(p -> {
                order.add(n);
                permits.add(p);
            });
        }
        first.release();
        for (int i = 0; i < 5; i++) {
            permits.get(i).release();
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void aNewcomerNeverOvertakesAWaiter() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Permit p = sem.tryAcquire().orElseThrow();
        sem.acquire().subscribe();                  // waits
        assertThat(sem.tryAcquire()).isEmpty();
        p.release();                                // goes to the waiter, not to a later tryAcquire
        assertThat(sem.tryAcquire()).isEmpty();
    }

    @Test
    void releaseIsIdempotent() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Permit p = sem.tryAcquire().orElseThrow();
        p.release();
        p.release();
        assertThat(p.isReleased()).isTrue();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void withPermitReleasesOnSuccessErrorAndCancellation() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        StepVerifier.create(sem.withPermit(Mono.just(1))).expectNext(1).verifyComplete();
        assertThat(sem.availablePermits()).isEqualTo(1);
        StepVerifier.create(sem.withPermit(Mono.error(new IOException("x")))).verifyErrorMessage("x");
        assertThat(sem.availablePermits()).isEqualTo(1);
        Cancel.afterStart(sem.withPermit(Mono.never()));
        assertThat(sem.availablePermits()).isEqualTo(1);
        StepVerifier.create(sem.withPermit(Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
        Cancel.afterStart(sem.withPermit(Flux.never()));
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void withPermitReleasesBeforeSignallingCompletion() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        StepVerifier.create(sem.withPermit(Mono.just("v")))
                .assertNext(v -> assertThat(sem.availablePermits()).isEqualTo(1))
                .verifyComplete();
    }

    @Test
    void withPermitLimitsConcurrencyInVirtualTime() {
        AsyncSemaphore sem = AsyncSemaphore.of(2);
        StepVerifier.withVirtualTime(() -> Flux.range(0, 6)
                        .flatMap(i -> sem.withPermit(Mono.delay(Duration.ofSeconds(2)).thenReturn(i)), 6))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(2)
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(2)
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(2)
                .verifyComplete();
    }

    @Test
    void aWaiterCancelledBeforeItsTurnNeverTakesAPermit() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Permit p = sem.tryAcquire().orElseThrow();
        List<Permit> late = new ArrayList<>();
        Disposable cancelled = sem.acquire().subscribe(late::add);
        assertThat(sem.waiting()).isEqualTo(1);
        cancelled.dispose();
        assertThat(sem.waiting()).isZero();
        p.release();
        assertThat(late).isEmpty();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void aPermitGrantedToAnAcquirerThatHasNotRequestedIsGivenBackOnCancel() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        // Granted at once, but held by Reactor until requested; cancelling discards it back to the semaphore.
        StepVerifier.create(sem.acquire(), 0).expectSubscription().thenCancel().verify();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void timedOutWaitersDoNotAccumulate() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Permit p = sem.tryAcquire().orElseThrow();
        for (int i = 0; i < 1_000; i++) {
            sem.acquire().subscribe().dispose();
        }
        assertThat(sem.waiting()).isZero();
        assertThat(sem).hasToString("AsyncSemaphore[permits=1, available=0, waiting=0]");
        p.release();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void aFullWaitQueueRejectsNewAcquirersWithAClearError() {
        AsyncSemaphore sem = AsyncSemaphore.of(1, 2);
        sem.tryAcquire().orElseThrow();
        sem.acquire().subscribe();
        sem.acquire().subscribe();
        StepVerifier.create(sem.acquire())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TooManyWaitersException.class)
                        .hasMessage("semaphore: wait queue is full: 2 acquirers already waiting for 1 permit(s) (maxWaiters 2)"));
    }

    @Test
    void acquireIsLazy() {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        Mono<Permit> notYet = sem.acquire();
        assertThat(sem.availablePermits()).isEqualTo(1);
        StepVerifier.create(notYet).expectNextCount(1).verifyComplete();
        assertThat(sem.availablePermits()).isZero();
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> AsyncSemaphore.of(0)).hasMessage("`permits` must be > 0: 0");
        assertThatThrownBy(() -> AsyncSemaphore.of(1, -1)).hasMessage("`maxWaiters` must be >= 0: -1");
        assertThatThrownBy(() -> AsyncSemaphore.of(1).withPermit((Mono<Object>) null)).hasMessage("`work` must not be null");
    }

    @Test
    void tenThousandQueuedBodiesThatCompleteAtOnceRunWithoutGrowingTheStack() {
        // Each synchronous body releases inside its own grant; without a trampoline the next grant would run
        // inside that release, 10,000 frames deep, and a StackOverflowError would lose the permit.
        AsyncSemaphore sem = AsyncSemaphore.builder(1).maxWait(null).build();
        Permit held = sem.tryAcquire().orElseThrow();
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 10_000; i++) {
            sem.withPermit(Mono.fromRunnable(ran::incrementAndGet)).subscribe();
        }
        held.release();
        assertThat(ran).hasValue(10_000);
        assertThat(sem.availablePermits()).isEqualTo(1);
        assertThat(sem.waiting()).isZero();
    }
}
