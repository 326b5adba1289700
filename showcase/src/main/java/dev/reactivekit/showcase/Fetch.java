package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.StatusException;
import dev.reactivekit.core.Tasks;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.io.http.RequestBody;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Latencies;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import dev.reactivekit.showcase.cli.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code fetch}: the seeds' concurrent URL fetcher done right (aiohttp's {@code gather} over a session): bounded
 * concurrency in all and per host, retries of transient failures with backoff, one row per URL in input order.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Fetch URLs concurrently: one row per URL (status, bytes, time, attempts, or the error), in input order, then a summary. 5xx and connection errors are retried with backoff, never 4xx.")
final class Fetch extends AppCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..*", paramLabel = "URL", description = "The URLs to fetch.")
    List<String> urls;

    @Option(names = "--urls-file", paramLabel = "FILE", description = "Also fetch the URLs in FILE, one per line ('#' starts a comment).")
    Path urlsFile;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "10", description = "Requests at once, in all.")
    int concurrency;

    @Option(names = "--per-host", defaultValue = "0", description = "Requests at once to one host (0: the same as --concurrency).")
    int perHost;

    @Option(names = "--timeout", defaultValue = "10s", description = "Longest time for one attempt (250ms, 10s, 1m...).")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "2", description = "Retries of a transient failure (5xx, 408, 429, connection error, timeout) of an idempotent request.")
    int retries;

    @Option(names = {"-X", "--method"}, defaultValue = "GET", description = "HTTP method.")
    String method;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON", description = "A JSON request body (sent as application/json).")
    String data;

    @Option(names = "--bench", description = "Benchmark mode: fetch --url N times and print one JSON line of figures.")
    boolean bench;

    @Option(names = "--url", description = "The URL of --bench.")
    String benchUrl;

    @Option(names = "--requests", defaultValue = "1000", description = "Timed requests of --bench.")
    int requests;

    @Option(names = "--warmup", defaultValue = "100", description = "Untimed requests of --bench before the timed ones.")
    int warmup;

    @Override
    protected int run() throws IOException {
        if (concurrency < 1 || perHost < 0 || retries < 0) {
            throw new UsageException("--concurrency must be at least 1, --per-host and --retries at least 0");
        }
        method = method.toUpperCase(Locale.ROOT);
        byte[] body = body();
        return bench ? bench(body) : fetch(body);
    }

    private byte[] body() {
        if (data == null) {
            return null;
        }
        try {
            JSON.readTree(data);
        } catch (IOException e) {
            throw new UsageException("--data is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }

    private HttpFetcher fetcher(Map<String, AtomicInteger> retried) {
        RetryPolicy retry = retries == 0 ? RetryPolicy.none()
                : HttpFetcher.DEFAULT_RETRY.maxAttempts(retries + 1)
                        .onRetry(a -> retried.computeIfAbsent(a.operation(), op -> new AtomicInteger()).incrementAndGet());
        int hostLimit = perHost == 0 ? concurrency : Math.min(perHost, concurrency);
        return HttpFetcher.builder()
                .maxConnections(concurrency)
                .maxConnectionsPerHost(hostLimit)
                .maxWaiters(Math.max(HttpFetcher.DEFAULT_MAX_WAITERS, concurrency * 4))
                .totalTimeout(timeout)
                .responseTimeout(timeout)
                .readTimeout(timeout)
                .retry(retry)
                .build();
    }

    private HttpRequest request(String url, byte[] body) {
        HttpRequest request = HttpRequest.of(method, url);
        return body == null ? request : request.body(RequestBody.bytes(body, "application/json"));
    }

    private List<String> allUrls() throws IOException {
        List<String> all = new ArrayList<>(urls == null ? List.of() : urls);
        if (urlsFile != null) {
            try {
                for (String line : Files.readAllLines(urlsFile, StandardCharsets.UTF_8)) {
                    String url = line.strip();
                    if (!url.isEmpty() && !url.startsWith("#")) {
                        all.add(url);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new UsageException("cannot read --urls-file " + urlsFile + ": no such file");
            }
        }
        if (all.isEmpty()) {
            throw new UsageException("no URL to fetch: give URLs or --urls-file FILE");
        }
        all.replaceAll(Urls::http);
        return all;
    }

    /** One fetch's row. */
    private record Row(int index, String url, int status, long bytes, Duration time, int attempts, String error,
            String errorKind) {
        boolean ok() {
            return error == null;
        }
    }

    private int fetch(byte[] body) throws IOException {
        List<String> all = allUrls();
        Map<String, AtomicInteger> retried = new ConcurrentHashMap<>();
        HttpFetcher fetcher = fetcher(retried);
        int hostLimit = perHost == 0 ? concurrency : Math.min(perHost, concurrency);
        Concurrency<Integer> limits = Concurrency.perKey(concurrency, i -> HttpFetcher.hostOf(all.get(i)), hostLimit);
        List<Row> rows = new ArrayList<>();
        Latencies latencies = new Latencies();
        long start = System.nanoTime();
        try (Progress progress = Progress.items(showProgress(), "fetch", all.size())) {
            Flux<Row> fetches = Tasks.settled(indexed(all), i -> timed(fetcher, i, all.get(i), body), limits)
                    .map(outcome -> row(outcome, all, retried));
            fetches.takeUntilOther(console.interrupted())
                    .doOnNext(row -> {
                        rows.add(row);
                        latencies.record(row.time().toNanos());
                        progress.step(1);
                        if (json) {
                            console.json(jsonRow(row));
                        }
                    })
                    .blockLast();
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long ok = rows.stream().filter(Row::ok).count();
        long failed = rows.size() - ok;
        int notDone = all.size() - rows.size();
        double perSecond = rows.size() / Math.max(wall.toNanos() / 1e9, 1e-9);
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("summary", true);
            summary.put("ok", ok);
            summary.put("failed", failed);
            summary.put("not_done", notDone);
            summary.put("wall_s", round(wall.toNanos() / 1e9));
            summary.put("requests_per_s", round(perSecond));
            summary.put("p50_ms", round(latencies.percentileMillis(50)));
            summary.put("p99_ms", round(latencies.percentileMillis(99)));
            console.json(summary);
        } else {
            Table table = new Table(70, "url", "status", "bytes", "time", "attempts", "error");
            for (Row row : rows) {
                table.row(row.url(), row.status() == 0 ? "-" : row.status(), row.ok() ? row.bytes() : "",
                        Durations.format(row.time()), row.attempts(), row.ok() ? "" : row.error());
            }
            table.print(console.out());
            console.out().printf(Locale.ROOT, "%n%d ok, %d failed%s in %s: %.1f requests/s, p50 %s, p99 %s%n", ok, failed,
                    notDone > 0 ? ", " + notDone + " not done (interrupted)" : "", Durations.format(wall), perSecond,
                    Latencies.ms(latencies.percentileMillis(50)), Latencies.ms(latencies.percentileMillis(99)));
        }
        return console.isInterrupted() ? ExitCodes.INTERRUPTED : failed > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    private static Flux<Integer> indexed(List<String> all) {
        return Flux.range(0, all.size());
    }

    private Mono<TimedResult> timed(HttpFetcher fetcher, int index, String url, byte[] body) {
        return Mono.defer(() -> {
            long t0 = System.nanoTime();
            return Outcome.capture(fetcher.send(request(url, body)))
                    .map(outcome -> new TimedResult(index, outcome, Duration.ofNanos(System.nanoTime() - t0)));
        });
    }

    private record TimedResult(int index, Outcome<FetchResult> outcome, Duration time) {
    }

    private Row row(Outcome<TimedResult> settled, List<String> all, Map<String, AtomicInteger> retried) {
        TimedResult timed = settled.orElseThrow();
        String url = all.get(timed.index());
        Outcome<FetchResult> outcome = timed.outcome();
        if (outcome.isSuccess()) {
            FetchResult r = outcome.value();
            return new Row(timed.index(), url, r.status(), r.length(), timed.time(), r.attempts(), null, null);
        }
        Throwable error = Errors.unwrap(outcome.error());
        int status = 0;
        for (Throwable e = error; e != null && status == 0; e = e.getCause() == e ? null : e.getCause()) {
            status = e instanceof StatusException s ? s.status() : 0;
        }
        AtomicInteger retries = retried.get(request(url, null).toString());
        // The row names the URL and the attempts: the error says only what went wrong.
        String message = Errors.withoutRequest(error);
        return new Row(timed.index(), url, status, 0, timed.time(), 1 + (retries == null ? 0 : retries.get()),
                message, Errors.kind(error));
    }

    private static Map<String, Object> jsonRow(Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", row.url());
        m.put("status", row.status() == 0 ? null : row.status());
        m.put("bytes", row.ok() ? row.bytes() : null);
        m.put("time_ms", round(row.time().toNanos() / 1e6));
        m.put("attempts", row.attempts());
        m.put("error", row.error());
        return m;
    }

    private int bench(byte[] body) {
        if (benchUrl == null) {
            throw new UsageException("--bench needs --url URL");
        }
        String url = Urls.http(benchUrl);
        if (requests < 1 || warmup < 0) {
            throw new UsageException("--requests must be at least 1 and --warmup at least 0");
        }
        HttpFetcher fetcher = fetcher(new ConcurrentHashMap<>());
        Latencies latencies = new Latencies();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            Flux.range(0, warmup).flatMap(i -> Outcome.capture(fetcher.send(request(url, body))), concurrency)
                    .takeUntilOther(console.interrupted()).blockLast();
            long start = System.nanoTime();
            Flux.range(0, requests)
                    .flatMap(i -> Mono.defer(() -> {
                        long t0 = System.nanoTime();
                        return Outcome.capture(fetcher.send(request(url, body))).doOnNext(o -> {
                            latencies.record(System.nanoTime() - t0);
                            (o.isSuccess() ? ok : failed).incrementAndGet();
                        });
                    }), concurrency)
                    .takeUntilOther(console.interrupted())
                    .blockLast();
            double wall = (System.nanoTime() - start) / 1e9;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("wall_s", round(wall));
            figures.put("ok", ok.get());
            figures.put("failed", failed.get());
            figures.put("p50_ms", round(latencies.percentileMillis(50)));
            figures.put("p99_ms", round(latencies.percentileMillis(99)));
            console.json(figures);
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
        }
        return console.isInterrupted() ? ExitCodes.INTERRUPTED : failed.get() > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
