package dev.reactivekit.showcase.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import dev.reactivekit.showcase.cli.Urls;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code crawl}: the seeds' web crawler, polite (robots.txt, per-host delay and concurrency), bounded, resumable,
 * and shared by several processes over Redis ({@code --redis}).
 */
@Command(name = "crawl", mixinStandardHelpOptions = true,
        description = "Crawl from the seed URLs: robots.txt obeyed, a delay and a concurrency limit per host, each page "
                + "fetched at most once, one JSON line per page (--out, or stdout with --json), a summary at the end. "
                + "With --redis several processes share one crawl.")
public final class CrawlCommand extends AppCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "URL", description = "The seed URLs.")
    List<String> seeds;

    @Option(names = "--max-pages", defaultValue = "1000", description = "Pages to fetch at most (the whole crawl's, with --redis).")
    long maxPages;

    @Option(names = "--depth", defaultValue = "5", description = "Links followed from a seed at most.")
    int depth;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "16", description = "Fetches at once, in all.")
    int concurrency;

    @Option(names = "--per-host", defaultValue = "4", description = "Fetches at once from one host.")
    int perHost;

    @Option(names = "--delay", defaultValue = "0ms", description = "Time between two fetches from one host (robots.txt's Crawl-delay wins when longer).")
    Duration delay;

    @Option(names = "--same-host", description = "Stay on the seeds' hosts: the default, unless --allow-domain is given.")
    boolean sameHost;

    @Option(names = "--no-same-host", description = "Follow links to any host (robots.txt and the per-host limits still apply).")
    boolean anyHost;

    @Option(names = "--allow-domain", paramLabel = "DOMAIN", description = "Follow links to this domain and its subdomains (repeatable).")
    List<String> allowDomains = new ArrayList<>();

    @Option(names = "--include", paramLabel = "REGEX", description = "Follow only URLs matching REGEX.")
    String include;

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Never follow URLs matching REGEX.")
    String exclude;

    @Option(names = "--user-agent", defaultValue = "ReactiveKit-crawler/0.1", description = "User-Agent sent, and the name robots.txt rules are matched against.")
    String userAgent;

    @Option(names = "--timeout", defaultValue = "10s", description = "Longest time for one attempt of a fetch.")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "2", description = "Retries of a fetch that failed with 5xx, a timeout or a connection error (never 4xx).")
    int retries;

    @Option(names = "--max-body", defaultValue = "5242880", description = "Largest page body read, in bytes; bigger pages are recorded as skipped.")
    long maxBody;

    @Option(names = "--max-links", defaultValue = "10000", description = "Links taken from one page at most.")
    int maxLinks;

    @Option(names = "--frontier-size", defaultValue = "100000", description = "URLs queued in memory at most; more are dropped and counted as 'frontier full'.")
    int frontierSize;

    @Option(names = "--out", paramLabel = "FILE", description = "Write one JSON line per page to FILE.")
    Path out;

    @Option(names = "--redis", paramLabel = "URL", description = "Share the crawl through Redis (redis://, rediss://, redis-cluster://): frontier, visited set, politeness and counters.")
    String redis;

    @Option(names = "--crawl-id", description = "Name of the shared crawl in Redis (default: from the seeds); processes with the same one join it.")
    String crawlId;

    @Option(names = "--resume", description = "Continue the crawl an earlier run stopped (in memory: from FILE.state beside --out).")
    boolean resume;

    @Override
    protected int run() throws IOException {
        if (maxPages < 1 || depth < 0 || concurrency < 1 || perHost < 1 || retries < 0 || maxBody < 1 || maxLinks < 0
                || frontierSize < 1) {
            throw new UsageException("--max-pages, --concurrency, --per-host, --max-body and --frontier-size must be at "
                    + "least 1; --depth, --retries and --max-links at least 0");
        }
        if (resume && redis == null && out == null) {
            throw new UsageException("--resume in memory needs --out FILE: the crawl's state is kept beside it");
        }
        if (redis != null) {
            Urls.redis("--redis", redis);
        }
        List<String> normalSeeds = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        UrlRules probe = new UrlRules(Set.of(), List.of(), null, null);
        for (String seed : seeds) {
            String normal = probe.normalize(Urls.http(seed));
            if (normal == null) {
                throw new UsageException("malformed URL '" + seed + "'");
            }
            normalSeeds.add(normal);
            hosts.add(UrlRules.host(normal));
        }
        // The seeds' hosts by default; the allowed domains when given; any host with --no-same-host alone.
        if (sameHost && anyHost) {
            throw new UsageException("--same-host and --no-same-host say the opposite");
        }
        List<String> domains = !allowDomains.isEmpty() ? allowDomains : anyHost ? null : List.of();
        UrlRules rules = new UrlRules(hosts, domains, regex(include, "--include"), regex(exclude, "--exclude"));

        // Opened first: a file that cannot be written is bad usage, found before anything else is made.
        BufferedWriter writer = out == null ? null : open(out, resume);
        HttpFetcher http = HttpFetcher.builder()
                .userAgent(userAgent)
                .maxConnections(Math.max(concurrency, 1))
                .maxConnectionsPerHost(Math.min(perHost, concurrency))
                .maxWaiters(Math.max(HttpFetcher.DEFAULT_MAX_WAITERS, concurrency * 4))
                .totalTimeout(timeout).responseTimeout(timeout).readTimeout(timeout)
                .maxBodySize(maxBody)
                .retry(retries == 0 ? RetryPolicy.none() : HttpFetcher.DEFAULT_RETRY.maxAttempts(retries + 1))
                .build();
        RedisStore<String> store = null;
        Frontier frontier;
        MemoryFrontier memory = null;
        Path state = out == null ? null : out.resolveSibling(out.getFileName() + ".state");
        Set<String> done = new HashSet<>();
        List<Frontier.Task> start = new ArrayList<>();
        try {
            if (redis != null) {
                store = RedisStore.connect(redis).block(Duration.ofSeconds(30));
                String id = crawlId != null ? crawlId : RedisFrontier.idFor(normalSeeds);
                frontier = new RedisFrontier(store, id, RedisFrontier.VISIBILITY, concurrency);
            } else {
                memory = new MemoryFrontier(frontierSize);
                if (resume) {
                    done.addAll(readDone(out));
                    memory.seenBefore(done);
                    start.addAll(readState(state));
                }
                frontier = memory;
            }
        } catch (RuntimeException | IOException e) {
            // A Redis that cannot be reached, or a resume file that cannot be read: nothing crawled, all closed.
            http.close().block(Duration.ofSeconds(10));
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
        normalSeeds.forEach(url -> start.add(new Frontier.Task(url, 0)));
        Crawler crawler = new Crawler(new Crawler.Settings(start, maxPages, depth, concurrency, perHost, delay,
                maxLinks), http, new Robots(http, robotsName(userAgent)), rules, frontier);
        Summary summary = new Summary();
        long started = System.nanoTime();
        try (Progress progress = Progress.items(showProgress(), "crawl", -1)) {
            Disposable live = Flux.interval(Duration.ofMillis(250)).subscribe(tick -> {
                double seconds = (System.nanoTime() - started) / 1e9;
                progress.stepTo(summary.pages.get());
                progress.extra(String.format(Locale.ROOT, "in flight %d, frontier %d, %.1f pages/s, %d errors",
                        crawler.inFlight(), frontier.queued(), summary.pages.get() / Math.max(seconds, 1e-9),
                        summary.errors.get()));
            });
            try {
                // Written (off the event loops: file writes block) before the page's task is marked done.
                Object lock = new Object();
                crawler.run(page -> Mono.<Void>fromRunnable(() -> {
                            synchronized (lock) {
                                summary.add(page);
                                write(writer, page);
                            }
                        }).subscribeOn(Schedulers.boundedElastic()))
                        .takeUntilOther(console.interrupted())
                        .blockLast();
            } finally {
                live.dispose();
            }
        } finally {
            // What was being written and acknowledged when a Ctrl-C came is finished first (a few ms).
            crawler.settle().block(Duration.ofSeconds(10));
            frontier.close().block(Duration.ofSeconds(10));
            if (writer != null) {
                writer.close();
            }
            http.close().block(Duration.ofSeconds(10));
        }
        boolean interrupted = console.isInterrupted();
        if (memory != null && state != null) {
            if (interrupted) {
                writeState(state, memory.unfinished());
            } else {
                Files.deleteIfExists(state);
            }
        }
        Long total = frontier.crawlTotal().block(Duration.ofSeconds(10));
        if (store != null) {
            store.close().block(Duration.ofSeconds(10));
        }
        printSummary(summary, Duration.ofNanos(System.nanoTime() - started), frontier, redis != null ? total : null,
                interrupted, state);
        return interrupted ? ExitCodes.INTERRUPTED : summary.errors.get() > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    private static BufferedWriter open(Path out, boolean append) {
        try {
            return Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("cannot write --out " + out + ": its directory does not exist");
        } catch (IOException e) {
            throw new UsageException("cannot write --out " + out + ": " + e.getMessage());
        }
    }

    private void write(BufferedWriter writer, PageRecord page) {
        try {
            String line = JSON.writeValueAsString(page.toJson());
            if (writer != null) {
                // One line a write, flushed: a process killed outright leaves at most its last line cut short
                // (which --resume skips); a stopped one leaves only whole lines.
                writer.write(line + "\n");
                writer.flush();
            } else if (json) {
                console.out().println(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private static Pattern regex(String value, String option) {
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new UsageException(option + " is not a regular expression: " + e.getDescription());
        }
    }

    /** The product token of the User-Agent ("ReactiveKit-crawler" of "ReactiveKit-crawler/0.1"), as robots.txt names agents. */
    private static String robotsName(String userAgent) {
        String token = userAgent.trim().split("[/\\s]")[0];
        return token.isEmpty() ? "*" : token.toLowerCase(Locale.ROOT);
    }

    private static Set<String> readDone(Path out) throws IOException {
        Set<String> done = new HashSet<>();
        List<Frontier.Task> start = new ArrayList<>();
        if (!Files.exists(out)) {
            return done;
        }
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode page = JSON.readTree(line);
                done.add(page.get("url").asText());
                if (page.hasNonNull("final_url")) {
                    done.add(page.get("final_url").asText());
                }
            } catch (IOException e) {
                // a line cut short by a crash: its page is fetched again
            }
        }
        return done;
    }

    /** The URLs left to crawl by the run that wrote {@code state} (they go first). */
    private static List<Frontier.Task> readState(Path state) throws IOException {
        List<Frontier.Task> left = new ArrayList<>();
        if (state == null || !Files.exists(state)) {
            return left;
        }
        for (JsonNode task : JSON.readTree(state.toFile()).get("frontier")) {
            left.add(new Frontier.Task(task.get("url").asText(), task.get("depth").asInt()));
        }
        return left;
    }

    private static void writeState(Path state, List<Frontier.Task> left) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("frontier", left.stream().map(t -> Map.of("url", t.url(), "depth", t.depth())).toList());
        Path temp = state.resolveSibling(state.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), s);
        Files.move(temp, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the summary counts. */
    static final class Summary {
        final AtomicLong pages = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Pages robots.txt disallows: recorded, not fetched, not failures. */
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> errorsByKind = new ConcurrentHashMap<>();
        final Set<String> hosts = ConcurrentHashMap.newKeySet();

        void add(PageRecord page) {
            pages.incrementAndGet();
            bytes.addAndGet(page.bytes());
            hosts.add(UrlRules.host(page.url()));
            byStatus.computeIfAbsent(page.status() == null ? "-" : page.status().toString(), k -> new AtomicLong())
                    .incrementAndGet();
            if ("RobotsDisallowed".equals(page.errorKind())) {
                skipped.incrementAndGet();
            } else if (page.error() != null) {
                errors.incrementAndGet();
                errorsByKind.computeIfAbsent(page.errorKind(), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private void printSummary(Summary s, Duration wall, Frontier frontier, Long crawlTotal, boolean interrupted,
            Path state) {
        double rate = s.pages.get() / Math.max(wall.toNanos() / 1e9, 1e-9);
        if (json && out == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("summary", true);
            m.put("pages", s.pages.get());
            m.put("errors", s.errors.get());
            m.put("robots_disallowed", s.skipped.get());
            m.put("bytes", s.bytes.get());
            m.put("hosts", s.hosts.size());
            m.put("by_status", new TreeMap<>(Map.copyOf(s.byStatus)));
            m.put("errors_by_kind", new TreeMap<>(Map.copyOf(s.errorsByKind)));
            m.put("frontier_full", frontier.full());
            m.put("wall_s", wall.toMillis() / 1000.0);
            m.put("pages_per_s", Math.round(rate * 10) / 10.0);
            if (crawlTotal != null) {
                m.put("crawl_total", crawlTotal);
            }
            m.put("interrupted", interrupted);
            console.json(m);
            return;
        }
        Table table = new Table("", "pages");
        new TreeMap<>(s.byStatus).forEach((status, n) -> table.row(status.equals("-") ? "no status" : "status " + status,
                n.get()));
        new TreeMap<>(s.errorsByKind).forEach((kind, n) -> table.row("error " + kind, n.get()));
        table.row("disallowed by robots.txt", s.skipped.get());
        table.row("hosts", s.hosts.size());
        table.row("frontier full (dropped)", frontier.full());
        table.print(console.out());
        console.out().printf(Locale.ROOT, "%n%d pages (%d errors), %s in %s: %.1f pages/s%s%s%n", s.pages.get(),
                s.errors.get(), Table.bytes(s.bytes.get()), Durations.format(wall), rate,
                crawlTotal == null ? "" : "; the whole crawl: " + crawlTotal + " pages",
                interrupted ? state != null && redis == null ? "; interrupted: run again with --resume to continue"
                        : "; interrupted" : "");
    }
}
