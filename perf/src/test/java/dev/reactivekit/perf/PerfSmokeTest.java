package dev.reactivekit.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.showcase.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.reactivekit.core.testing.Poll;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each scenario of the harness, run tiny, as {@code ./reactivekit perf} runs it: it completes, and what it prints
 * is what it says. Times are checked only against what cannot be otherwise (four requests one after another cannot
 * take less than four delays), never against a speed.
 */
class PerfSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {

        List<JsonNode> lines() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON line: " + line, e);
                    }
                }
            }
            return lines;
        }
    }

    static Result perf(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int exit = Perf.run(console, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void seedRunsTheThreeWaysOfTheSeedsExperimentAndReportsEach() {
        Result r = perf("seed", "--requests", "4", "--delay", "50ms", "--limit", "2", "--rounds", "1",
                "--warmup", "0", "--json", "--no-results");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> ways = r.lines();
        assertThat(ways).extracting(w -> w.path("way").asText()).containsExactly("sync", "async", "limited");
        assertThat(ways).extracting(w -> w.path("at_once").asInt()).containsExactly(1, 4, 2);
        assertThat(ways).extracting(w -> w.path("expected_s").asDouble()).containsExactly(0.2, 0.05, 0.1);
        for (JsonNode way : ways) {
            assertThat(way.path("requests").asInt()).isEqualTo(4);
            assertThat(way.path("median_s").asDouble()).as("%s", way)
                    .isGreaterThanOrEqualTo(way.path("expected_s").asDouble())
                    .isEqualTo(way.path("min_s").asDouble()); // one round: median, min and max are that round
            assertThat(way.path("ratio_to_expected").asDouble())
                    .isEqualTo(way.path("median_s").asDouble() / way.path("expected_s").asDouble());
        }
    }

    @Test
    void seedPrintsTheSeedsTableForPeople() throws IOException {
        Path results = Report.defaultDirectory("seed");
        assertThat(results.toAbsolutePath().normalize().startsWith(Path.of("target").toAbsolutePath()))
                .as("%s: in the build's perf home, not the source tree", results).isTrue();
        Result r = perf("seed", "--requests", "2", "--delay", "20ms", "--rounds", "1", "--warmup", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("results: " + results.toAbsolutePath().normalize());
        wroteResults(results, "seed", 3, 1);
        assertThat(r.out()).contains("2 requests, each answered after", "sync: one by one, blocking",
                "async: all 2 at once", "async, limited to 5 at a time", "vs expected");
    }

    @Test
    void fanoutRunsEveryWayWithoutErrorsAndNeverFasterThanItsLimitAllows() {
        Result r = perf("fanout", "--requests", "60", "--concurrency", "20", "--threads", "10", "--delay", "20ms",
                "--rounds", "1", "--warmup", "0", "--json", "--no-results");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        List<String> expected = Runtime.version().feature() >= 21
                ? List.of("HttpFetcher.fetchAll", "Reactor Netty HttpClient flatMap",
                        "JDK HttpClient, virtual threads", "Vert.x WebClient", "JDK HttpClient, thread pool")
                : List.of("HttpFetcher.fetchAll", "Reactor Netty HttpClient flatMap", "Vert.x WebClient",
                        "JDK HttpClient, thread pool");
        List<JsonNode> ways = lines.subList(0, lines.size() - 1);
        assertThat(ways).extracting(w -> w.path("way").asText()).containsExactlyElementsOf(expected);
        for (JsonNode way : ways) {
            int atOnce = way.path("way").asText().endsWith("thread pool") ? 10 : 20;
            assertThat(way.path("at_once").asInt()).isEqualTo(atOnce);
            assertThat(way.path("ideal_s").asDouble()).isCloseTo(60.0 / atOnce * 0.02, Offset.offset(1e-9));
            // At most at_once GETs at a time, each taking 20 ms: no run can be shorter than the ideal.
            assertThat(way.path("median_s").asDouble()).as("%s", way)
                    .isGreaterThanOrEqualTo(way.path("ideal_s").asDouble());
        }
        assertThat(lines.get(lines.size() - 1).path("errors").asLong()).as("responses that were not 200").isZero();
    }

    @Test
    void jmhPassesItsArgumentsToJmhWhichListsTheCoreBenchmarks() throws Exception {
        // JMH prints to System.out: the list of the benchmarks compiled into this module.
        PrintStream stdout = System.out;
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(listed, true, StandardCharsets.UTF_8));
        Result r;
        try {
            r = perf("jmh", "-l", "Semaphore");
        } finally {
            System.setOut(stdout);
        }
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains("dev.reactivekit.perf.core.SemaphoreBenchmark")
                .doesNotContain("QueueBenchmark");
    }

    /** The JSON lines of one scenario's cases: every series measured, its figures finite. */
    static List<JsonNode> series(Result r, int expected) {
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines).hasSize(expected);
        for (JsonNode line : lines) {
            assertThat(line.path("rounds").asInt()).as("%s", line).isEqualTo(1);
            assertThat(Double.isFinite(line.path("median").asDouble())).as("%s", line).isTrue();
            assertThat(line.path("median").asDouble()).as("%s", line).isEqualTo(line.path("min").asDouble());
        }
        return lines;
    }

    /** The results directory a scenario wrote: a JSON line per series, the Markdown report, a chart per case. */
    static void wroteResults(Path dir, String scenario, int series, int cases) throws IOException {
        assertThat(Files.readAllLines(dir.resolve("results.jsonl"))).hasSize(series)
                .allMatch(line -> line.contains("\"scenario\":\"" + scenario + "\""));
        assertThat(Files.readString(dir.resolve("results.md"))).contains("## " + scenario, "./reactivekit perf " + scenario);
        for (int i = 1; i <= cases; i++) {
            assertThat(dir.resolve("charts/" + scenario + "-" + i + ".png")).isNotEmptyFile();
        }
    }

    @Test
    void echoMeasuresOursAndRawReactorNettyThroughputAndLatency(@TempDir Path dir) throws IOException {
        Result r = perf("echo", "--connections", "4", "--rounds", "1", "--seconds", "1", "--warmup-seconds", "0",
                "--json", "--results", dir.toString());
        List<JsonNode> lines = series(r, 8);
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> names = List.of("TcpService echo", "raw TcpServer echo", "Vert.x NetServer, " + cores + " instances",
                "Vert.x NetServer, 1 instance (default)");
        assertThat(lines).extracting(l -> l.path("series").asText())
                .containsExactlyElementsOf(java.util.stream.Stream.concat(names.stream(), names.stream()).toList());
        assertThat(lines.get(0).path("unit").asText()).isEqualTo("round trips/s");
        assertThat(lines.subList(0, 4)).allMatch(l -> l.path("median").asDouble() > 0);
        assertThat(lines.get(4).path("case").asText()).endsWith("p99 latency");
        assertThat(lines.get(5).path("ours_speedup_paired").asDouble()).isPositive();
        wroteResults(dir, "echo", 8, 2);
        assertThat(dir.resolve("charts/echo-speedup.png")).isNotEmptyFile();
    }

    @Test
    void httpAndWsMeasureOursAndRawReactorNetty(@TempDir Path dir) throws IOException {
        List<JsonNode> http = series(perf("http", "--connections", "4", "--rounds", "1", "--seconds", "1",
                "--warmup-seconds", "0", "--no-wrk", "--json", "--no-results"), 8);
        assertThat(http).extracting(l -> l.path("series").asText()).contains("HttpService", "raw HttpServer route",
                "Vert.x HttpServer, 1 instance (default)");
        assertThat(http.get(0).path("unit").asText()).isEqualTo("requests/s");
        assertThat(http.subList(0, 4)).allMatch(l -> l.path("median").asDouble() > 0);
        List<JsonNode> ws = series(perf("ws", "--connections", "4", "--rounds", "1", "--seconds", "1",
                "--warmup-seconds", "0", "--json", "--results", dir.toString()), 8);
        assertThat(ws).extracting(l -> l.path("series").asText()).contains("HttpService websocket echo",
                "raw Reactor Netty ws echo", "Vert.x WebSocket, 1 instance (default)");
        assertThat(ws.subList(0, 4)).allMatch(l -> l.path("median").asDouble() > 0);
        wroteResults(dir, "ws", 8, 2);
    }

    @Test
    void memoryMeasuresServersInProcessesOfTheirOwn(@TempDir Path dir) throws IOException {
        List<JsonNode> lines = series(perf("memory", "--connections", "50", "--rounds", "1", "--server-heap", "128m",
                "--json", "--results", dir.toString()), 8);
        assertThat(lines).extracting(l -> l.path("unit").asText()).containsOnly("bytes/connection");
        assertThat(lines).extracting(l -> l.path("case").asText()).anyMatch(c -> c.startsWith("WebSocket echo, 50 idle"))
                .anyMatch(c -> c.startsWith("TCP echo, 50 idle"));
        wroteResults(dir, "memory", 8, 4);
    }

    @Test
    void crawlMeasuresTheCrawlerInMemoryAndOverRedisAgainstPlainFetches() {
        List<JsonNode> lines = series(perf("crawl", "--pages", "30", "--concurrency", "4", "--rounds", "1",
                "--warmup", "0", "--json", "--no-results"), 3);
        assertThat(lines).extracting(l -> l.path("series").asText()).containsExactly("crawl, frontier in memory",
                "crawl, frontier over Redis", "plain fetchAll of the same URLs");
        assertThat(lines).allMatch(l -> l.path("median").asDouble() > 0);
    }

    @Test
    void pgAndRedisMeasureOursAgainstTheRawDrivers() {
        List<JsonNode> pg = series(perf("pg", "--queries", "200", "--rows", "500", "--rounds", "1", "--warmup", "0",
                "--no-external", "--json", "--no-results"), 11);
        assertThat(pg).extracting(l -> l.path("series").asText()).containsExactly("Database.queryOne",
                "raw R2DBC (r2dbc-pool)", "JDBC + HikariCP", "Vert.x pg pool, statement cache",
                "Vert.x pg pipelined client, cache", "Vert.x pg pool (defaults)", "Database.batch",
                "raw R2DBC Statement.add", "JDBC addBatch", "Database.copyRecords", "JDBC CopyManager");
        assertThat(pg).allMatch(l -> l.path("median").asDouble() > 0);
        List<JsonNode> redis = series(perf("redis", "--operations", "500", "--rounds", "1", "--warmup", "0",
                "--no-external", "--json", "--no-results"), 8);
        assertThat(redis).extracting(l -> l.path("series").asText()).containsExactly("RedisStore (defaults)",
                "raw Lettuce reactive flatMap(50)", "Vert.x redis, one connection", "Vert.x redis client, pooled (defaults)",
                "RedisStore subscribe/publish", "RedisStore, on the event loop", "raw Lettuce observeChannels",
                "Vert.x redis, a connection each");
        assertThat(redis).allMatch(l -> l.path("median").asDouble() > 0);
    }

    @Test
    void filesMeasuresLinesAndCopyAgainstTheJdkAndCoreutils() {
        List<JsonNode> lines = series(perf("files", "--size-mib", "1", "--rounds", "1", "--json", "--no-results"), 6);
        assertThat(lines).extracting(l -> l.path("series").asText()).containsExactly("AsyncFiles.lines", "Files.lines",
                "wc -l", "AsyncFiles.copy", "Files.copy", "cp");
        assertThat(lines).allMatch(l -> l.path("median").asDouble() > 0);
    }

    @Test
    void coreRunsTheJmhBenchmarksOfCoreOperatorsAsCases() {
        List<JsonNode> lines = series(perf("core", "--iterations", "1", "--warmup", "0", "--iteration-ms", "100",
                "--forks", "0", "--json", "--no-results"), 15);
        assertThat(lines).extracting(l -> l.path("series").asText()).contains("tasksAll()", "fluxMergeCollectList()",
                "policyApply()", "bareMono()", "asyncSemaphoreWithPermit()", "arrayBlockingQueue()");
        assertThat(lines).allMatch(l -> l.path("median").asDouble() > 0 && l.path("unit").asText().equals("ops/s"));
        assertThat(lines).extracting(l -> l.path("case").asText())
                .anyMatch(c -> c.contains("tasks on the parallel scheduler"));
    }

    @Test
    void serveAnswersAnyClientUntilCtrlC() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Perf.run(console, "serve", "http", "--impl", "raw"));
        assertThat(Poll.until(() -> out.toString(StandardCharsets.UTF_8).startsWith("listening on http://127.0.0.1:"),
                Duration.ofSeconds(30))).as("listening").isTrue();
        String url = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow()
                .substring("listening on ".length());
        Result client = perf("client", "fanout", "--url", url, "-n", "40", "-c", "4");
        assertThat(client.exit()).as(client.err()).isZero();
        JsonNode line = client.lines().get(0);
        assertThat(line.path("ops").asInt()).isEqualTo(40);
        assertThat(line.path("errors").asInt()).isZero();
        assertThat(line.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(line.path("p50_ms").asDouble()).isPositive();
        console.interrupt();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        Result refused = perf("client", "fanout", "--url", url, "-n", "2", "-c", "1");
        assertThat(refused.exit()).as("the server stopped").isEqualTo(1);
        assertThat(refused.lines().get(0).path("errors").asInt()).isEqualTo(2);
    }

    @Test
    void serveOnATakenPortNamesTheAddressForBothImplementations() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            for (String impl : List.of("ours", "raw")) {
                Result r = perf("serve", "http", "--impl", impl, "--port", String.valueOf(taken.getLocalPort()));
                assertThat(r.exit()).as(impl).isEqualTo(1);
                assertThat(r.err()).as(impl).startsWith("error: ")
                        .contains("server cannot listen on 127.0.0.1:" + taken.getLocalPort())
                        .containsIgnoringCase("address already in use");
                assertThat(r.out()).as(impl).doesNotContain("listening");
            }
        }
    }

    @Test
    void allNamesTheScenariosItCannotSkip() {
        Result r = perf("all", "--skip", "nosuch");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --skip: no scenario nosuch");
        Result serve = perf("serve", "gopher");
        assertThat(serve.exit()).isEqualTo(2);
        assertThat(serve.err()).contains("not a server: gopher");
        Result impl = perf("serve", "http", "--impl", "netty");
        assertThat(impl.exit()).isEqualTo(2);
        assertThat(impl.err()).contains("not an implementation: netty (one of ours, raw)");
    }

    @Test
    void everyCommandButJmhListsItsOptionsWithTheirDefaults() {
        for (String command : List.of("seed", "fanout", "echo", "http", "ws", "pg", "redis", "files", "memory", "crawl",
                "core", "all", "serve", "client")) {
            Result r = perf(command, "--help");
            assertThat(r.exit()).as("%s: %s", command, r.err()).isZero();
            assertThat(r.out()).as(command).contains("Usage: reactivekit perf " + command, "-h, --help");
        }
        assertThat(perf("echo", "--help").out()).contains("--rounds", "Default: 6", "Default: [100, 1000]");
        assertThat(perf("fanout", "--help").out()).contains("--requests", "Default: 10000");
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        Result r = perf("seed", "--delay", "2m");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --delay must be between 1ms and 60.0s");
        assertThat(r.out()).isEmpty();
        Result none = perf("fanout", "--delay", "0ms");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: --delay must be between 1ms and 60.0s").contains("not 0");
        Result unknown = perf("nosuch");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument", "nosuch");
    }
}
