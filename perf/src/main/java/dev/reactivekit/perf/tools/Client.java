package dev.reactivekit.perf.tools;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.SqlOptions;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Latencies;
import dev.reactivekit.showcase.cli.Urls;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ReactiveKit as a load client of a server of the user's choice, printing one JSON line ({@code wall_s},
 * {@code ops}, {@code errors}, {@code ops_per_s}, {@code p50_ms}, {@code p99_ms}): {@code fanout} GETs a URL with
 * {@code HttpFetcher.fetchAll}; {@code pg} runs a point query ({@code SELECT $1::int}) with
 * {@code Database.queryOne}; {@code redis} runs SET and GET, half each, with {@code RedisStore}.
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = "ReactiveKit as a load client: fanout (GETs of --url), pg (point queries on --url) or redis "
                + "(SET/GET on --url), printing one JSON line: wall_s, ops, errors, ops_per_s, p50_ms, p99_ms.")
public final class Client extends AppCommand {

    @Parameters(index = "0", paramLabel = "KIND", description = "fanout, pg or redis.")
    String kind;

    @Option(names = "--url", required = true,
            description = "fanout: the URL to GET; pg: postgresql://...; redis: redis://...")
    String url;

    @Option(names = {"-n", "--operations"}, defaultValue = "10000", description = "Requests, queries or commands in all.")
    int operations;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "100", description = "At once.")
    int concurrency;

    @Override
    protected int run() throws Exception {
        if (operations < 1 || concurrency < 1) {
            throw new UsageException("--operations and --concurrency must be at least 1");
        }
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        long start;
        switch (kind) {
            case "fanout" -> {
                Urls.http(url); // a malformed URL is bad usage
                HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).maxConnections(concurrency)
                        .maxConnectionsPerHost(concurrency)
                        .maxWaiters(Math.max(HttpFetcher.DEFAULT_MAX_WAITERS, operations)).build();
                try {
                    start = System.nanoTime();
                    timed(i -> http.get(url).map(r -> r.status() == 200), latencies, errors);
                } finally {
                    http.close().block(Duration.ofSeconds(10));
                }
                return print(start, latencies, errors);
            }
            case "pg" -> {
                Database db = Database.connect(url, SqlOptions.builder().minConnections(Math.min(concurrency, 20))
                        .maxConnections(Math.min(concurrency, 20)).build()).block(Duration.ofSeconds(30));
                try {
                    start = System.nanoTime();
                    timed(i -> db.queryOne("SELECT $1::int AS n", i).map(row -> row.getInt("n") == i), latencies, errors);
                } finally {
                    db.close().block(Duration.ofSeconds(10));
                }
                return print(start, latencies, errors);
            }
            case "redis" -> {
                RedisStore<String> redis = RedisStore.connect(url).block(Duration.ofSeconds(30));
                try {
                    start = System.nanoTime();
                    timed(i -> i % 2 == 0 ? redis.set("rkperf:client:" + i % 1000, "0123456789abcdef").thenReturn(true)
                            : redis.get("rkperf:client:" + (i - 1) % 1000).map(v -> true).defaultIfEmpty(true),
                            latencies, errors);
                    Flux.range(0, 1000).map(i -> "rkperf:client:" + i).buffer(100)
                            .concatMap(keys -> redis.del(keys.toArray(String[]::new))).blockLast(Duration.ofSeconds(30));
                } finally {
                    redis.close().block(Duration.ofSeconds(10));
                }
                return print(start, latencies, errors);
            }
            default -> throw new UsageException("not a client: " + kind + " (fanout, pg or redis)");
        }
    }

    private void timed(IntFunction<Mono<Boolean>> op, Latencies latencies, AtomicLong errors) {
        Flux.range(0, operations).flatMap(i -> {
            long t0 = System.nanoTime();
            return op.apply(i)
                    .doOnNext(ok -> {
                        if (ok) {
                            latencies.record(System.nanoTime() - t0);
                        } else {
                            errors.incrementAndGet();
                        }
                    })
                    .onErrorResume(e -> {
                        errors.incrementAndGet();
                        return Mono.empty();
                    });
        }, concurrency).blockLast();
    }

    private int print(long start, Latencies latencies, AtomicLong errors) {
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("client", kind);
        line.put("wall_s", wall);
        line.put("ops", operations);
        line.put("errors", errors.get());
        line.put("ops_per_s", latencies.count() / wall);
        line.put("p50_ms", latencies.percentileMillis(50));
        line.put("p99_ms", latencies.percentileMillis(99));
        console.json(Collections.unmodifiableMap(line));
        return errors.get() == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
    }
}
