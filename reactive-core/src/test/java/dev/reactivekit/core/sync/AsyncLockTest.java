package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Cancel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class AsyncLockTest {

    @Test
    void criticalSectionsNeverOverlap() {
        AsyncLock lock = new AsyncLock();
        List<String> events = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> Flux.range(0, 3).flatMap(i -> lock.withLock(
                        Mono.fromRunnable(() -> events.add("enter " + i))
                                .then(Mono.delay(Duration.ofMillis(100)))
                                .then(Mono.fromRunnable(() -> events.add("exit " + i)))), 3))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(300))
                .verifyComplete();
        assertThat(events).containsExactly("enter 0", "exit 0", "enter 1", "exit 1", "enter 2", "exit 2");
    }

    @Test
    void lockTryLockAndIsLocked() {
        AsyncLock lock = new AsyncLock();
        Permit held = lock.tryLock().orElseThrow();
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.tryLock()).isEmpty();
        List<Permit> next = new CopyOnWriteArrayList<>();
        lock.lock().subscribe(next::add);
        assertThat(lock.waiting()).isEqualTo(1);
        held.release();
        assertThat(next).hasSize(1);
        next.get(0).release();
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock).hasToString("AsyncLock[unlocked, waiting=0]");
    }

    @Test
    void unlocksOnErrorAndCancellation() {
        AsyncLock lock = new AsyncLock();
        StepVerifier.create(lock.withLock(Mono.error(new IOException("x")))).verifyErrorMessage("x");
        assertThat(lock.isLocked()).isFalse();
        Cancel.afterStart(lock.withLock(Flux.never()));
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aBoundedLockRejectsExtraWaiters() {
        AsyncLock lock = new AsyncLock(0);
        lock.tryLock().orElseThrow();
        StepVerifier.create(lock.lock()).verifyError(TooManyWaitersException.class);
    }
}
