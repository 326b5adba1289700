package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reactivekit.core.testing.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

class HttpFetcherBasicsTest {

    static DisposableServer server;
    static HttpFetcher http;
    static String base;

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0).compress(true)
                .route(r -> r
                        .get("/text", (req, res) -> res.header("Content-Type", "text/plain; charset=utf-8").sendString(Mono.just("héllo")))
                        .get("/json", (req, res) -> res.header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"name\":\"ada\",\"langs\":[\"en\",\"fr\"]}")))
                        .get("/list", (req, res) -> res.sendString(Mono.just("[{\"name\":\"a\"},{\"name\":\"b\"}]")))
                        .post("/echo", (req, res) -> res.header("Content-Type", req.requestHeaders().get("Content-Type"))
                                .send(req.receive().retain()))
                        .put("/echo", (req, res) -> res.send(req.receive().retain()))
                        .delete("/thing", (req, res) -> res.status(204).send())
                        .get("/headers", (req, res) -> res.sendString(Mono.just(req.requestHeaders().get("User-Agent") + "|"
                                + req.requestHeaders().get("X-Custom"))))
                        .get("/big", (req, res) -> res.sendString(Mono.just("z".repeat(100_000))))
                        .get("/redirect", (req, res) -> res.sendRedirect("/text"))
                        .get("/loop", (req, res) -> res.sendRedirect("/loop"))
                        .get("/chunks", (req, res) -> res.sendString(Flux.range(0, 5).map(i -> "chunk" + i + ";")))
                        .route(req -> req.method().name().equals("HEAD") && req.uri().equals("/text"),
                                (req, res) -> res.header("Content-Length", "6").send()))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.create();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    @Test
    void getTextWithItsCharset() {
        StepVerifier.create(http.get(base + "/text"))
                .assertNext(r -> {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.text()).isEqualTo("héllo");
                    assertThat(r.url()).isEqualTo(base + "/text");
                    assertThat(r.attempts()).isEqualTo(1);
                    assertThat(r.elapsed()).isPositive();
                    assertThat(r.headers().first("content-type")).contains("text/plain; charset=utf-8");
                })
                .verifyComplete();
    }

    @Test
    void jsonIntoClassesAndGenericTypes() {
        record Person(String name, List<String> langs) {
        }
        StepVerifier.create(http.get(base + "/json").map(r -> r.json(Person.class)))
                .expectNext(new Person("ada", List.of("en", "fr")))
                .verifyComplete();
        StepVerifier.create(http.get(base + "/list").map(r -> r.json(new TypeReference<List<Map<String, String>>>() { })))
                .expectNext(List.of(Map.of("name", "a"), Map.of("name", "b")))
                .verifyComplete();
        // A body of another shape is a typed error naming the URL and the type (it was UncheckedIOException).
        StepVerifier.create(http.get(base + "/list").map(r -> r.json(Person.class)))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidBodyException.class)
                        .hasMessageStartingWith("the body of " + base + "/list is not JSON for Person: "));
    }

    @Test
    void postPutAndDeleteSendTheirBodies() {
        StepVerifier.create(http.post(base + "/echo", RequestBody.json(Map.of("key", "value"))))
                .assertNext(r -> {
                    assertThat(r.text()).isEqualTo("{\"key\":\"value\"}");
                    assertThat(r.headers().first("Content-Type")).contains("application/json");
                })
                .verifyComplete();
        StepVerifier.create(http.put(base + "/echo", RequestBody.bytes(new byte[] {1, 2, 3})).map(FetchResult::body))
                .assertNext(b -> assertThat(b).containsExactly(1, 2, 3))
                .verifyComplete();
        StepVerifier.create(http.delete(base + "/thing").map(FetchResult::status)).expectNext(204).verifyComplete();
        Flux<ByteBuffer> streamed = Flux.range(0, 3).map(i -> ByteBuffer.wrap(("part" + i).getBytes(StandardCharsets.UTF_8)));
        StepVerifier.create(http.send(HttpRequest.post(base + "/echo", RequestBody.stream(streamed, "text/plain"))).map(FetchResult::text))
                .expectNext("part0part1part2")
                .verifyComplete();
    }

    @Test
    void headReturnsHeadersWithoutBody() {
        StepVerifier.create(http.head(base + "/text"))
                .assertNext(r -> assertThat(r.length()).isZero())
                .verifyComplete();
    }

    @Test
    void defaultAndRequestHeadersAreSent() {
        StepVerifier.create(http.send(HttpRequest.get(base + "/headers").header("X-Custom", "yes")).map(FetchResult::text))
                .expectNext(HttpFetcher.DEFAULT_USER_AGENT + "|yes")
                .verifyComplete();
        HttpFetcher custom = http.toBuilder().userAgent("crawler/1").defaultHeaders(Headers.of("X-Custom", "default")).build();
        StepVerifier.create(custom.get(base + "/headers").map(FetchResult::text)).expectNext("crawler/1|default").verifyComplete();
    }

    @Test
    void compressedResponsesAreDecompressed() {
        StepVerifier.create(http.get(base + "/big"))
                .assertNext(r -> assertThat(r.text()).hasSize(100_000).matches("z+"))
                .verifyComplete();
    }

    @Test
    void redirectsAreFollowedAndBounded() {
        StepVerifier.create(http.get(base + "/redirect"))
                .assertNext(r -> {
                    assertThat(r.text()).isEqualTo("héllo");
                    assertThat(r.url()).isEqualTo(base + "/text");
                })
                .verifyComplete();
        StepVerifier.create(http.toBuilder().maxRedirects(3).retry(dev.reactivekit.core.RetryPolicy.none()).build().get(base + "/loop"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(HttpStatusException.class)
                        .hasMessageStartingWith("GET " + base + "/loop failed: HTTP 302"));
    }

    @Test
    void streamingBodyArrivesInChunks() {
        StepVerifier.create(http.stream(HttpRequest.get(base + "/chunks"))
                        .map(b -> StandardCharsets.UTF_8.decode(b).toString())
                        .reduce(String::concat))
                .expectNext("chunk0;chunk1;chunk2;chunk3;chunk4;")
                .verifyComplete();
    }

    @Test
    void twoHundredConcurrentRequests() {
        StepVerifier.create(Flux.range(0, 200).flatMap(i -> http.get(base + "/text"), 200).count())
                .expectNext(200L)
                .verifyComplete();
        assertThat(Await.until(() -> http.poolStats().inUse() == 0)).as("connections released").isTrue();
    }
}
