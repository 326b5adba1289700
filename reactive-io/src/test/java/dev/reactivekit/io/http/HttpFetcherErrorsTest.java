package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Failures;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.RetriesExhaustedException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.io.NetworkException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

class HttpFetcherErrorsTest {

    static DisposableServer server;
    static HttpFetcher http;
    static String base;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    static int hit(String path) {
        return hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    }

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/missing", (req, res) -> {
                            hit("/missing");
                            return res.status(404).sendString(Mono.just("no such thing"));
                        })
                        .get("/flaky", (req, res) -> hit("/flaky") == 1
                                ? res.status(503).sendString(Mono.just("busy, try again"))
                                : res.sendString(Mono.just("recovered")))
                        .get("/down", (req, res) -> {
                            hit("/down");
                            return res.status(500).sendString(Mono.just("x".repeat(1000)));
                        })
                        .post("/down", (req, res) -> {
                            hit("POST /down");
                            return res.status(503).send();
                        })
                        .get("/cut", (req, res) -> res.header("Content-Length", "1000")
                                .sendString(Mono.just("only part of it")).then()
                                .then(Mono.fromRunnable(() -> res.withConnection(c -> c.channel().close()))))
                        .get("/huge", (req, res) -> res.sendString(Mono.just("y".repeat(2048))))
                        .get("/huge-chunked", (req, res) -> res.sendString(Flux.range(0, 64).map(i -> "y".repeat(64)))))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.builder().retry(RetryPolicy.exponential(Duration.ofMillis(10)).maxAttempts(3).jitter(0)).build();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    @BeforeEach
    void reset() {
        hits.clear();
    }

    @Test
    void clientErrorsAreNotRetriedAndNameStatusUrlAndBody() {
        StepVerifier.create(http.get(base + "/missing"))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(HttpStatusException.class)
                            .hasMessage("GET " + base + "/missing failed: HTTP 404: no such thing");
                    HttpStatusException s = (HttpStatusException) e;
                    assertThat(s.status()).isEqualTo(404);
                    assertThat(s.url()).isEqualTo(base + "/missing");
                    assertThat(Failures.isTransient(e)).isFalse();
                });
        assertThat(hits.get("/missing")).hasValue(1);
    }

    @Test
    void serviceUnavailableThenOkIsRetriedToSuccess() {
        StepVerifier.create(http.get(base + "/flaky"))
                .assertNext(r -> {
                    assertThat(r.text()).isEqualTo("recovered");
                    assertThat(r.attempts()).isEqualTo(2);
                })
                .verifyComplete();
    }

    @Test
    void persistentServerErrorsExhaustTheRetriesWithTheLastCause() {
        StepVerifier.create(http.get(base + "/down"))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetriesExhaustedException.class)
                            .hasMessageStartingWith("GET " + base + "/down failed after 3 attempts: GET " + base + "/down failed: HTTP 500: xxx");
                    assertThat(((HttpStatusException) e.getCause()).bodyExcerpt()).hasSize(303).endsWith("...");
                });
        assertThat(hits.get("/down")).hasValue(3);
    }

    @Test
    void aPostIsNotRetriedUnlessAsked() {
        StepVerifier.create(http.post(base + "/down", RequestBody.text("x"))).verifyError(HttpStatusException.class);
        assertThat(hits.get("POST /down")).hasValue(1);
        StepVerifier.create(http.send(HttpRequest.post(base + "/down", RequestBody.text("x")).retryable(true)))
                .verifyError(RetriesExhaustedException.class);
        assertThat(hits.get("POST /down")).hasValue(4);
    }

    @Test
    void rawRequestsReturnAnyStatus() {
        StepVerifier.create(http.send(HttpRequest.get(base + "/missing").raw()).map(FetchResult::status))
                .expectNext(404)
                .verifyComplete();
    }

    @Test
    void malformedAndUnsupportedUrlsFailNamingTheUrl() {
        StepVerifier.create(http.get("ht tp://bad url"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessageStartingWith("malformed URL 'ht tp://bad url': "));
        StepVerifier.create(http.get("ftp://127.0.0.1/file"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessage("unsupported URL 'ftp://127.0.0.1/file': only absolute http and https URLs can be used here"));
        StepVerifier.create(http.get("/relative/path")).verifyError(InvalidUrlException.class);
        // A port out of range is the URL's fault, named as such, not Reactor Netty's bare IllegalArgumentException.
        StepVerifier.create(http.get("http://127.0.0.1:99999/x"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessage("malformed URL 'http://127.0.0.1:99999/x': port 99999 is out of range (1-65535)"));
    }

    @Test
    void aRefusedConnectionNamesTheRequest() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/";
        StepVerifier.create(http.toBuilder().retry(RetryPolicy.none()).build().get(url))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(NetworkException.class)
                            .hasMessageStartingWith("GET " + url + ": connection refused");
                    assertThat(Failures.isTransient(e)).isTrue();
                });
    }

    @Test
    void aServerThatClosesMidResponseIsAReportedNetworkError() {
        StepVerifier.create(http.toBuilder().retry(RetryPolicy.none()).build().get(base + "/cut"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                        .hasMessageContaining("GET " + base + "/cut: ")
                        .hasMessageContaining("closed"));
    }

    @Test
    void anOversizedBodyIsRefusedWithTheLimitNamed() {
        HttpFetcher small = http.toBuilder().maxBodySize(1024).build();
        StepVerifier.create(small.get(base + "/huge"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessage("the response of GET " + base + "/huge is larger than the limit of 1024 bytes (at least 2048 bytes; maxBodySize)"));
        StepVerifier.create(small.get(base + "/huge-chunked"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("larger than the limit of 1024 bytes"));
        // The connection goes back (closed, as its body was not read to the end) on its event loop, just after.
        assertThat(Await.until(() -> small.poolStats().inUse() == 0)).as("connection released").isTrue();
    }

    @Test
    void aHeaderThatWouldSplitTheRequestIsRefusedAtCallTime() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpRequest.get(base + "/x").header("X-Id", "a\r\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of header 'X-Id' contains a line break or NUL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpRequest.get(base + "/x").header("Bad Name", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a valid header name: 'Bad Name'");
    }
}
