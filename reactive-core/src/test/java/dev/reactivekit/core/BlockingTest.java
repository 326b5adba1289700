package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class BlockingTest {

    @Test
    void blockingWorkRunsOffTheNonBlockingThreadsWhereBlockHoundAllowsIt() {
        // Sleeping on a parallel thread is caught by BlockHound; handed to Blocking.call it is fine.
        StepVerifier.create(Mono.delay(Duration.ofMillis(1))
                        .flatMap(x -> Blocking.call(() -> {
                            parkBriefly();
                            return Thread.currentThread().getName();
                        })))
                .assertNext(thread -> assertThat(thread).startsWith("boundedElastic"))
                .verifyComplete();
    }

    @Test
    void withoutTheBridgeTheSameCallIsReported() {
        StepVerifier.create(Mono.delay(Duration.ofMillis(1)).map(x -> {
                    parkBriefly();
                    return x;
                }))
                .verifyError(BlockingOperationError.class);
    }

    /** A deliberately blocking call (a timed wait parks the thread), to show where BlockHound objects. */
    private static void parkBriefly() {
        try {
            new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void errorsAndNullResultsSurfaceAsSignals() {
        StepVerifier.create(Blocking.call(() -> {
            throw new IOException("disk gone");
        })).verifyErrorMessage("disk gone");
        StepVerifier.create(Blocking.call(() -> null)).verifyComplete();
        StepVerifier.create(Blocking.run(() -> {
            throw new IOException("cannot write");
        })).verifyErrorMessage("cannot write");
    }

    @Test
    void runCompletesOnceTheWorkHasRun() {
        AtomicBoolean ran = new AtomicBoolean();
        StepVerifier.create(Blocking.run(() -> ran.set(true))).verifyComplete();
        assertThat(ran).isTrue();
    }

    @Test
    void nothingRunsBeforeSubscription() {
        AtomicBoolean ran = new AtomicBoolean();
        Mono<Boolean> lazy = Blocking.call(() -> ran.getAndSet(true));
        assertThat(ran).isFalse();
        StepVerifier.create(lazy).expectNext(false).verifyComplete();
    }

    @Test
    void cancellingInterruptsWorkInProgress() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Disposable running = Blocking.run(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }).subscribe();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        running.dispose();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the blocked call was interrupted").isTrue();
    }

    @Test
    void anOwnedSchedulerIsUsedWhenGiven() {
        Scheduler own = Schedulers.newBoundedElastic(2, 10, "own-io");
        try {
            StepVerifier.create(Blocking.on(own).submit(() -> Thread.currentThread().getName()))
                    .assertNext(name -> assertThat(name).startsWith("own-io"))
                    .verifyComplete();
            StepVerifier.create(Blocking.on(own).execute(() -> { })).verifyComplete();
        } finally {
            own.dispose();
        }
    }

    @Test
    void computeRunsOnTheParallelScheduler() {
        AtomicReference<String> thread = new AtomicReference<>();
        StepVerifier.create(Blocking.compute(() -> {
                    thread.set(Thread.currentThread().getName());
                    return 6 * 7;
                }))
                .expectNext(42)
                .verifyComplete();
        assertThat(thread.get()).startsWith("parallel");
    }
}
