package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** A closed fetcher refuses work; variants made with toBuilder() share the pool, reference-counted. */
class HttpFetcherCloseTest {

    private DisposableServer server;
    private String url;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                // Per channel: doOnConnection runs for every request of a keep-alive connection.
                .doOnChannelInit((observer, channel, address) -> {
                    opened.incrementAndGet();
                    open.incrementAndGet();
                    channel.closeFuture().addListener(closed -> open.decrementAndGet());
                })
                .route(r -> r.get("/", (req, res) -> res.sendString(Mono.just("ok")))
                        .get("/slow", (req, res) -> res.sendString(Mono.just("slow").delayElement(Duration.ofMillis(300)))))
                .bindNow();
        url = "http://127.0.0.1:" + server.port() + "/";
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    @Test
    void aClosedFetcherRefusesRequestsNamingItselfAndOpensNothing() {
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        StepVerifier.create(http.get(url).map(FetchResult::text)).expectNext("ok").verifyComplete();
        StepVerifier.create(http.close()).verifyComplete();
        assertThat(Await.until(() -> open.get() == 0)).as("its connections are closed").isTrue();
        int before = opened.get();
        StepVerifier.create(http.get(url))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessageMatching("HttpFetcher reactivekit-http-\\d+ is closed: cannot run GET " + url));
        StepVerifier.create(http.stream(HttpRequest.get(url))).verifyError(ClientClosedException.class);
        StepVerifier.create(http.download(url, java.nio.file.Path.of("never-written")))
                .verifyError(ClientClosedException.class);
        assertThat(opened).as("no new connection").hasValue(before);
        StepVerifier.create(http.close()).as("close is idempotent").verifyComplete();
        assertThat(http.isClosed()).isTrue();
    }

    @Test
    void closeWithAGraceLetsRequestsInFlightFinishButRefusesNewOnes() {
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        Mono<String> inFlight = http.get(url + "slow").map(FetchResult::text).cache();
        inFlight.subscribe();
        assertThat(Await.until(() -> http.poolStats().inUse() == 1)).isTrue();
        Mono<Void> closing = http.close(Duration.ofSeconds(10)).cache();
        closing.subscribe();
        StepVerifier.create(http.get(url)).verifyError(ClientClosedException.class);
        StepVerifier.create(inFlight).expectNext("slow").verifyComplete();
        StepVerifier.create(closing).verifyComplete();
        assertThat(Await.until(() -> open.get() == 0)).as("its connections are closed afterwards").isTrue();
    }

    @Test
    void closeWithAGraceTooShortAbortsTheRequestsStillInFlight() {
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        StepVerifier.create(http.get(url + "slow"))
                .then(() -> assertThat(Await.until(() -> http.poolStats().inUse() == 1)).isTrue())
                .then(() -> http.close(Duration.ofMillis(50)).subscribe())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessageEndingWith("is closed: cannot run GET " + url + "slow"))
                .verify(Duration.ofSeconds(10));
        assertThat(Await.until(() -> open.get() == 0)).isTrue();
    }

    @Test
    void closingOneVariantLeavesTheOthersWorkingOnTheSharedPool() {
        HttpFetcher root = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        HttpFetcher impatient = root.toBuilder().totalTimeout(Duration.ofSeconds(2)).build();
        StepVerifier.create(root.get(url)).expectNextCount(1).verifyComplete();
        assertThat(Await.until(() -> root.poolStats().idle() == 1)).isTrue();
        assertThat(impatient.poolStats()).as("one pool, seen by both").isEqualTo(root.poolStats());
        StepVerifier.create(impatient.get(url)).expectNextCount(1).verifyComplete();
        assertThat(opened).as("the variant reused the root's pooled connection").hasValue(1);

        root.close().block(Duration.ofSeconds(5));
        StepVerifier.create(root.get(url)).verifyError(ClientClosedException.class);
        StepVerifier.create(impatient.get(url).map(FetchResult::text)).expectNext("ok").verifyComplete();
        assertThat(open).as("the pool is still open for the variant").hasValue(1);

        impatient.close().block(Duration.ofSeconds(5));
        assertThat(Await.until(() -> open.get() == 0)).as("the last close closes the pool").isTrue();
        StepVerifier.create(impatient.get(url)).verifyError(ClientClosedException.class);
    }

    @Test
    void aVariantBuiltFromAClosedFetcherGetsAPoolOfItsOwn() {
        HttpFetcher root = HttpFetcher.create();
        root.close().block(Duration.ofSeconds(5));
        HttpFetcher later = root.toBuilder().build();
        StepVerifier.create(later.get(url).map(FetchResult::text)).expectNext("ok").verifyComplete();
        later.close().block(Duration.ofSeconds(5));
    }

    @Test
    void aVariantWithOtherPoolSettingsHasItsOwnPool() {
        HttpFetcher root = HttpFetcher.create();
        HttpFetcher wider = root.toBuilder().maxConnections(200).build();
        StepVerifier.create(root.get(url)).expectNextCount(1).verifyComplete();
        StepVerifier.create(wider.get(url)).expectNextCount(1).verifyComplete();
        assertThat(opened).hasValue(2);
        root.close().block(Duration.ofSeconds(5));
        StepVerifier.create(wider.get(url)).expectNextCount(1).verifyComplete();
        wider.close().block(Duration.ofSeconds(5));
        assertThat(Await.until(() -> open.get() == 0)).isTrue();
    }
}
