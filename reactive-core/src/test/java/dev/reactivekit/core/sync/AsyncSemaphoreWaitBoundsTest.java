package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.PoolTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every wait on a semaphore or lock has a bound and a timeout by default, and says which one it hit. */
class AsyncSemaphoreWaitBoundsTest {

    @Test
    void byDefaultAWaiterFailsAfterThirtySecondsNamingTheSetting() {
        AsyncSemaphore sem = AsyncSemaphore.of(2);
        Permit a = sem.tryAcquire().orElseThrow();
        Permit b = sem.tryAcquire().orElseThrow();
        StepVerifier.withVirtualTime(sem::acquire)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(30).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                        .hasMessage("semaphore: no permit free within 30s, 2 permit(s) in use (maxWait 30s)")
                        .satisfies(t -> assertThat(((PoolTimeoutException) t).waited()).isEqualTo(Duration.ofSeconds(30))))
                .verify(Duration.ofSeconds(5));
        assertThat(sem.waiting()).as("the timed-out waiter left the queue").isZero();
        a.release();
        b.release();
        assertThat(sem.availablePermits()).as("a timed-out waiter never takes a permit").isEqualTo(2);
    }

    @Test
    void aWaiterGrantedBeforeItsTimeoutKeepsItsPermit() {
        AsyncSemaphore sem = AsyncSemaphore.builder(1).maxWait(Duration.ofSeconds(1)).build();
        Permit held = sem.tryAcquire().orElseThrow();
        StepVerifier.withVirtualTime(() -> sem.withPermit(Mono.just("ran")))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(999))
                .then(held::release)
                .expectNext("ran")
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Mono.delay(Duration.ofSeconds(5))).thenAwait(Duration.ofSeconds(5))
                .expectNextCount(1).verifyComplete();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void withoutAMaxWaitAWaiterWaitsAsLongAsItTakes() {
        AsyncSemaphore sem = AsyncSemaphore.builder(1).maxWait(null).build();
        Permit held = sem.tryAcquire().orElseThrow();
        StepVerifier.withVirtualTime(() -> sem.withPermit(Mono.just("late")))
                .expectSubscription()
                .expectNoEvent(Duration.ofHours(1))
                .then(held::release)
                .expectNext("late")
                .verifyComplete();
    }

    @Test
    void theDefaultBoundIsTenThousandWaitersAndTheNextFailsAtOnce() {
        AsyncSemaphore sem = AsyncSemaphore.builder(1).maxWait(null).name("uploads").build();
        Permit held = sem.tryAcquire().orElseThrow();
        List<reactor.core.Disposable> waiting = new ArrayList<>();
        for (int i = 0; i < AsyncSemaphore.DEFAULT_MAX_WAITERS; i++) {
            waiting.add(sem.acquire().subscribe());
        }
        assertThat(sem.waiting()).isEqualTo(10_000);
        StepVerifier.create(sem.acquire())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TooManyWaitersException.class)
                        .hasMessage("uploads: wait queue is full: 10000 acquirers already waiting for 1 permit(s)"
                                + " (maxWaiters 10000)"));
        waiting.forEach(reactor.core.Disposable::dispose);
        held.release();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void manyTimedOutWaitersDoNotAccumulateAndTheLiveOnesStillTimeOut() {
        AsyncSemaphore sem = AsyncSemaphore.builder(1).maxWait(Duration.ofSeconds(10)).build();
        Permit held = sem.tryAcquire().orElseThrow();
        List<Throwable> errors = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    // 100 waiters cancelled at once (compacting the queue), one live waiter that must still time out.
                    for (int i = 0; i < 100; i++) {
                        sem.acquire().subscribe().dispose();
                    }
                    return sem.acquire().doOnError(errors::add);
                })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .expectError(PoolTimeoutException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(sem.waiting()).isZero();
        held.release();
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void aLockWaitsThirtySecondsByDefaultAndCanBeToldOtherwise() {
        AsyncLock lock = new AsyncLock();
        lock.tryLock().orElseThrow();
        StepVerifier.withVirtualTime(lock::lock)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageStartingWith("lock: no permit free within 30s"))
                .verify(Duration.ofSeconds(5));
        AsyncLock patient = new AsyncLock(10, Duration.ofMinutes(5));
        patient.tryLock().orElseThrow();
        StepVerifier.withVirtualTime(patient::lock)
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(5).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectError(PoolTimeoutException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anAcquireMayWaitLessOrLongerThanTheSemaphoresDefault() {
        AsyncSemaphore sem = AsyncSemaphore.builder(1).name("uploads").build();   // 30 s by default
        Permit held = sem.tryAcquire().orElseThrow();
        StepVerifier.withVirtualTime(() -> sem.acquire(Duration.ofMillis(250)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(249))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                        .hasMessage("uploads: no permit free within 250ms, 1 permit(s) in use (maxWait 250ms)"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.withVirtualTime(() -> sem.acquire(Duration.ofMinutes(2)))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(90))
                .then(held::release)
                .expectNextCount(1)
                .verifyComplete();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sem.acquire(Duration.ZERO))
                .hasMessage("`maxWait` must be > 0: PT0S");
    }
}
