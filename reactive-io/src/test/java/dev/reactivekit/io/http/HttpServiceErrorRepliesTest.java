package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.LogCapture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A handler that calls an upstream and fails must not echo the upstream's status, URL (query secrets included)
 * or body to its own caller: only errors made for the reply set the status.
 */
class HttpServiceErrorRepliesTest {

    static DisposableServer upstream;
    static RunningService proxy;
    static HttpFetcher toUpstream;
    static HttpFetcher client;

    @BeforeAll
    static void start() {
        upstream = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/private", (req, res) -> res.status(401).sendString(Mono.just("token abc123 is not valid")))
                        .get("/huge", (req, res) -> res.sendString(Mono.just("x".repeat(10_000)))))
                .bindNow();
        String base = "http://127.0.0.1:" + upstream.port();
        toUpstream = HttpFetcher.builder().retry(RetryPolicy.none()).maxBodySize(1_000).build();
        proxy = HttpService.builder().port(0).maxRequestBodySize(100)
                .get("/via-upstream", req -> toUpstream.get(base + "/private?api_key=SECRET").map(r -> ServerReply.text(r.text())))
                .get("/upstream-down", req -> toUpstream.get("http://127.0.0.1:1/closed").map(r -> ServerReply.text(r.text())))
                .get("/upstream-too-big", req -> toUpstream.get(base + "/huge").map(r -> ServerReply.text(r.text())))
                .get("/bug", req -> Mono.error(new IllegalStateException("internal detail")))
                .get("/missing", req -> Mono.error(new ResponseStatusException(404, "no user 42")))
                .post("/echo", req -> req.bodyText().map(ServerReply::text))
                .post("/json", req -> req.bodyJson(Map.class).map(ServerReply::json))
                .build().start().block(Duration.ofSeconds(10));
        client = HttpFetcher.builder().retry(RetryPolicy.none()).build();
    }

    @AfterAll
    static void stop() {
        client.close().block(Duration.ofSeconds(10));
        toUpstream.close().block(Duration.ofSeconds(10));
        proxy.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        upstream.disposeNow();
    }

    private static FetchResult raw(String path) {
        return client.send(HttpRequest.get(proxy.url(path)).raw()).block(Duration.ofSeconds(10));
    }

    @Test
    void anUpstreamErrorIsABadGatewayThatShowsNothingOfTheUpstream() {
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            FetchResult reply = raw("/via-upstream");
            assertThat(reply.status()).isEqualTo(502);
            String id = reply.headers().first("X-Request-Id").orElseThrow();
            assertThat(reply.text()).isEqualTo("bad gateway (request " + id + ")")
                    .doesNotContain("SECRET").doesNotContain("abc123").doesNotContain("401");
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN GET /via-upstream failed (request " + id + "): an upstream answered with an error")
                    .contains("HTTP 401");
        }
    }

    @Test
    void aTransientFailureIsServiceUnavailable() {
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            FetchResult reply = raw("/upstream-down");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.text()).startsWith("service unavailable (request ").doesNotContain("127.0.0.1:1");
            assertThat(log.lines()).singleElement().asString().contains("a transient failure");
        }
    }

    @Test
    void anUpstreamBodyOverItsLimitIsNotTakenForTheRequestsOwn() {
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            FetchResult reply = raw("/upstream-too-big");
            assertThat(reply.status()).as("not 413: the client's request was fine").isEqualTo(500);
            assertThat(reply.text()).startsWith("internal server error (request ");
            assertThat(log.lines()).singleElement().asString().startsWith("ERROR ")
                    .contains("(at least 10000 bytes; maxBodySize)");
        }
    }

    @Test
    void anythingElseIsAnInternalErrorWithTheDetailInTheLogOnly() {
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            FetchResult reply = client.send(HttpRequest.get(proxy.url("/bug")).header("X-Request-Id", "trace-7").raw())
                    .block(Duration.ofSeconds(10));
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.text()).isEqualTo("internal server error (request trace-7)");
            assertThat(reply.headers().first("X-Request-Id")).contains("trace-7");
            assertThat(log.lines()).singleElement().asString()
                    .isEqualTo("ERROR GET /bug failed (request trace-7) | internal detail");
        }
    }

    @Test
    void aRequestIdThatIsNotPlainIsReplacedByOneOfOurOwn() {
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            FetchResult reply = client.send(HttpRequest.get(proxy.url("/bug")).header("X-Request-Id", "forged <script> FAKE LOG LINE").raw())
                    .block(Duration.ofSeconds(10));
            assertThat(reply.headers().first("X-Request-Id").orElseThrow()).matches("[0-9a-f]{16}");
            assertThat(log.lines()).singleElement().asString().doesNotContain("FAKE");
        }
    }

    @Test
    void errorsMadeForTheReplyKeepTheirStatusAndMessage() {
        FetchResult missing = raw("/missing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("no user 42");
        FetchResult badJson = client.send(HttpRequest.post(proxy.url("/json"), RequestBody.text("{not json")).raw())
                .block(Duration.ofSeconds(10));
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.text()).startsWith("malformed JSON body: ");
        FetchResult tooBig = client.send(HttpRequest.post(proxy.url("/echo"), RequestBody.text("y".repeat(500))).raw())
                .block(Duration.ofSeconds(10));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.text()).contains("over the limit of 100 bytes (maxRequestBodySize)");
    }

    @Test
    void aStreamedBodyOverTheLimitIsA413NamingTheSetting() {
        // No Content-Length: the limit is found while reading, by the request's own reader.
        FetchResult reply = client.send(HttpRequest.post(proxy.url("/echo"),
                        RequestBody.stream(reactor.core.publisher.Flux.range(0, 20)
                                .map(i -> java.nio.ByteBuffer.wrap("0123456789".getBytes())), "text/plain")).raw())
                .block(Duration.ofSeconds(10));
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.text()).contains("larger than the limit of 100 bytes").endsWith("maxRequestBodySize)");
    }
}
