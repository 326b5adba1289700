package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch} against a real local httpbin. */
class FetchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Running httpbin;
    private static String base;

    @BeforeAll
    static void start() {
        httpbin = Cli.start("httpbin", "--port", "0");
        base = httpbin.listeningUrl();
    }

    @AfterAll
    static void stop() {
        assertThat(httpbin.stop().exit()).isZero();
    }

    private static List<JsonNode> lines(String out) {
        return out.lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }).toList();
    }

    @Test
    void oneRowPerUrlInInputOrderThenTheSummary() {
        Cli.Result result = Cli.run("fetch", base + "/delay/0?ms=300", base + "/bytes/1234?seed=1", base + "/status/404",
                "--concurrency", "3");
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        List<String> rows = result.out().lines().toList();
        assertThat(rows.get(0)).startsWith("url").contains("status", "bytes", "time", "attempts", "error");
        assertThat(rows.get(2)).startsWith(base + "/delay/0?ms=300").contains(" 200 ");
        assertThat(rows.get(3)).startsWith(base + "/bytes/1234?seed=1").contains(" 200 ", " 1234 ");
        assertThat(rows.get(4)).startsWith(base + "/status/404").contains(" 404 ", "HTTP 404");
        assertThat(result.out()).contains("2 ok, 1 failed in ").contains("requests/s, p50 ");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithBackoffButClientErrorsAreNot() {
        Cli.Result result = Cli.run("fetch", base + "/status/503", base + "/status/400", "--retries", "2", "--json");
        assertThat(result.exit()).isEqualTo(1);
        List<JsonNode> lines = lines(result.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("status").asInt()).isEqualTo(503);
        assertThat(lines.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(lines.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(lines.get(1).get("attempts").asInt()).isEqualTo(1);
        assertThat(lines.get(2).get("summary").asBoolean()).isTrue();
        assertThat(lines.get(2).get("failed").asInt()).isEqualTo(2);
    }

    @Test
    void jsonLinesParseAndPostSendsTheBody(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("urls.txt");
        Files.writeString(file, "# the echo\n" + base + "/anything\n\n");
        Cli.Result result = Cli.run("fetch", "--urls-file", file.toString(), "-X", "POST", "--data", "{\"n\": 1}", "--json");
        assertThat(result.exit()).as(result.err()).isZero();
        List<JsonNode> lines = lines(result.out());
        assertThat(lines.get(0).get("url").asText()).isEqualTo(base + "/anything");
        assertThat(lines.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(lines.get(1).get("ok").asInt()).isEqualTo(1);
    }

    @Test
    void concurrencyBoundsTheRequestsAtOnce() {
        // 8 requests of 300 ms, 4 at once: two waves, so at least 600 ms; 8 at once would take about 300.
        String[] args = new String[11];
        args[0] = "fetch";
        for (int i = 1; i <= 8; i++) {
            args[i] = base + "/delay/0?ms=300&i=" + i;
        }
        args[9] = "--concurrency";
        args[10] = "4";
        long start = System.nanoTime();
        Cli.Result result = Cli.run(args);
        assertThat(result.exit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(result.out()).contains("8 ok, 0 failed");
    }

    @Test
    void anUnreachableHostIsAFailedRowNotACrash() {
        Cli.Result result = Cli.run("fetch", "http://127.0.0.1:1/", "--retries", "0");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains("http://127.0.0.1:1/").containsIgnoringCase("connection refused")
                .contains("0 ok, 1 failed");
    }

    @Test
    void aMalformedUrlIsBadUsageAndNothingIsFetched() {
        Cli.Result result = Cli.run("fetch", base + "/get", "htp:/nowhere");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: malformed URL 'htp:/nowhere': use http:// or https://, then host[:port]/path");
        assertThat(result.out()).isEmpty();
        Cli.Result badJson = Cli.run("fetch", base + "/post", "-X", "POST", "--data", "{nope");
        assertThat(badJson.exit()).isEqualTo(2);
        assertThat(badJson.err()).startsWith("error: --data is not JSON");
        assertThat(Cli.run("fetch").err()).contains("error: no URL to fetch");
    }

    @Test
    void ctrlCStopsTheRunAndStillPrintsTheSummary() {
        Cli.Running running = Cli.start("fetch", base + "/get", base + "/delay/30", "--concurrency", "1");
        assertThat(running.printed("", Duration.ofMillis(300))).isTrue();
        long start = System.nanoTime();
        // the first URL is quick, the second would take 30 s
        Cli.Result result = running.interrupt().await(Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(result.exit()).isEqualTo(130);
        assertThat(result.out()).contains("not done (interrupted)");
    }

    @Test
    void benchModePrintsOneJsonLineOfFigures() throws IOException {
        Cli.Result result = Cli.run("fetch", "--bench", "--url", base + "/get", "--requests", "200", "--concurrency", "8",
                "--warmup", "20");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(1);
        JsonNode figures = JSON.readTree(result.out());
        assertThat(figures.get("ok").asInt()).isEqualTo(200);
        assertThat(figures.get("failed").asInt()).isZero();
        assertThat(figures.get("p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(figures.get("p99_ms").asDouble());
        assertThat(figures.get("wall_s").asDouble()).isPositive();
    }
}
