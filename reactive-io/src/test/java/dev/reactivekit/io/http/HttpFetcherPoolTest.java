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
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

class HttpFetcherPoolTest {

    private DisposableServer server;
    private HttpFetcher http;
    private volatile Mono<Void> held = Mono.empty();

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
                        .get("/never", (req, res) -> res.sendString(Mono.never()))
                        .get("/held", (req, res) -> res.sendString(inFlight.track(Mono.defer(() -> held)
                                .thenReturn("done")))))
                .bindNow();
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void cancellingAThousandInFlightRequestsReturnsEveryConnection() {
        InFlight inFlight = new InFlight();
        String base = startSlowServer(inFlight);
        http = HttpFetcher.builder().maxConnections(200).maxConnectionsPerHost(200).maxWaiters(1000)
                .maxWait(Duration.ofSeconds(2)).retry(RetryPolicy.none()).build();
        Disposable all = Flux.range(0, 1000).flatMap(i -> http.get(base + "/never"), 1000).subscribe();
        assertThat(Await.until(() -> http.poolStats().inUse() == 200 && http.poolStats().waiting() == 800))
                .as(() -> "200 requests on the wire and 800 waiting: " + http.poolStats()).isTrue();
        all.dispose();
        assertThat(Await.until(() -> http.poolStats().inUse() == 0 && http.poolStats().waiting() == 0))
                .as(() -> "every connection released after the cancel: " + http.poolStats()).isTrue();
        // Every one of the 200 connections can be had again at once: a permit kept by a cancelled request would
        // leave fewer than 200 requests in flight together. They are held at the server until all have arrived.
        Sinks.Empty<Void> gate = Sinks.empty();
        held = gate.asMono();
        Mono<Long> again = Flux.range(0, 200).flatMap(i -> http.get(base + "/held").map(FetchResult::text), 200)
                .filter("done"::equals).count().cache();
        again.subscribe(n -> { }, e -> { });
        assertThat(Await.until(() -> inFlight.now() == 200))
                .as(() -> "all 200 connections in use together after the cancel: " + inFlight.now()).isTrue();
        gate.tryEmitEmpty();
        StepVerifier.create(again).expectNext(200L).verifyComplete();
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
        http = HttpFetcher.builder().maxConnections(2).maxConnectionsPerHost(2).maxWaiters(2)
                .retry(RetryPolicy.none()).build();
        StepVerifier.create(Flux.range(0, 8).flatMap(i -> http.get(base + "/slow")
                                .map(r -> "ok").onErrorResume(PoolTimeoutException.class, e -> Mono.just(e.getMessage())), 8)
                        .collectList())
                .assertNext(results -> {
                    assertThat(results).filteredOn("ok"::equals).hasSize(4);
                    assertThat(results).filteredOn(m -> !m.equals("ok")).hasSize(4)
                            .allSatisfy(m -> assertThat(m).contains("2 requests already waiting for a connection")
                                    .endsWith("(maxWaiters 2)"));
                })
                .verifyComplete();
    }

    @Test
    void aKeepAliveConnectionTheServerClosedIsRetriedOnceOnANewOne() {
        // A bare HTTP/1.1 server: it answers the first request on each connection and keeps the connection open,
        // but closes it without a word when a second request arrives on it, as a server whose keep-alive timeout
        // just expired does.
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        server = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    connections.incrementAndGet();
                    AtomicInteger requests = new AtomicInteger();
                    return in.receive().asString(StandardCharsets.US_ASCII)
                            .filter(chunk -> chunk.contains("\r\n\r\n"))
                            .concatMap(chunk -> requests.incrementAndGet() == 1
                                    ? out.sendString(Mono.just("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).then()
                                    : Mono.fromRunnable(dropped::incrementAndGet)
                                            .then(Mono.error(new IllegalStateException("close"))))
                            .then();
                })
                .bindNow();
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        String url = "http://127.0.0.1:" + server.port() + "/";
        StepVerifier.create(http.get(url).map(FetchResult::text)).expectNext("ok").verifyComplete();
        // The second request must go out on the first connection: wait until it is back in the pool.
        assertThat(Await.until(() -> http.poolStats().idle() == 1)).as(() -> "the connection is back: " + http.poolStats())
                .isTrue();
        StepVerifier.create(http.get(url).map(FetchResult::text))
                .expectNext("ok")
                .verifyComplete();
        assertThat(dropped).as("the second request was first sent on the kept-alive connection").hasValue(1);
        assertThat(connections).as("then resent on a new connection").hasValue(2);
    }
}
