package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.LogCapture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class HttpServiceTest {

    record Greeting(String name, int times) {
    }

    static RunningService server;
    static HttpFetcher http;
    static final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = HttpService.builder().port(0).maxRequestBodySize(1024)
                .get("/hello", req -> Mono.just(ServerReply.text("hello")))
                .get("/users/{id}", req -> Mono.just(ServerReply.json(Map.of("id", req.pathParam("id"),
                        "verbose", req.queryParam("verbose").orElse("no"), "tags", req.queryParams("tag")))))
                .post("/greet", req -> req.bodyJson(Greeting.class)
                        .map(g -> ServerReply.json(Map.of("greeting", ("hi " + g.name() + " ").repeat(g.times()).strip()))))
                .post("/count", req -> {
                    handled.incrementAndGet();
                    return req.bodyBytes().map(b -> ServerReply.text(String.valueOf(b.length)));
                })
                .put("/stream-in", req -> req.body().map(ByteBuffer::remaining).reduce(0, Integer::sum)
                        .map(n -> ServerReply.text(String.valueOf(n))))
                .get("/numbers", req -> Mono.just(ServerReply.stream(Flux.range(1, 5)
                        .map(i -> ByteBuffer.wrap((i + "\n").getBytes(StandardCharsets.UTF_8))), "text/plain")))
                .get("/teapot", req -> Mono.error(new ResponseStatusException(418, "I'm a teapot")))
                .get("/bug", req -> Mono.error(new IllegalStateException("secret detail")))
                .delete("/things/{id}", req -> Mono.empty())
                .get("/headers", req -> Mono.just(ServerReply.text(req.header("X-Trace").orElse("none"))
                        .header("X-Served-By", "reactivekit").status(201)))
                .build()
                .start()
                .block(Duration.ofSeconds(10));
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(5));
        server.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    @Test
    void textAndStatusAndHeaders() {
        StepVerifier.create(http.get(server.url("/hello")).map(FetchResult::text)).expectNext("hello").verifyComplete();
        StepVerifier.create(http.send(HttpRequest.get(server.url("/headers")).header("X-Trace", "t-1")))
                .assertNext(r -> {
                    assertThat(r.status()).isEqualTo(201);
                    assertThat(r.text()).isEqualTo("t-1");
                    assertThat(r.headers().first("x-served-by")).contains("reactivekit");
                })
                .verifyComplete();
    }

    @Test
    void pathAndQueryParameters() {
        StepVerifier.create(http.get(server.url("/users/42?verbose=yes&tag=a&tag=b%20c")).map(r -> r.json(Map.class)))
                .expectNext(Map.of("id", "42", "verbose", "yes", "tags", java.util.List.of("a", "b c")))
                .verifyComplete();
    }

    @Test
    void jsonInAndOut() {
        StepVerifier.create(http.post(server.url("/greet"), RequestBody.json(new Greeting("ada", 2))).map(r -> r.json(Map.class)))
                .expectNext(Map.of("greeting", "hi ada hi ada"))
                .verifyComplete();
    }

    @Test
    void malformedJsonIsABadRequest() {
        StepVerifier.create(http.post(server.url("/greet"), RequestBody.bytes("{nope".getBytes(), "application/json")))
                .verifyErrorSatisfies(e -> {
                    assertThat(((HttpStatusException) e).status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("malformed JSON body");
                });
    }

    @Test
    void streamingResponsesAndStreamingRequestBodies() {
        StepVerifier.create(http.get(server.url("/numbers")).map(FetchResult::text)).expectNext("1\n2\n3\n4\n5\n").verifyComplete();
        Flux<ByteBuffer> chunks = Flux.range(0, 10).map(i -> ByteBuffer.wrap(new byte[100]));
        StepVerifier.create(http.send(HttpRequest.put(server.url("/stream-in"), RequestBody.stream(chunks, "application/octet-stream")))
                        .map(FetchResult::text))
                .expectNext("1000")
                .verifyComplete();
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() {
        int before = handled.get();
        StepVerifier.create(http.post(server.url("/count"), RequestBody.bytes(new byte[2000])))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("HTTP 413: request body of 2000 bytes is over the limit of 1024 bytes"));
        assertThat(handled.get()).as("refused before the handler ran").isEqualTo(before);
        Flux<ByteBuffer> chunked = Flux.range(0, 20).map(i -> ByteBuffer.wrap(new byte[100]));
        StepVerifier.create(http.send(HttpRequest.post(server.url("/count"), RequestBody.stream(chunked, "application/octet-stream"))))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("HTTP 413: the body of POST /count is larger than the limit of 1024 bytes"));
    }

    @Test
    void handlerErrorsBecomeStatuses() {
        StepVerifier.create(http.get(server.url("/teapot")))
                .verifyErrorSatisfies(e -> assertThat(e).hasMessageEndingWith("HTTP 418: I'm a teapot"));
        try (LogCapture log = LogCapture.of(HttpService.class)) {
            StepVerifier.create(http.get(server.url("/bug")))
                    .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("HTTP 500: internal server error (request ")
                            .hasMessageNotContaining("secret"));
            assertThat(log.lines()).singleElement().asString().startsWith("ERROR GET /bug failed (request ")
                    .endsWith("| secret detail");
        }
    }

    @Test
    void unknownRoutesAre404AndEmptyRepliesAre204() {
        StepVerifier.create(http.get(server.url("/nowhere")))
                .verifyErrorSatisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(404));
        StepVerifier.create(http.delete(server.url("/things/1")).map(FetchResult::status)).expectNext(204).verifyComplete();
    }

    @Test
    void twoHundredConcurrentRequests() {
        StepVerifier.create(Flux.range(0, 200).flatMap(i -> http.get(server.url("/hello")), 200).count())
                .expectNext(200L)
                .verifyComplete();
    }

    @Test
    void compressionIsOptIn() {
        String body = "compress me ".repeat(200);
        RunningService compressing = HttpService.builder().port(0).compress(true)
                .get("/big", req -> Mono.just(ServerReply.text(body)))
                .build().start().block(Duration.ofSeconds(10));
        try {
            // A raw client that asks for gzip but does not decode it, so the wire encoding is visible.
            reactor.netty.http.client.HttpClient raw = reactor.netty.http.client.HttpClient.create()
                    .headers(h -> h.set("Accept-Encoding", "gzip"));
            StepVerifier.create(raw.get().uri(compressing.url("/big")).responseSingle((res, bytes) -> bytes.asByteArray()
                            .map(b -> res.responseHeaders().get("Content-Encoding") + " " + (b.length < body.length()))))
                    .expectNext("gzip true")
                    .verifyComplete();
            StepVerifier.create(raw.get().uri(server.url("/hello")).responseSingle((res, bytes) -> bytes.asString()
                            .map(text -> res.responseHeaders().get("Content-Encoding") + " " + text)))
                    .expectNext("null hello")
                    .verifyComplete();
        } finally {
            compressing.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }
}
