package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.testing.Poll;
import dev.reactivekit.io.http.HttpFetcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crawl} in memory, against httpbin's link graph and a test site of odd pages. */
class CrawlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Running httpbin;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        httpbin = Cli.start("httpbin", "--port", "0", "--disallow", "/links/40/7");
        base = httpbin.listeningUrl();
    }

    @AfterAll
    static void stop() {
        assertThat(httpbin.stop().exit()).isZero();
    }

    static List<JsonNode> pages(Path out) throws IOException {
        return pages(out, false);
    }

    /** Waits (at most 30 s) until {@code out} holds {@code n} lines; whether it did. */
    static boolean linesWritten(Path out, int n) {
        return Poll.until(() -> {
            try {
                return Files.exists(out) && Files.readAllLines(out).size() >= n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Duration.ofSeconds(30));
    }

    /** The records of {@code out}; {@code killed}: the last line may be cut short, as a SIGKILL leaves it. */
    static List<JsonNode> pages(Path out, boolean killed) throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(out));
        if (killed && !lines.isEmpty() && !Files.readString(out).endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines.stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("a line that is not JSON: " + line, e);
            }
        }).toList();
    }

    static Set<String> urls(List<JsonNode> pages) {
        return pages.stream().map(p -> p.get("url").asText()).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Number> hits(String base) {
        HttpFetcher http = HttpFetcher.create();
        try {
            return (Map<String, Number>) http.get(base + "/counter").block(Duration.ofSeconds(10))
                    .json(new TypeReference<Map<String, Object>>() { }).get("hits");
        } finally {
            http.close().block(Duration.ofSeconds(10));
        }
    }

    static Set<String> site(String base, int n) {
        return IntStream.range(0, n).mapToObj(i -> base + "/links/" + n + "/" + i).collect(Collectors.toSet());
    }

    @Test
    void visitsExactlyThePagesOfTheLinkGraphOnceEachAndSkipsWhatRobotsDisallow() throws IOException {
        Path out = dir.resolve("pages.jsonl");
        Cli.Result result = Cli.run("crawl", base + "/links/40/0", "--out", out.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        List<JsonNode> pages = pages(out);
        assertThat(urls(pages)).isEqualTo(site(base, 40));
        assertThat(pages).hasSize(40);
        JsonNode disallowed = pages.stream().filter(p -> p.get("url").asText().endsWith("/links/40/7")).findFirst().orElseThrow();
        assertThat(disallowed.get("error").asText()).isEqualTo("disallowed by robots.txt");
        Map<String, Number> hits = hits(base);
        for (int i = 0; i < 40; i++) {
            assertThat(hits.get("/links/40/" + i)).as("page %d", i).isEqualTo(i == 7 ? null : 1);
        }
        assertThat(hits.get("/robots.txt").intValue()).isEqualTo(1);
        // records are written as pages finish, so the start page is not necessarily the first line
        JsonNode first = pages.stream().filter(p -> p.get("url").asText().equals(base + "/links/40/0")).findFirst().orElseThrow();
        assertThat(first.get("status").asInt()).isEqualTo(200);
        assertThat(first.get("title").asText()).isEqualTo("Links 0");
        assertThat(first.get("links").asInt()).isEqualTo(39);
        assertThat(first.get("depth").asInt()).isZero();
        assertThat(first.has("fetched_at")).isTrue();
        assertThat(result.out()).contains("status 200", "39").contains("disallowed by robots.txt").contains("40 pages (0 errors)");
    }

    @Test
    void depthAndMaxPagesBoundTheCrawl() throws IOException {
        Path out = dir.resolve("depth.jsonl");
        assertThat(Cli.run("crawl", base + "/links/300/0", "--depth", "0", "--out", out.toString()).exit()).isZero();
        assertThat(urls(pages(out))).containsExactly(base + "/links/300/0");
        Path some = dir.resolve("some.jsonl");
        assertThat(Cli.run("crawl", base + "/links/300/0", "--max-pages", "25", "--out", some.toString()).exit()).isZero();
        assertThat(pages(some)).hasSize(25);
        Path one = dir.resolve("one.jsonl");
        assertThat(Cli.run("crawl", base + "/links/300/0", "--depth", "1", "--out", one.toString(), "--max-pages", "10000").exit())
                .isZero();
        assertThat(pages(one)).hasSize(201).allMatch(p -> p.get("depth").asInt() <= 1);
    }

    @Test
    void linksNofollowBaseHrefFragmentsAndOtherHosts() throws IOException {
        try (TestSite site = new TestSite("User-agent: *\nDisallow: /private\n")) {
            Path out = dir.resolve("site.jsonl");
            Cli.Result result = Cli.run("crawl", site.url("/start"), "--out", out.toString());
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(urls(pages(out))).containsExactlyInAnyOrder(site.url("/start"), site.url("/a"), site.url("/b"),
                    site.url("/c"), site.url("/private"), site.url("/sub/deep"));
            assertThat(site.hits).doesNotContainKeys("/nofollowed", "/hidden", "/private");
            assertThat(site.hits.get("/a")).hasSize(1);
            JsonNode b = pages(out).stream().filter(p -> p.get("url").asText().endsWith("/b")).findFirst().orElseThrow();
            assertThat(b.get("title").isNull()).as("noindex").isTrue();
            assertThat(b.get("links").asInt()).as("nofollow").isZero();
        }
    }

    @Test
    void allowedDomainsAndNoSameHostWidenTheScope() throws IOException {
        try (TestSite site = new TestSite("404")) {
            // The start page links to the same site as localhost: another host, out of scope unless allowed.
            String away = site.otherHostUrl("/away");
            Path narrow = dir.resolve("narrow.jsonl");
            assertThat(Cli.run("crawl", site.url("/start"), "--depth", "1", "--out", narrow.toString()).exit()).isZero();
            assertThat(urls(pages(narrow))).doesNotContain(away);
            Path wide = dir.resolve("wide.jsonl");
            Cli.Result allowed = Cli.run("crawl", site.url("/start"), "--depth", "1", "--allow-domain", "127.0.0.1",
                    "--allow-domain", "localhost", "--out", wide.toString());
            assertThat(allowed.exit()).as(allowed.err()).isZero();
            assertThat(urls(pages(wide))).contains(away, site.url("/a"));
            Path any = dir.resolve("any.jsonl");
            assertThat(Cli.run("crawl", site.url("/start"), "--depth", "1", "--no-same-host", "--out", any.toString()).exit())
                    .isZero();
            assertThat(urls(pages(any))).contains(away, site.url("/a"));
            assertThat(Cli.run("crawl", site.url("/start"), "--same-host", "--no-same-host").exit()).isEqualTo(2);
            Path excluded = dir.resolve("excluded.jsonl");
            assertThat(Cli.run("crawl", site.url("/start"), "--exclude", "/(a|b)$", "--out", excluded.toString()).exit())
                    .isZero();
            assertThat(urls(pages(excluded))).doesNotContain(site.url("/a"), site.url("/b")).contains(site.url("/c"));
        }
    }

    @Test
    void theDelayHoldsBetweenTwoFetchesFromOneHost() throws IOException {
        try (TestSite site = new TestSite("User-agent: *\nAllow: /\n")) {
            Cli.Result result = Cli.run("crawl", site.url("/start"), "--delay", "150ms", "--per-host", "4",
                    "--out", dir.resolve("slow.jsonl").toString());
            assertThat(result.exit()).isZero();
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
    void robotsTxtThatIsGarbageOrMissingAllowsAllAndOneThatFailsDisallowsAll() throws IOException {
        for (String robots : List.of("garbage", "404")) {
            try (TestSite site = new TestSite(robots)) {
                Path out = dir.resolve(robots + ".jsonl");
                assertThat(Cli.run("crawl", site.url("/start"), "--out", out.toString()).exit()).isZero();
                assertThat(site.hits).containsKeys("/start", "/a", "/private");
            }
        }
        try (TestSite site = new TestSite("500")) {
            Path out = dir.resolve("500.jsonl");
            Cli.Result result = Cli.run("crawl", site.url("/start"), "--out", out.toString(), "--retries", "0");
            assertThat(result.exit()).isEqualTo(1);
            assertThat(site.hits).containsOnlyKeys("/robots.txt");
            assertThat(pages(out)).singleElement().satisfies(p ->
                    assertThat(p.get("error").asText()).isEqualTo("robots.txt answered 500: the host is skipped"));
        }
    }

    @Test
    void aHugePageIsSkippedAndAPageOfManyLinksIsBounded() throws IOException {
        try (TestSite site = new TestSite("404")) {
            Path out = dir.resolve("big.jsonl");
            Cli.Result result = Cli.run("crawl", site.url("/huge"), site.url("/many"), "--depth", "0",
                    "--out", out.toString());
            assertThat(result.exit()).isEqualTo(1);
            Map<String, JsonNode> byUrl = pages(out).stream().collect(Collectors.toMap(p -> p.get("url").asText(), p -> p));
            assertThat(byUrl.get(site.url("/huge")).get("error").asText()).contains("5242880");
            assertThat(byUrl.get(site.url("/many")).get("links").asInt()).isEqualTo(10_000);
            assertThat(result.out()).contains("error BodyTooLarge");
        }
    }

    @Test
    void ctrlCThenResumeCrawlsTheWholeSiteWithNoFinishedPageFetchedTwice() throws IOException {
        String seed = base + "/links/120/0";
        Path out = dir.resolve("resumed.jsonl");
        Cli.Running first = Cli.start("crawl", seed, "--delay", "20ms", "--out", out.toString(), "--resume");
        linesWritten(out, 20);
        Cli.Result stopped = first.interrupt().await(Duration.ofSeconds(30));
        assertThat(stopped.exit()).isEqualTo(130);
        assertThat(stopped.out()).contains("interrupted: run again with --resume to continue");
        Set<String> firstRun = new HashSet<>(urls(pages(out)));
        assertThat(firstRun.size()).isBetween(20, 119);
        assertThat(dir.resolve("resumed.jsonl.state")).exists();

        Cli.Result resumed = Cli.run("crawl", seed, "--delay", "0ms", "--out", out.toString(), "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        List<JsonNode> all = pages(out);
        assertThat(urls(all)).isEqualTo(site(base, 120));
        assertThat(all).as("no page recorded twice").hasSize(120);
        Map<String, Number> hits = hits(base);
        for (String url : firstRun) {
            assertThat(hits.get(url.substring(base.length())).intValue()).as(url).isEqualTo(1);
        }
        assertThat(dir.resolve("resumed.jsonl.state")).doesNotExist();
    }

    @Test
    void aRedirectIsFollowedAndRecordedOnceWithItsFinalUrl() throws IOException {
        Path out = dir.resolve("redirects.jsonl");
        Cli.Result result = Cli.run("crawl", base + "/redirect/3", "--out", out.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(pages(out)).singleElement().satisfies(page -> {
            assertThat(page.get("url").asText()).isEqualTo(base + "/redirect/3");
            assertThat(page.get("final_url").asText()).isEqualTo(base + "/get");
            assertThat(page.get("status").asInt()).isEqualTo(200);
        });
        Map<String, Number> hits = hits(base);
        for (String path : List.of("/redirect/3", "/redirect/2", "/redirect/1", "/get")) {
            assertThat(hits.get(path)).as(path).isEqualTo(1);
        }
    }

    @Test
    void aFullFrontierDropsAndCountsWhatItCannotHold() throws IOException {
        Path out = dir.resolve("full.jsonl");
        Cli.Result result = Cli.run("crawl", base + "/links/600/0", "--frontier-size", "50", "--max-pages", "20",
                "--concurrency", "1", "--out", out.toString());
        assertThat(result.exit()).isZero();
        // Page 0 alone links 200 pages: 50 are queued, the others dropped.
        assertThat(result.out()).containsPattern("frontier full \\(dropped\\)\\s+[1-9]\\d*");
        assertThat(pages(out)).hasSize(20);
    }

    @Test
    void badInput() {
        Cli.Result malformed = Cli.run("crawl", "htp:/x");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: malformed URL 'htp:/x'");
        Cli.Result resumeWithoutOut = Cli.run("crawl", base + "/links/5/0", "--resume");
        assertThat(resumeWithoutOut.exit()).isEqualTo(2);
        assertThat(resumeWithoutOut.err()).contains("--resume in memory needs --out FILE");
        Cli.Result noDir = Cli.run("crawl", base + "/links/5/0", "--out", dir.resolve("missing/pages.jsonl").toString());
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).isEqualTo("error: cannot write --out " + dir.resolve("missing/pages.jsonl")
                + ": its directory does not exist\n");
        Cli.Result badRegex = Cli.run("crawl", base + "/links/5/0", "--include", "([");
        assertThat(badRegex.exit()).isEqualTo(2);
        assertThat(badRegex.err()).startsWith("error: --include is not a regular expression");
        Cli.Result badRedis = Cli.run("crawl", base + "/links/5/0", "--redis", "nosuch://127.0.0.1:6379",
                "--out", dir.resolve("never.jsonl").toString());
        assertThat(badRedis.exit()).isEqualTo(2);
        assertThat(badRedis.err()).isEqualTo("error: --redis must be a redis://, rediss:// or redis-cluster:// URL, "
                + "not 'nosuch://127.0.0.1:6379'\n");
        assertThat(dir.resolve("never.jsonl")).as("refused before --out is opened").doesNotExist();
        Cli.Result deadRedis = Cli.run("crawl", base + "/links/5/0", "--redis", "redis://127.0.0.1:1");
        assertThat(deadRedis.exit()).isEqualTo(1);
        assertThat(deadRedis.err()).contains("127.0.0.1:1").doesNotContain("\tat ");
        Cli.Result unreachable = Cli.run("crawl", "http://127.0.0.1:1/", "--json", "--retries", "0");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.out()).contains("\"error\":\"robots.txt could not be fetched (connection refused")
                .contains("the host is skipped").contains("\"errors\":1");
    }
}
