package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.testing.InFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

class HttpFetcherFetchAllTest {

    static DisposableServer server;
    static HttpFetcher http;
    static String base;
    static final InFlight inFlight = new InFlight();

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/item/{id}", (req, res) -> res.sendString(inFlight.track(Mono.delay(Duration.ofMillis(50))
                                .thenReturn("item " + req.param("id")))))
                        .get("/status/{code}", (req, res) -> res.status(Integer.parseInt(req.param("code"))).send()))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    @Test
    void everyUrlGetsAnOutcomeInInputOrderIncludingMalformedOnes() {
        List<String> urls = List.of(base + "/item/1", "not a url", base + "/status/404", base + "/item/2");
        StepVerifier.create(http.fetchAll(urls, Concurrency.limit(10)))
                .assertNext(o -> assertThat(o.value().text()).isEqualTo("item 1"))
                .assertNext(o -> {
                    assertThat(o.isFailure()).isTrue();
                    assertThat(o.input()).isEqualTo("not a url");
                    assertThat(o.error()).isInstanceOf(InvalidUrlException.class).hasMessageContaining("'not a url'");
                })
                .assertNext(o -> assertThat(((HttpStatusException) o.error()).status()).isEqualTo(404))
                .assertNext(o -> assertThat(o.index()).isEqualTo(3))
                .verifyComplete();
    }

    @Test
    void concurrencyIsBounded() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            urls.add(base + "/item/" + i);
        }
        inFlight.resetPeak();
        StepVerifier.create(http.fetchAll(urls, Concurrency.limit(8)).filter(Outcome::isSuccess).count()).expectNext(60L).verifyComplete();
        assertThat(inFlight.peak()).isBetween(2, 8);
    }

    @Test
    void aPerHostSpecBoundsEachHost() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            urls.add(base + "/item/" + i);
        }
        inFlight.resetPeak();
        StepVerifier.create(http.fetchAll(urls, Concurrency.perKey(100, HttpFetcher::hostOf, 3))
                        .filter(Outcome::isSuccess).count())
                .expectNext(30L).verifyComplete();
        assertThat(inFlight.peak()).isBetween(2, 3);
    }

    @Test
    void whenThePoolBoundsWhatWasAskedItSaysSoOnceNamingTheSettings() {
        // The seeds' fetch_batch at 1,000 on a default fetcher: the pool allows 100 in all and 50 per host.
        HttpFetcher defaults = HttpFetcher.create();
        try (LogCapture log = LogCapture.of(HttpFetcher.class)) {
            FetchLimits limits = defaults.limitsFor(Concurrency.limit(1000));
            assertThat(limits).isEqualTo(new FetchLimits(1000, 1000, 100, 50, 100, 50));
            assertThat(limits.isBounded()).isTrue();
            List<String> urls = List.of(base + "/item/1", base + "/item/2");
            StepVerifier.create(defaults.fetchAll(urls, Concurrency.limit(1000)).count()).expectNext(2L).verifyComplete();
            StepVerifier.create(defaults.fetchAll(urls, Concurrency.limit(1000)).count()).expectNext(2L).verifyComplete();
            assertThat(log.lines()).hasSize(1).first().asString()
                    .startsWith("WARN HttpFetcher reactivekit-http-")
                    .contains("fetchAll asked for 1000 requests at once, but the pool runs at most 100 at once and 50 per"
                            + " host (maxConnections 100, maxConnectionsPerHost 50)")
                    .contains("TCPConnector(limit=n, limit_per_host=n)");
        } finally {
            defaults.close().block(Duration.ofSeconds(10));
        }
        HttpFetcher big = HttpFetcher.builder().maxConnections(1000).maxConnectionsPerHost(1000).build();
        try {
            assertThat(big.limitsFor(Concurrency.limit(1000)).isBounded()).as("raised limits fit the request").isFalse();
            assertThat(big.limitsFor(Concurrency.perKey(1000, HttpFetcher::hostOf, 10)))
                    .isEqualTo(new FetchLimits(1000, 10, 1000, 10, 1000, 1000));
        } finally {
            big.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void hostOfNamesHostAndPortWithTheDefaultPortFilledIn() {
        assertThat(HttpFetcher.hostOf("https://Example.COM/a?b=c")).isEqualTo("example.com:443");
        assertThat(HttpFetcher.hostOf("http://127.0.0.1:8080/x")).isEqualTo("127.0.0.1:8080");
        assertThat(HttpFetcher.hostOf("not a url")).isEqualTo("not a url");
    }
}
