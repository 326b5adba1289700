package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.io.http.RequestBody;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@code httpbin} run as a user runs it, then called over HTTP as its users (demos, tests) call it. */
class HttpBinTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private static Cli.Running server;
    private static String base;
    private static HttpFetcher http;

    @BeforeAll
    static void start() {
        server = Cli.start("httpbin", "--port", "0", "--disallow", "/private,/deny");
        base = server.listeningUrl();
        http = HttpFetcher.builder().retry(dev.reactivekit.core.RetryPolicy.none()).maxRedirects(5).build();
    }

    @AfterAll
    static void stop() {
        http.close().block(WAIT);
        Cli.Result result = server.stop();
        assertThat(result.exit()).isZero();
        assertThat(result.err()).contains("stopped");
    }

    private static Map<String, Object> json(String path) {
        return http.get(base + path).block(WAIT).json(MAP);
    }

    @Test
    void itListensOnLoopbackAtAFreePort() {
        assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(server.out()).containsOnlyOnce("listening on " + base);
    }

    @Test
    void flakyAnswers503NTimesPerKeyThen200() {
        for (int i = 1; i <= 2; i++) {
            StepVerifier.create(http.send(HttpRequest.get(base + "/flaky/2/a").raw()))
                    .assertNext(r -> assertThat(r.status()).isEqualTo(503)).verifyComplete();
        }
        assertThat(json("/flaky/2/a")).containsEntry("attempt", 3).containsEntry("failed_before", 2);
        assertThat(status("/flaky/2/b")).as("another key counts on its own").isEqualTo(503);
        assertThat(status("/flaky/0/c")).isEqualTo(200);
        assertThat(status("/flaky/101/d")).isEqualTo(400);
    }

    private static int status(String path) {
        return http.send(HttpRequest.get(base + path).raw()).block(WAIT).status();
    }

    @Test
    @SuppressWarnings("unchecked")
    void getEchoesArgsAndHeaders() {
        Map<String, Object> reply = json("/get?a=1&b=two&b=three");
        assertThat(reply.get("args")).isEqualTo(Map.of("a", "1", "b", List.of("two", "three")));
        assertThat((Map<String, Object>) reply.get("headers")).containsEntry("User-Agent", HttpFetcher.DEFAULT_USER_AGENT);
        assertThat(reply.get("origin")).isEqualTo("127.0.0.1");
        assertThat(reply.get("url")).isEqualTo(base + "/get?a=1&b=two&b=three");
    }

    @Test
    void postAndAnythingEchoTheJsonBody() {
        FetchResult post = http.post(base + "/post", RequestBody.json(Map.of("name", "ada"))).block(WAIT);
        assertThat(post.json(MAP).get("json")).isEqualTo(Map.of("name", "ada"));
        Map<String, Object> anything = http.send(HttpRequest.of("PUT", base + "/anything/x/y")
                .body(RequestBody.text("plain"))).block(WAIT).json(MAP);
        assertThat(anything).containsEntry("method", "PUT").containsEntry("data", "plain");
    }

    @Test
    @SuppressWarnings("unchecked")
    void usersArePagedDeterministicAndChangeWithTheVersion() throws Exception {
        Map<String, Object> page3 = json("/users?page=3&size=40&total=100&invalid=7");
        assertThat(page3).containsEntry("page", 3).containsEntry("total", 100).containsEntry("pages", 3);
        List<Map<String, Object>> users = (List<Map<String, Object>>) page3.get("users");
        assertThat(users).extracting(u -> ((Number) u.get("id")).longValue())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(81, 100).boxed().toList());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(users.get(0)).isEqualTo(mapper.readValue(mapper.writeValueAsString(HttpBinService.user(81, 1, false)),
                Map.class));
        assertThat(users.get(3)).as("user 84, the 12th multiple of 7, has no email").doesNotContainKey("email");
        String again = http.send(HttpRequest.get(base + "/users?page=3&size=40&total=100&invalid=7")).block(WAIT).text();
        assertThat(http.send(HttpRequest.get(base + "/users?page=3&size=40&total=100&invalid=7")).block(WAIT).text())
                .as("the same bytes every time").isEqualTo(again);
        Map<String, Object> v2 = ((List<Map<String, Object>>) json("/users?page=3&size=40&total=100&version=2")
                .get("users")).get(0);
        assertThat(v2.get("id")).isEqualTo(81);
        assertThat(v2.get("email")).isNotEqualTo(users.get(0).get("email"));
        assertThat(http.send(HttpRequest.get(base + "/users?size=5000").raw()).block(WAIT).status()).isEqualTo(400);
    }

    @Test
    void statusRepliesWithOneOfTheCodesGiven() {
        FetchResult teapot = http.send(HttpRequest.get(base + "/status/418").raw()).block(WAIT);
        assertThat(teapot.status()).isEqualTo(418);
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(HttpRequest.get(base + "/status/500,503").raw()).block(WAIT).status()).isIn(500, 503);
        }
        assertThat(http.send(HttpRequest.get(base + "/status/200:1,500:0").raw()).block(WAIT).status()).isEqualTo(200);
        FetchResult bad = http.send(HttpRequest.get(base + "/status/99").raw()).block(WAIT);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("status code must be between 100 and 599");
    }

    @Test
    void bytesAreDeterministicFromTheSeed() {
        byte[] first = http.get(base + "/bytes/100000?seed=7").block(WAIT).body();
        assertThat(first).isEqualTo(HttpBinService.seededBytes(100_000, 7));
        assertThat(http.get(base + "/bytes/100000?seed=8").block(WAIT).body()).isNotEqualTo(first);
    }

    @Test
    void rangeServesTheRequestedBytesWith206() {
        FetchResult whole = http.get(base + "/range/100").block(WAIT);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.text()).startsWith("abcdefghijklmnopqrstuvwxyzabcd").hasSize(100);
        FetchResult part = http.send(HttpRequest.get(base + "/range/100").header("Range", "bytes=90-")).block(WAIT);
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.headers().first("Content-Range")).contains("bytes 90-99/100");
        assertThat(part.text()).isEqualTo("mnopqrstuv");
        FetchResult none = http.send(HttpRequest.get(base + "/range/100").header("Range", "bytes=100-").raw()).block(WAIT);
        assertThat(none.status()).isEqualTo(416);
        assertThat(HttpBinService.parseRange("bytes=-10", 100)).containsExactly(90, 99);
        assertThat(HttpBinService.parseRange("bytes=5-3", 100)).isNull();
        assertThat(HttpBinService.parseRange("items=0-1", 100)).isNull();
    }

    @Test
    void streamDripDelayAndRedirect() {
        assertThat(http.get(base + "/stream/5").block(WAIT).text().lines()).hasSize(5)
                .allMatch(line -> line.startsWith("{\"id\":"));
        FetchResult drip = http.get(base + "/drip?numbytes=50&duration=0.2").block(WAIT);
        assertThat(drip.body()).hasSize(50).containsOnly((byte) '*');
        StepVerifier.create(http.get(base + "/delay/0?ms=50").map(FetchResult::status)).expectNext(200).verifyComplete();
        FetchResult redirected = http.get(base + "/redirect/3").block(WAIT);
        assertThat(redirected.url()).isEqualTo(base + "/get");
    }

    @Test
    void linksRobotsAndTheCounter() {
        String page = http.get(base + "/links/5/2").block(WAIT).text();
        assertThat(page).contains("<title>Links 2</title>", "/links/5/3", "/links/5/0").doesNotContain("/links/5/2'");
        assertThat(http.get(base + "/robots.txt").block(WAIT).text())
                .isEqualTo("User-agent: *\nDisallow: /private\nDisallow: /deny\n");
        http.get(base + "/uuid").block(WAIT);
        http.get(base + "/uuid").block(WAIT);
        @SuppressWarnings("unchecked")
        Map<String, Number> hits = (Map<String, Number>) json("/counter").get("hits");
        assertThat(hits.get("/uuid").longValue()).isGreaterThanOrEqualTo(2);
        assertThat(hits).doesNotContainKey("/counter");
    }

    @Test
    void headersJsonHtmlAndUuid() {
        assertThat(json("/headers")).containsKey("headers");
        assertThat(json("/json")).containsKey("slideshow");
        assertThat(http.get(base + "/html").block(WAIT).text()).contains("Moby-Dick");
        assertThat((String) json("/uuid").get("uuid")).hasSize(36);
        assertThat(Arrays.asList(http.send(HttpRequest.get(base + "/nowhere").raw()).block(WAIT).status())).containsExactly(404);
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddress() {
        String port = base.substring(base.lastIndexOf(':') + 1);
        Cli.Result second = Cli.run("httpbin", "--port", port);
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err().strip()).isEqualTo("error: HTTP server cannot listen on 127.0.0.1:" + port
                + ": Address already in use");
    }

    @Test
    void aBadPortIsBadUsage() {
        Cli.Result result = Cli.run("httpbin", "--port", "70000");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("error: bad port 70000");
    }
}
