package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Outcome;
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
        StepVerifier.create(http.fetchAll(urls, 10))
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
        StepVerifier.create(http.fetchAll(urls, 8).filter(Outcome::isSuccess).count()).expectNext(60L).verifyComplete();
        assertThat(inFlight.peak()).isBetween(2, 8);
    }
}
