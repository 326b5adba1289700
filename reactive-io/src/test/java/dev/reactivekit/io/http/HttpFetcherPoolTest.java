package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.io.testing.InFlight;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

class HttpFetcherPoolTest {

    private DisposableServer server;
    private HttpFetcher http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close().block(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.disposeNow();
        }
    }

    private String startSlowServer(InFlight inFlight) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/slow", (req, res) -> res.sendString(inFlight.track(Mono.delay(Duration.ofMillis(200))
                        .thenReturn("done"))))
                        .get("/never", (req, res) -> res.sendString(Mono.never())))
                .bindNow();
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void cancellingAThousandInFlightRequestsReturnsEveryConnection() {
        String base = startSlowServer(new InFlight());
        http = HttpFetcher.builder().maxConnections(200).maxConnectionsPerHost(200).maxPendingAcquires(1000).build();
        Disposable all = Flux.range(0, 1000).flatMap(i -> http.get(base + "/never"), 1000).subscribe();
        assertThat(Await.until(() -> http.poolStats().acquired() == 200)).as("200 requests on the wire").isTrue();
        all.dispose();
        assertThat(Await.until(() -> http.poolStats().acquired() == 0 && http.poolStats().pending() == 0))
                .as("every connection released after the cancel: " + http.poolStats()).isTrue();
    }

    @Test
    void thePerHostLimitBoundsConnectionsToOneServer() {
        InFlight inFlight = new InFlight();
        String base = startSlowServer(inFlight);
        http = HttpFetcher.builder().maxConnectionsPerHost(4).build();
        StepVerifier.create(Flux.range(0, 20).flatMap(i -> http.get(base + "/slow"), 20).count())
                .expectNext(20L)
                .verifyComplete();
        assertThat(inFlight.peak()).isEqualTo(4);
    }

    @Test
    void aFullWaitQueueFailsAtOnceWithThePoolNamed() {
        String base = startSlowServer(new InFlight());
        http = HttpFetcher.builder().maxConnections(2).maxConnectionsPerHost(2).maxPendingAcquires(2)
                .retry(RetryPolicy.none()).build();
        StepVerifier.create(Flux.range(0, 8).flatMap(i -> http.get(base + "/slow")
                                .map(r -> "ok").onErrorResume(PoolTimeoutException.class, e -> Mono.just(e.getMessage())), 8)
                        .collectList())
                .assertNext(results -> {
                    assertThat(results).filteredOn("ok"::equals).hasSize(4);
                    assertThat(results).filteredOn(m -> !m.equals("ok")).hasSize(4)
                            .allSatisfy(m -> assertThat(m).contains("too many requests already waiting for a connection"));
                })
                .verifyComplete();
    }

    @Test
    void aKeepAliveConnectionTheServerClosedIsRetriedOnceOnANewOne() {
        // A bare HTTP/1.1 server: it answers the first request on each connection and keeps the connection open,
        // but closes it without a word when a second request arrives on it, as a server whose keep-alive timeout
        // just expired does.
        AtomicInteger connections = new AtomicInteger();
        server = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    connections.incrementAndGet();
                    AtomicInteger requests = new AtomicInteger();
                    return in.receive().asString(StandardCharsets.US_ASCII)
                            .filter(chunk -> chunk.contains("\r\n\r\n"))
                            .concatMap(chunk -> requests.incrementAndGet() == 1
                                    ? out.sendString(Mono.just("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).then()
                                    : Mono.error(new IllegalStateException("close")))
                            .then();
                })
                .bindNow();
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        String url = "http://127.0.0.1:" + server.port() + "/";
        // The pause lets the first connection go back to the pool, so that the second request is sent on it.
        StepVerifier.create(http.get(url).then(Mono.delay(Duration.ofMillis(200))).then(http.get(url)).map(FetchResult::text))
                .expectNext("ok")
                .verifyComplete();
        assertThat(connections).as("the second request was resent on a new connection").hasValue(2);
    }
}
