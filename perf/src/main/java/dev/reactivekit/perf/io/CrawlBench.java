package dev.reactivekit.perf.io;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.showcase.EmbeddedServers;
import dev.reactivekit.showcase.HttpBinService;
import dev.reactivekit.showcase.Main;
import dev.reactivekit.showcase.cli.Console;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The crawler on a local site of N pages (httpbin's {@code /links/N/i}: each page links to the next 200),
 * pages per second: the showcase's {@code crawl} run in this process with its frontier in memory, and shared over
 * Redis ({@code --redis URL}, else {@code REACTIVEKIT_REDIS_URL}, else an embedded Redis), against a plain
 * {@code fetchAll} of the same N URLs at the same concurrency (no robots.txt, parsing or frontier: what the
 * crawler's own work costs).
 */
@Command(name = "crawl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pages/s crawling a local N-page site, frontier in memory and over Redis, vs a plain fetchAll of the same URLs.")
public final class CrawlBench extends Scenario {

    static final String MEMORY = "crawl, frontier in memory";
    static final String REDIS = "crawl, frontier over Redis";
    static final String FETCH = "plain fetchAll of the same URLs";

    @Option(names = "--pages", defaultValue = "10000", description = "Pages of the site, all crawled.")
    int pages;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "64", description = "Fetches at once (all on one host).")
    int concurrency;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds of each way.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up rounds of each way, not counted.")
    int warmup;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Redis of the shared frontier (default: $REACTIVEKIT_REDIS_URL, else an embedded Redis for the run).")
    String redis;

    @Option(names = "--no-redis-way", description = "Leave out the crawl over Redis.")
    boolean noRedis;

    private final AtomicInteger crawlIds = new AtomicInteger();

    @Override
    public List<String> quickArguments() {
        return List.of("--pages", "3000", "--rounds", "1", "--warmup", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (pages < 1 || pages > HttpBinService.MAX_PAGES || concurrency < 1 || rounds < 1 || warmup < 0) {
            throw new UsageException("--pages must be 1-" + HttpBinService.MAX_PAGES + ", --concurrency and --rounds"
                    + " at least 1, --warmup at least 0");
        }
        String url = redis != null ? redis : System.getenv("REACTIVEKIT_REDIS_URL");
        EmbeddedServers.Redis embedded = null;
        if (!noRedis && (url == null || url.isBlank())) {
            console.note("starting an embedded Redis (--redis URL to use another)...");
            embedded = EmbeddedServers.Redis.start();
            url = embedded.url();
        }
        RunningService bin = new HttpBinService(List.of()).service("127.0.0.1", 0).build().start()
                .block(Duration.ofSeconds(30));
        Path work = Files.createTempDirectory("reactivekit-perf-crawl");
        HttpFetcher fetcher = HttpFetcher.builder().retry(RetryPolicy.none())
                .maxConnections(concurrency).maxConnectionsPerHost(concurrency)
                .maxWaiters(Math.max(HttpFetcher.DEFAULT_MAX_WAITERS, pages)).build();
        RedisStore<String> store = noRedis ? null : RedisStore.connect(url).block(Duration.ofSeconds(30));
        AtomicLong errors = new AtomicLong();
        try {
            String seed = bin.url("/links/" + pages + "/0");
            List<String> urls = new ArrayList<>(pages);
            for (int i = 0; i < pages; i++) {
                urls.add(bin.url("/links/" + pages + "/" + i));
            }
            String redisUrl = url;
            LinkedHashMap<String, Measurements.Run> ways = new LinkedHashMap<>();
            ways.put(MEMORY, () -> crawl(seed, work, List.of(), errors));
            if (store != null) {
                ways.put(REDIS, () -> {
                    String id = "perf-" + ProcessHandle.current().pid() + "-" + crawlIds.incrementAndGet();
                    try {
                        return crawl(seed, work, List.of("--redis", redisUrl, "--crawl-id", id), errors);
                    } finally {
                        List<String> keys = store.scan("*" + id + "*").collectList().block(Duration.ofSeconds(30));
                        if (keys != null && !keys.isEmpty()) {
                            store.del(keys.toArray(String[]::new)).block(Duration.ofSeconds(30));
                        }
                    }
                });
            }
            ways.put(FETCH, () -> {
                long start = System.nanoTime();
                Long ok = fetcher.fetchAll(urls, Concurrency.limit(concurrency))
                        .filter(o -> o.isSuccess() && o.orElseThrow().status() == 200).count().block();
                double seconds = (System.nanoTime() - start) / 1e9;
                errors.addAndGet(pages - (ok == null ? 0 : ok));
                return pages / seconds;
            });
            new Measurements().interleave(warmup, ways);
            errors.set(0);
            Measurements m = new Measurements();
            m.interleave(rounds, ways);
            List<String> notes = new ArrayList<>();
            if (errors.get() > 0) {
                notes.add(String.format(Locale.ROOT, "errors: %,d pages failed or were missing", errors.get()));
            }
            report(m.toCase(name(), String.format(Locale.ROOT, "a %,d-page local site, %d fetches at once", pages,
                    concurrency), "pages/s", true, MEMORY, List.copyOf(ways.keySet()), Map.of(), notes));
            return errors.get() == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
            if (store != null) {
                store.close().block(Duration.ofSeconds(10));
            }
            bin.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** One crawl of the whole site by the showcase's {@code crawl}; pages per second, every page checked there. */
    private double crawl(String seed, Path work, List<String> extra, AtomicLong errors) throws Exception {
        Path out = work.resolve("pages.jsonl");
        List<String> args = new ArrayList<>(List.of("crawl", seed, "--max-pages", String.valueOf(pages), "--depth",
                String.valueOf(pages), "--concurrency", String.valueOf(concurrency), "--per-host",
                String.valueOf(concurrency), "--retries", "0", "--out", out.toString(), "--no-progress"));
        args.addAll(extra);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Console quiet = new Console(new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(printed, true, StandardCharsets.UTF_8), false);
        var stop = console.interrupted().subscribe(null, null, quiet::interrupt); // Ctrl-C stops the crawl too
        long start = System.nanoTime();
        int exit;
        try {
            exit = Main.run(quiet, args.toArray(String[]::new));
        } finally {
            stop.dispose();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (console.isInterrupted()) {
            throw new InterruptedException("stopped");
        }
        long lines;
        try (Stream<String> s = Files.lines(out)) {
            lines = s.filter(line -> line.contains("\"status\":200")).count();
        }
        errors.addAndGet(pages - lines);
        if (exit != ExitCodes.OK) {
            throw new IllegalStateException("the crawl exited " + exit + ": "
                    + printed.toString(StandardCharsets.UTF_8).strip());
        }
        return pages / seconds;
    }
}
