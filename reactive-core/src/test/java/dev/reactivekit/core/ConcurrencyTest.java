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
    void keyedPermitsAreReleasedAfterwards() {
        Concurrency<Integer> c = Concurrency.perKey(3, i -> i % 5, 1);
        StepVerifier.create(c.flatMap(Flux.range(0, 50), i -> Mono.just(i))).expectNextCount(50).verifyComplete();
        StepVerifier.create(c.flatMap(Flux.range(0, 50), i -> Mono.error(new IOException("x"))))
                .verifyErrorMessage("x");
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
        assertThatThrownBy(() -> Concurrency.limit(0)).hasMessage("`maxInFlight` must be > 0: 0");
        assertThatThrownBy(() -> Concurrency.perKey(2, x -> x, 0)).hasMessage("`maxPerKey` must be > 0: 0");
        assertThatThrownBy(() -> Concurrency.perKey(4, x -> x, 1).maxPending(2))
                .hasMessage("`maxPending` must be >= maxInFlight (4): 2");
        assertThatThrownBy(() -> Concurrency.inBatches(Flux.empty(), 0, Mono::just)).hasMessage("`batchSize` must be > 0: 0");
        assertThat(Concurrency.perKey(4, x -> x, 1)).hasToString("Concurrency[maxInFlight=4, maxPerKey=1, maxPending=16]");
        assertThat(Concurrency.limit(8).isPerKey()).isFalse();
    }
}
