package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

/**
 * The race behind "11 bodies ran at once on a semaphore of 10", made deterministic: a cancel arrives from another
 * thread while the body's synchronous start is still running on the thread that was granted the permit. (That
 * thread is a plain one, where waiting on a latch is allowed.)
 */
class AsyncSemaphoreCancelDuringStartTest {

    @Test
    void aCancelDuringTheBodysSynchronousStartKeepsThePermitUntilTheStartHasReturned() throws Exception {
        AsyncSemaphore sem = AsyncSemaphore.of(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Subscription> firstSubscription = new AtomicReference<>();
        Mono<String> firstBody = Mono.fromCallable(() -> {
            started.countDown();
            finish.await(10, TimeUnit.SECONDS);   // the synchronous start, still running
            return "first";
        });
        Thread granted = new Thread(() -> sem.withPermit(firstBody).subscribe(new BaseSubscriber<String>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                firstSubscription.set(subscription);   // before the permit is granted and the body starts
                subscription.request(1);
            }
        }), "granted-thread");
        granted.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicBoolean secondRan = new AtomicBoolean();
        Disposable second = sem.withPermit(Mono.fromRunnable(() -> secondRan.set(true))).subscribe();
        assertThat(sem.waiting()).isEqualTo(1);

        firstSubscription.get().cancel();   // from this thread, as a timeout or takeUntil on another thread would
        assertThat(sem.availablePermits()).as("the permit stays out while the cancelled start runs").isZero();
        assertThat(Await.until(secondRan::get, Duration.ofMillis(100))).as("the next holder waits").isFalse();

        finish.countDown();
        granted.join(10_000);
        assertThat(Await.until(secondRan::get)).as("the next holder runs once the start has returned").isTrue();
        assertThat(Await.until(() -> sem.availablePermits() == 1)).isTrue();
        second.dispose();
    }
}
