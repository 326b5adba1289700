package dev.reactivekit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Intervals cancelled from a non-blocking thread while their scheduler's thread keeps taking the same queue's lock:
 * without the allowance, BlockHound (installed in every test JVM) reports the cancel's wait for that lock.
 */
class ReactorBlockHoundAllowancesTest {

    @Test
    void cancellingIntervalsFromANonBlockingThreadIsNotReportedAsBlocking() throws Exception {
        Scheduler busy = Schedulers.newSingle("busy-intervals");
        List<Disposable> noise = new CopyOnWriteArrayList<>();
        try {
            // Keep the scheduler's thread in its queue: 50 intervals firing every millisecond.
            for (int i = 0; i < 50; i++) {
                noise.add(Flux.interval(Duration.ofMillis(1), busy).subscribe());
            }
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            // A parallel thread is a non-blocking one for BlockHound, as an event loop is.
            Schedulers.parallel().schedule(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        Disposable interval = Flux.interval(Duration.ofMillis(1), busy).subscribe();
                        try {
                            interval.dispose();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            done.get(60, TimeUnit.SECONDS);
            assertThat(errors).isEmpty();
        } finally {
            noise.forEach(Disposable::dispose);
            busy.dispose();
        }
    }
}
