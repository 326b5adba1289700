package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.io.testing.UnansweredPort;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** Each of the four timeouts against a server that is slow in the corresponding way (sub-second, real time). */
class HttpFetcherTimeoutTest {

    static DisposableServer server;
    static String base;
    static HttpFetcher http;
    static final AtomicInteger connections = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnChannelInit((observer, channel, address) -> connections.incrementAndGet())
                .route(r -> r
                        .get("/fast", (req, res) -> res.sendString(Mono.just("fast")))
                        .get("/slow-headers", (req, res) -> res.sendString(Mono.delay(Duration.ofSeconds(2)).thenReturn("late")))
                        .get("/stalls", (req, res) -> res.sendString(Flux.concat(Mono.just("first part"), Mono.never())))
                        .get("/trickle", (req, res) -> res.sendString(Flux.interval(Duration.ofMillis(100)).take(20).map(i -> "."))))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.builder().retry(RetryPolicy.none())
                .connectTimeout(Duration.ofMillis(300)).responseTimeout(Duration.ofMillis(300))
                .readTimeout(Duration.ofMillis(300)).totalTimeout(Duration.ofMillis(800)).build();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    @Test
    void connectTimeoutWhenTheServerNeverCompletesTheHandshake() throws Exception {
        try (UnansweredPort silent = new UnansweredPort()) {
            String url = "http://127.0.0.1:" + silent.port() + "/";
            StepVerifier.create(http.get(url))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessage("GET " + url + ": connect timed out after 300ms"));
        }
    }

    @Test
    void responseTimeoutWhenHeadersAreLate() {
        StepVerifier.create(http.get(base + "/slow-headers"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("GET " + base + "/slow-headers: waiting for the response timed out after 300ms"));
    }

    @Test
    void readTimeoutWhenTheBodyStalls() {
        StepVerifier.create(http.get(base + "/stalls"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("GET " + base + "/stalls: waiting for data timed out after 300ms"));
    }

    @Test
    void aTimeoutIsTheCallersErrorAloneNotAWarningWithAStackTraceInTheLog() {
        try (LogCapture reactorNetty = LogCapture.of("reactor.netty.http.client.HttpClientConnect")) {
            StepVerifier.create(http.get(base + "/slow-headers")).expectError(OperationTimeoutException.class).verify();
            StepVerifier.create(http.get(base + "/stalls")).expectError(OperationTimeoutException.class).verify();
            assertThat(reactorNetty.lines()).isEmpty();
        }
    }

    @Test
    void theWaitsEndWithTheResponseSoAnIdlePooledConnectionIsKept() {
        // Longer idle than both timeouts (300 ms): a wait still armed would close the pooled connection.
        int before = connections.get();
        StepVerifier.create(http.get(base + "/fast").map(FetchResult::text)
                        .delayElement(Duration.ofMillis(400))
                        .then(http.get(base + "/fast")).map(FetchResult::text))
                .expectNext("fast")
                .verifyComplete();
        assertThat(connections.get() - before).as("both requests on one connection").isEqualTo(1);
    }

    @Test
    void totalTimeoutWhenTheBodyTricklesTooSlowly() {
        // Bytes arrive every 100 ms, so the read timeout never fires; 20 of them take longer than the total.
        StepVerifier.create(http.get(base + "/trickle"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                        .hasMessage("GET " + base + "/trickle timed out after 800ms"));
    }

    @Test
    void aPerRequestTimeoutOverridesTheDefault() {
        StepVerifier.create(http.send(HttpRequest.get(base + "/trickle").timeout(Duration.ofMillis(350))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessage("GET " + base + "/trickle timed out after 350ms"));
    }
}
