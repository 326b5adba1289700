package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reactivekit.core.testing.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several {@code crawl --redis} processes sharing one crawl through a real Redis. */
class SharedCrawlTest {

    private static Cli.Running httpbin;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        httpbin = Cli.start("httpbin", "--port", "0");
        base = httpbin.listeningUrl();
    }

    @AfterAll
    static void stop() {
        assertThat(httpbin.stop().exit()).isZero();
    }

    private List<Cli.Running> crawlers(int n, String seed, String id, String... more) {
        List<Cli.Running> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> args = new ArrayList<>(List.of("crawl", seed, "--redis", TestRedisServer.url(), "--crawl-id", id,
                    "--max-pages", "100000", "--out", dir.resolve(id + "-" + i + ".jsonl").toString()));
            args.addAll(List.of(more));
            running.add(Cli.start(args.toArray(String[]::new)));
        }
        return running;
    }

    private List<JsonNode> allPages(String id) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            // A killed crawler's output (its last line may be cut) is read on its own, by the test that killed it.
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(id + "-")
                    && !f.getFileName().toString().endsWith("-killed.jsonl")).toList()) {
                all.addAll(CrawlTest.pages(file));
            }
        }
        return all;
    }

    @Test
    void twoAndFourCrawlersFetchEveryPageOfTheSiteExactlyOnce() throws IOException {
        for (int n : new int[] {2, 4}) {
            String id = "shared" + n + "-" + UUID.randomUUID();
            int size = n == 2 ? 500 : 499;   // two sites, so the server's counts of each are this test's alone
            String seed = base + "/links/" + size + "/0";
            // The four run 64 fetches each, so each process takes jobs through four queue consumers at once.
            List<Cli.Running> running = n == 2 ? crawlers(n, seed, id)
                    : crawlers(n, seed, id, "--concurrency", "64", "--per-host", "64");
            List<Cli.Result> results = new ArrayList<>();
            for (Cli.Running r : running) {
                results.add(r.await(Duration.ofMinutes(2)));
            }
            assertThat(results).allSatisfy(r -> assertThat(r.exit()).as(r.err()).isZero());
            assertThat(results).allSatisfy(r -> assertThat(r.out()).contains("the whole crawl: " + size + " pages"));
            List<JsonNode> pages = allPages(id);
            assertThat(CrawlTest.urls(pages)).isEqualTo(CrawlTest.site(base, size));
            assertThat(pages).hasSize(size);
            Map<String, Number> hits = CrawlTest.hits(base);
            for (int i = 0; i < size; i++) {
                assertThat(hits.get("/links/" + size + "/" + i)).as("page %d", i).isEqualTo(1);
            }
            assertThat(results).as("every crawler did a share").allSatisfy(r -> assertThat(r.out()).doesNotStartWith("0 pages"));
        }
    }

    @Test
    void ctrlCThenRunningAgainCrawlsEveryPageOnceWithinMaxPages() throws IOException {
        String id = "stopped-" + UUID.randomUUID();
        int size = 350;
        String seed = base + "/links/" + size + "/0";
        // --max-pages is exactly the site: a claim lost to the stop (made, but its page never fetched) would leave
        // pages of the site uncrawled by the second run.
        Path firstOut = dir.resolve(id + "-0.jsonl");
        Cli.Running first = Cli.start("crawl", seed, "--redis", TestRedisServer.url(), "--crawl-id", id,
                "--max-pages", String.valueOf(size), "--concurrency", "64", "--per-host", "64", "--delay", "2ms",
                "--out", firstOut.toString());
        CrawlTest.linesWritten(firstOut, 50);
        Cli.Result stopped = first.interrupt().await(Duration.ofSeconds(30));
        assertThat(stopped.exit()).as(stopped.err()).isEqualTo(130);
        List<JsonNode> firstPages = CrawlTest.pages(firstOut);
        assertThat(firstPages.size()).isBetween(50, size - 1);
        assertThat(stopped.out()).contains("the whole crawl: " + firstPages.size() + " pages");

        Cli.Result second = Cli.run("crawl", seed, "--redis", TestRedisServer.url(), "--crawl-id", id,
                "--max-pages", String.valueOf(size), "--concurrency", "64", "--per-host", "64",
                "--out", dir.resolve(id + "-1.jsonl").toString());
        assertThat(second.exit()).as(second.err()).isZero();
        List<JsonNode> pages = allPages(id);
        assertThat(CrawlTest.urls(pages)).isEqualTo(CrawlTest.site(base, size));
        assertThat(pages).as("no page recorded twice").hasSize(size);
        assertThat(second.out()).contains("the whole crawl: " + size + " pages");
        Map<String, Number> hits = CrawlTest.hits(base);
        for (JsonNode page : firstPages) {
            String url = page.get("url").asText();
            assertThat(hits.get(url.substring(base.length())).intValue()).as(url).isEqualTo(1);
        }
    }

    @Test
    void thePerHostDelayHoldsAcrossProcesses() throws IOException {
        try (TestSite site = new TestSite("User-agent: *\nAllow: /\n")) {
            String id = "polite-" + UUID.randomUUID();
            List<Cli.Running> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                running.add(Cli.start("crawl", site.url("/start"), "--redis", TestRedisServer.url(), "--crawl-id", id,
                        "--delay", "150ms", "--out", dir.resolve(id + "-" + i + ".jsonl").toString()));
            }
            for (Cli.Running r : running) {
                assertThat(r.await(Duration.ofMinutes(1)).exit()).isZero();
            }
            List<Long> times = site.hits.entrySet().stream().filter(e -> !e.getKey().equals("/robots.txt"))
                    .flatMap(e -> e.getValue().stream()).sorted().toList();
            assertThat(times).hasSize(6);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.ofNanos(times.get(i) - times.get(i - 1))).as("gap %d", i)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(140));
            }
        }
    }

    @Test
    void aCrawlerKilledMidCrawlLosesNothing() throws Exception {
        String id = "killed-" + UUID.randomUUID();
        int size = 300;
        String seed = base + "/links/" + size + "/0";
        // A crawler in a JVM of its own, killed with SIGKILL while it holds pages.
        Path killedOut = dir.resolve(id + "-killed.jsonl");
        Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "crawl", seed, "--redis", TestRedisServer.url(), "--crawl-id", id, "--max-pages", "100000",
                "--delay", "5ms", "--out", killedOut.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("victim.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((!Files.exists(killedOut) || Files.size(killedOut) < 2_000) && System.nanoTime() < deadline && victim.isAlive()) {
            LockSupport.parkNanos(20_000_000);
        }
        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Set<String> byVictim = new HashSet<>(CrawlTest.urls(CrawlTest.pages(killedOut, true)));
        assertThat(byVictim).as(Files.readString(dir.resolve("victim.log"))).isNotEmpty();

        Cli.Result survivor = crawlers(1, seed, id).get(0).await(Duration.ofMinutes(2));
        assertThat(survivor.exit()).as(survivor.err()).isZero();
        List<JsonNode> pages = new ArrayList<>(allPages(id));
        pages.addAll(CrawlTest.pages(killedOut, true));
        assertThat(CrawlTest.urls(pages)).as("no page lost").isEqualTo(CrawlTest.site(base, size));
        Map<String, Number> hits = CrawlTest.hits(base);
        long twice = 0;
        for (int i = 0; i < size; i++) {
            int n = hits.get("/links/" + size + "/" + i).intValue();
            assertThat(n).as("page %d", i).isBetween(1, 2);
            twice += n - 1;
        }
        // Only what the killed one had taken and not acknowledged is fetched again: at most its workers and their
        // look-ahead (a page is written out before it is acknowledged, so one written just before the kill may be
        // fetched and written once more, never more).
        assertThat(twice).isLessThanOrEqualTo(64);
        for (String url : byVictim) {
            assertThat(pages.stream().filter(p -> p.get("url").asText().equals(url)).count()).as(url).isBetween(1L, 2L);
        }
    }

    @Test
    void aCrawlWhoseRedisConnectionsDropTwiceStillFetchesEveryPageExactlyOnce() throws Exception {
        try (TcpProxy proxy = new TcpProxy(java.net.URI.create(TestRedisServer.url()).getPort())) {
            String id = "dropped-" + UUID.randomUUID();
            int size = 400;
            String seed = base + "/links/" + size + "/0";
            List<Cli.Running> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(Cli.start("crawl", seed, "--redis", proxy.url(), "--crawl-id", id,
                        "--max-pages", "100000", "--delay", "2ms", "--out", dir.resolve(id + "-" + i + ".jsonl").toString()));
            }
            Path first = dir.resolve(id + "-0.jsonl");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int drops = 0;
            long nextDrop = 2_000;   // bytes of output before each drop: mid-crawl, not at its start or end
            while (drops < 2 && System.nanoTime() < deadline) {
                if (Files.exists(first) && Files.size(first) >= nextDrop) {
                    assertThat(proxy.dropAll()).as("connections through the proxy").isPositive();
                    drops++;
                    nextDrop = Files.size(first) + 4_000;
                }
                LockSupport.parkNanos(5_000_000);
            }
            assertThat(drops).as("both drops happened mid-crawl").isEqualTo(2);
            for (Cli.Running r : running) {
                Cli.Result result = r.await(Duration.ofMinutes(2));
                assertThat(result.exit()).as(result.err()).isZero();
            }
            List<JsonNode> pages = allPages(id);
            assertThat(CrawlTest.urls(pages)).isEqualTo(CrawlTest.site(base, size));
            assertThat(pages).hasSize(size);
            Map<String, Number> hits = CrawlTest.hits(base);
            for (int i = 0; i < size; i++) {
                assertThat(hits.get("/links/" + size + "/" + i)).as("page %d", i).isEqualTo(1);
            }
        }
    }

    @Test
    void aCrawlSharedThroughARedisClusterFetchesEveryPageOnce() throws Exception {
        List<Integer> ports = List.of(TestRedisServer.freePort(), TestRedisServer.freePort(), TestRedisServer.freePort());
        // The nodes' cluster config files and snapshots go into the test's directory (deleted with it), not into
        // the temp directories embedded-redis unpacks each binary into, which it would leave behind.
        redis.embedded.RedisShardedCluster cluster = redis.embedded.RedisShardedCluster.newRedisCluster()
                .withServerBuilder(new redis.embedded.core.RedisServerBuilder().setting("dir " + dir))
                .serverPorts(ports).shard("a", 0).shard("b", 0).shard("c", 0)
                .initializationTimeout(Duration.ofSeconds(60)).build();
        cluster.start();
        try {
            dev.reactivekit.core.testing.RedisClusterState.awaitOk(ports, Duration.ofSeconds(60));
            String url = "redis-cluster://" + String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
            String id = "cluster-" + UUID.randomUUID();
            String seed = base + "/links/150/0";
            List<Cli.Running> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(Cli.start("crawl", seed, "--redis", url, "--crawl-id", id,
                        "--out", dir.resolve(id + "-" + i + ".jsonl").toString()));
            }
            for (Cli.Running r : running) {
                Cli.Result result = r.await(Duration.ofMinutes(2));
                assertThat(result.exit()).as(result.err()).isZero();
            }
            List<JsonNode> pages = allPages(id);
            assertThat(CrawlTest.urls(pages)).isEqualTo(CrawlTest.site(base, 150));
            assertThat(pages).hasSize(150);
        } finally {
            cluster.stop();
        }
    }
}
