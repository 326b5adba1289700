package dev.reactivekit.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Many concurrent acquirers on real threads, a random share of them cancelled at random moments (while waiting,
 * just as they are granted, or while holding the permit).
 */
class AsyncSemaphoreStressTest {

    private static final int PERMITS = 10;
    private static final int ACQUIRERS = 10_000;

    @RepeatedTest(3)
    void permitsAreNeverExceededAndAllComeBack() {
        AsyncSemaphore sem = AsyncSemaphore.of(PERMITS);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();

        Flux<Integer> all = Flux.range(0, ACQUIRERS)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> {
                    Holding holding = new Holding(holders, peak);
                    Mono<Integer> work = Mono.fromRunnable(holding::enter)
                            .then(Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 50_000))))
                            .thenReturn(i)
                            // Counted out before the permit goes back, on every path.
                            .doOnTerminate(holding::leave)
                            .doOnCancel(holding::leave);
                    Mono<Integer> guarded = sem.withPermit(work);
                    if (ThreadLocalRandom.current().nextInt(3) == 0) {
                        // About a third are cancelled after a random short time, wherever they are by then.
                        long patience = ThreadLocalRandom.current().nextLong(0, 200_000);
                        guarded = guarded.timeout(Duration.ofNanos(patience), Mono.fromRunnable(cancelled::incrementAndGet));
                    }
                    // Counted after the timeout, which decides between the value and the cancellation.
                    return guarded.doOnNext(x -> completed.incrementAndGet());
                }, false, Integer.MAX_VALUE)
                .sequential();

        StepVerifier.create(all.then()).expectComplete().verify(Duration.ofSeconds(60));

        assertThat(peak.get()).as("never more holders than permits").isLessThanOrEqualTo(PERMITS).isPositive();
        assertThat(holders).hasValue(0);
        assertThat(sem.availablePermits()).as("every permit came back").isEqualTo(PERMITS);
        assertThat(sem.waiting()).isZero();
        assertThat(completed.get() + cancelled.get()).isEqualTo(ACQUIRERS);
        assertThat(cancelled.get()).as("the test did cancel acquirers").isPositive();
    }

    /**
     * One acquirer's stay in the guarded section, counted in and out exactly once: a cancel may race with the
     * completion (both callbacks then run) or arrive before the section is entered (then it never is).
     */
    private static final class Holding {
        private static final int OUTSIDE = 0;
        private static final int INSIDE = 1;
        private static final int DONE = 2;

        private final AtomicInteger state = new AtomicInteger(OUTSIDE);
        private final AtomicInteger holders;
        private final AtomicInteger peak;

        Holding(AtomicInteger holders, AtomicInteger peak) {
            this.holders = holders;
            this.peak = peak;
        }

        void enter() {
            if (state.compareAndSet(OUTSIDE, INSIDE)) {
                peak.accumulateAndGet(holders.incrementAndGet(), Math::max);
            }
        }

        void leave() {
            if (state.compareAndSet(INSIDE, DONE)) {
                holders.decrementAndGet();
            } else {
                state.compareAndSet(OUTSIDE, DONE);
            }
        }
    }
}
