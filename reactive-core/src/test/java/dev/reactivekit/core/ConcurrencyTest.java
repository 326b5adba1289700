package dev.reactivekit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.testing.Cancel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class ConcurrencyTest {

    /** Counts tasks in flight, overall and per key, and remembers the peaks. */
    static final class Gauge {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> peakPerKey = new ConcurrentHashMap<>();

        <T> Mono<T> track(String key, Mono<T> work) {
            return work.doOnSubscribe(s -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                int n = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                peakPerKey.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
            }).doOnTerminate(() -> {
                running.decrementAndGet();
                perKey.get(key).decrementAndGet();
            });
        }
    }

    private static String host(String url) {
        return url.substring(0, url.indexOf('/'));
    }

    @Test
    void globalLimitBoundsTheFanOut() {
        Gauge gauge = new Gauge();
        StepVerifier.withVirtualTime(() -> Concurrency.limit(4).flatMap(Flux.range(0, 20),
                        i -> gauge.track("k", Mono.delay(Duration.ofMillis(100)).thenReturn(i))))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .expectNextCount(20)
                .verifyComplete();
        assertThat(gauge.peak).hasValue(4);
    }

    @Test
    void perKeyLimitHoldsEachHostToItsShareWhileOtherHostsProceed() {
        Gauge gauge = new Gauge();
        List<String> urls = Flux.range(0, 12).map(i -> (i % 3 == 0 ? "slow.test" : "fast" + (i % 3) + ".test") + "/p" + i)
                .collectList().block();
        Concurrency<String> polite = Concurrency.perKey(6, ConcurrencyTest::host, 2);
        StepVerifier.withVirtualTime(() -> polite.flatMapSequential(Flux.fromIterable(urls),
                        url -> gauge.track(host(url), Mono.delay(Duration.ofMillis(host(url).equals("slow.test") ? 1000 : 10))
                                .thenReturn(url))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .expectNextSequence(urls)
                .verifyComplete();
        assertThat(gauge.peakPerKey.values()).allSatisfy(p -> assertThat(p).hasValueLessThanOrEqualTo(2));
        assertThat(gauge.peakPerKey.get("slow.test")).hasValue(2);
        assertThat(gauge.peak).hasValueLessThanOrEqualTo(6);
    }

    @Test
    void aBusyKeyDoesNotBlockOtherKeys() {
        // Four inputs for a host that never answers, then one for another host: the fifth must still run,
        // because inputs waiting for their key hold no global slot.
        Concurrency<String> c = Concurrency.perKey(2, ConcurrencyTest::host, 1);
        List<String> urls = List.of("stuck/1", "stuck/2", "stuck/3", "stuck/4", "ok/5");
        StepVerifier.withVirtualTime(() -> c.flatMap(Flux.fromIterable(urls),
                        url -> host(url).equals("stuck") ? Mono.never() : Mono.just(url)))
                .expectSubscription()
                .expectNext("ok/5")
                .thenCancel()
                .verify();
    }

    @Test
    void aKeysPermitIsReleasedAfterItsTaskFailsSoTheKeysNextTaskRuns() {
        // One permit per key and every other task failing: a permit kept by a failed task would leave the rest of
        // its key waiting forever, and the fan-out would never finish.
        Concurrency<Integer> c = Concurrency.perKey(3, i -> i % 5, 1);
        StepVerifier.create(Tasks.settled(Flux.range(0, 50),
                        i -> i % 2 == 0 ? Mono.<Integer>error(new IOException("x" + i)) : Mono.just(i), c)
                        .filter(Outcome::isFailure)
                        .count())
                .expectNext(25L)
                .verifyComplete();
    }

    @Test
    void aKeysPermitIsReleasedAfterItsTaskIsCancelled() {
        // The first task of key 0 never ends and is cancelled by its timeout: the key's next task must still run.
        Concurrency<Integer> c = Concurrency.perKey(2, i -> 0, 1);
        StepVerifier.withVirtualTime(() -> Tasks.settled(Flux.range(0, 2),
                                i -> i == 0 ? Mono.<Integer>never().timeout(Duration.ofSeconds(1)) : Mono.just(i), c)
                        .map(o -> o.isFailure() ? "failed" : "ok"))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("failed", "ok")
                .verifyComplete();
    }

    @Test
    void cancellingReleasesEverythingAndCancelsTheTasks() {
        PublisherProbe<Integer> probe = PublisherProbe.of(Mono.never());
        Cancel.afterStart(Concurrency.perKey(2, (Integer i) -> i, 1).flatMap(Flux.range(0, 3), i -> probe.mono()));
        probe.assertWasCancelled();
    }

    @Test
    void inBatchesRunsEachBatchTogetherAndTheNextOnlyAfterIt() {
        Gauge gauge = new Gauge();
        StepVerifier.withVirtualTime(() -> Concurrency.inBatches(Flux.range(1, 7), 3,
                        i -> gauge.track("k", Mono.just(i * 10).delayElement(Duration.ofMillis(100)))))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(100))
                .expectNext(List.of(10, 20, 30))
                .thenAwait(Duration.ofMillis(100))
                .expectNext(List.of(40, 50, 60))
                .thenAwait(Duration.ofMillis(100))
                .expectNext(List.of(70))
                .verifyComplete();
        assertThat(gauge.peak).hasValue(3);
    }

    @Test
    void inBatchesReportsTheFailingInputWithItsPositionInTheWholeInput() {
        StepVerifier.create(Concurrency.inBatches(Flux.range(0, 10), 4,
                        i -> i == 6 ? Mono.error(new IOException("six")) : Mono.just(i)))
                .expectNext(List.of(0, 1, 2, 3))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(TaskFailedException.class)
                        .hasMessage("task #6 (input: 6) failed: six"));
    }

    @Test
    void specsAreValidated() {
        assertThatThrownBy(() -> Concurrency.limit(0)).hasMessage("`maxConcurrency` must be > 0: 0");
        assertThatThrownBy(() -> Concurrency.perKey(2, x -> x, 0)).hasMessage("`maxPerKey` must be > 0: 0");
        assertThatThrownBy(() -> Concurrency.perKey(4, x -> x, 1).maxBuffered(2))
                .hasMessage("`maxBuffered` must be >= maxConcurrency (4): 2");
        assertThatThrownBy(() -> Concurrency.inBatches(Flux.empty(), 0, Mono::just)).hasMessage("`batchSize` must be > 0: 0");
        assertThat(Concurrency.perKey(4, x -> x, 1)).hasToString("Concurrency[maxConcurrency=4, maxPerKey=1, maxBuffered=16]");
        assertThat(Concurrency.limit(8).isPerKey()).isFalse();
    }

    @Test
    void limitedToFitsASpecIntoSmallerLimitsKeepingItsKey() {
        Concurrency<String> spec = Concurrency.perKey(1000, s -> s.substring(0, 1), 100);
        Concurrency<String> fitted = spec.limitedTo(50, 8);
        assertThat(fitted.maxConcurrency()).isEqualTo(50);
        assertThat(fitted.maxPerKey()).isEqualTo(8);
        assertThat(fitted.isPerKey()).isTrue();
        assertThat(fitted.maxBuffered()).isEqualTo(200);
        assertThat(spec.limitedTo(5000, 5000)).as("never raised").hasToString(spec.toString());
        assertThat(Concurrency.limit(10).limitedTo(4, 2)).hasToString("Concurrency[maxConcurrency=4]");
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        StepVerifier.withVirtualTime(() -> Concurrency.perKey(100, (Integer i) -> i % 2, 100).limitedTo(10, 3)
                        .flatMap(Flux.range(0, 40), i -> Mono.fromRunnable(() -> peak.accumulateAndGet(running.incrementAndGet(), Math::max))
                                .then(Mono.delay(Duration.ofSeconds(1))).doOnTerminate(running::decrementAndGet)))
                .thenAwait(Duration.ofSeconds(40))
                .expectNextCount(40)
                .verifyComplete();
        assertThat(peak.get()).as("3 per key, 2 keys").isEqualTo(6);
    }
}
