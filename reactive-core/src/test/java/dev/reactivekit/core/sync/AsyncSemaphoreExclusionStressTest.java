package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * A cancel may arrive, from another thread, while a body's synchronous start is running on the thread that was
 * granted the permit. The permit must not go back before that start has returned: the bodies here do all their
 * work synchronously (a {@code Mono.fromCallable}) and count themselves in and out around it, so any overlap
 * beyond the permits shows.
 */
class AsyncSemaphoreExclusionStressTest {

    private static final int PERMITS = 10;
    private static final int CALLS = 10_000;

    @RepeatedTest(3)
    void aCancelledBodysSynchronousStartNeverOverlapsTheNextHolder() {
        AsyncSemaphore sem = AsyncSemaphore.builder(PERMITS).maxWaiters(CALLS).maxWait(null).build();
        assertExclusion(PERMITS, sem::withPermit);
    }

    @RepeatedTest(3)
    void aLockIsMutuallyExclusiveUnderRandomCancels() {
        AsyncLock lock = new AsyncLock(CALLS, null);
        assertExclusion(1, lock::withLock);
    }

    private static void assertExclusion(int permits, java.util.function.Function<Mono<Integer>, Mono<Integer>> guard) {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        // Callers and cancellers on threads of their own: timers on the callers' threads would only fire between
        // bodies, never during one.
        Scheduler callers = Schedulers.newParallel("exclusion-callers", 4);
        Scheduler cancellers = Schedulers.newParallel("exclusion-cancellers", 4);
        Flux<Integer> all = Flux.range(0, CALLS)
                .parallel(4)
                .runOn(callers)
                .flatMap(i -> {
                    Mono<Integer> body = Mono.fromCallable(() -> {
                        peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        spin(ThreadLocalRandom.current().nextInt(5_000, 50_000));
                        inside.decrementAndGet();
                        ran.incrementAndGet();
                        return i;
                    });
                    Mono<Integer> guarded = guard.apply(body);
                    if (ThreadLocalRandom.current().nextInt(2) == 0) {
                        // Half are cancelled from a timer thread after a random moment: while waiting, or while
                        // their body runs on the thread that was granted the permit.
                        long patience = ThreadLocalRandom.current().nextLong(0, 60_000);
                        guarded = guarded.timeout(Duration.ofNanos(patience), Mono.fromRunnable(cancelled::incrementAndGet),
                                cancellers);
                    }
                    return guarded;
                }, false, Integer.MAX_VALUE)
                .sequential();

        try {
            StepVerifier.create(all.then()).expectComplete().verify(Duration.ofSeconds(60));
        } finally {
            callers.dispose();
            cancellers.dispose();
        }

        assertThat(peak.get()).as("bodies running at once").isLessThanOrEqualTo(permits).isPositive();
        assertThat(inside).hasValue(0);
        assertThat(cancelled.get()).as("the test did cancel calls").isPositive();
        assertThat(ran.get()).as("bodies ran").isPositive();
    }

    /** Busy work of about {@code nanos}, without sleeping or yielding (BlockHound counts onSpinWait as blocking). */
    private static long spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long turns = 0;
        while (System.nanoTime() < end) {
            turns++;
        }
        return turns;
    }
}
