package dev.reactivekit.perf.seed;

import static dev.reactivekit.perf.Measurements.seconds;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.perf.DelayEndpoint;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seeds' own experiment ("性能对比实验"): N requests to an endpoint that answers after a delay, made three ways:
 * one after another with blocking calls (the seed's {@code requests.get} loop), all at once (its
 * {@code asyncio.gather}), and at most L at a time (its {@code asyncio.Semaphore(5)}). The seed expects about
 * N x D, D and ceil(N / L) x D: 10 s, 1 s and 2 s for its 10 requests of 1 s and a limit of 5. Each way is timed
 * over several rounds, the three alternating round by round, against the seeds' own {@code httpbin} stand-in
 * (the showcase's, on a free port of 127.0.0.1); every request must answer 200, or the round fails.
 */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The seeds' experiment: N requests to a delay endpoint, sequential and blocking, all at "
                + "once, and limited to L at a time, against the expected N x D, D and ceil(N/L) x D.")
public final class SeedExperiment extends Scenario {

    static final String SYNC = "sync";
    static final String ASYNC = "async";
    static final String LIMITED = "limited";

    @Option(names = "--requests", defaultValue = "10", description = "Requests per run.")
    int requests;

    @Option(names = "--delay", defaultValue = "1s", description = "How long the endpoint takes to answer (1s, 200ms).")
    Duration delay;

    @Option(names = "--limit", defaultValue = "5", description = "Requests at a time in the limited run.")
    int limit;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds of each way.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up rounds of each way, not counted.")
    int warmup;

    @Override
    public List<String> quickArguments() {
        return List.of("--rounds", "1", "--warmup", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (requests < 1 || limit < 1 || rounds < 1 || warmup < 0) {
            throw new UsageException("--requests, --limit and --rounds must be at least 1, --warmup at least 0");
        }
        DelayEndpoint bin = DelayEndpoint.start(delay);
        HttpFetcher fetcher = HttpFetcher.builder()
                .retry(RetryPolicy.none())
                .responseTimeout(delay.multipliedBy(2).plusSeconds(10))
                .totalTimeout(delay.multipliedBy(2).plusSeconds(10))
                .maxConnections(Math.max(requests, HttpFetcher.DEFAULT_MAX_CONNECTIONS))
                .maxConnectionsPerHost(Math.max(requests, HttpFetcher.DEFAULT_MAX_CONNECTIONS_PER_HOST))
                .maxWaiters(Math.max(requests, HttpFetcher.DEFAULT_MAX_WAITERS))
                .build();
        try {
            List<String> urls = bin.urls(requests);
            LinkedHashMap<String, Measurements.Run> ways = new LinkedHashMap<>();
            ways.put(SYNC, () -> seconds(() -> {
                for (String url : urls) {
                    ok(fetcher.get(url).block());
                }
            }));
            ways.put(ASYNC, () -> seconds(() -> fetcher.fetchAll(urls, Concurrency.limit(requests))
                    .doOnNext(outcome -> ok(outcome.orElseThrow())).blockLast()));
            ways.put(LIMITED, () -> seconds(() -> fetcher.fetchAll(urls, Concurrency.limit(limit))
                    .doOnNext(outcome -> ok(outcome.orElseThrow())).blockLast()));
            new Measurements().interleave(warmup, ways);
            Measurements m = new Measurements();
            m.interleave(rounds, ways);
            double d = delay.toNanos() / 1e9;
            Map<String, Double> expected = new LinkedHashMap<>();
            expected.put(SYNC, requests * d);
            expected.put(ASYNC, d);
            expected.put(LIMITED, Math.ceil((double) requests / limit) * d);
            print(m, expected);
            record(m.toCase(name(), String.format(Locale.ROOT, "%d requests answered after %s: sync, async, limited to %d",
                    requests, Durations.format(delay), limit), "s", false, null, List.of(SYNC, ASYNC, LIMITED),
                    expected, List.of("ideal: the seed's expected N x D, D and ceil(N/L) x D")));
            return ExitCodes.OK;
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
            bin.close();
        }
    }

    private void print(Measurements m, Map<String, Double> expected) {
        Map<String, String> described = Map.of(
                SYNC, "sync: one by one, blocking",
                ASYNC, "async: all " + requests + " at once",
                LIMITED, "async, limited to " + limit + " at a time");
        if (json) {
            for (var way : expected.entrySet()) {
                String name = way.getKey();
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("scenario", "seed");
                record.put("way", name);
                record.put("requests", requests);
                record.put("delay_ms", delay.toMillis());
                record.put("at_once", name.equals(SYNC) ? 1
                        : name.equals(ASYNC) ? requests : Math.min(limit, requests));
                record.put("rounds", rounds);
                record.put("median_s", m.median(name));
                record.put("min_s", m.min(name));
                record.put("max_s", m.max(name));
                record.put("expected_s", way.getValue());
                record.put("ratio_to_expected", m.median(name) / way.getValue());
                console.json(record);
            }
            return;
        }
        console.out().printf(Locale.ROOT, "%d requests, each answered after %s; %d rounds after %d of warm-up;"
                + " HttpFetcher against the showcase's httpbin on 127.0.0.1%n%n", requests, Durations.format(delay),
                rounds, warmup);
        Table table = new Table("way", "expected", "measured", "min-max", "vs expected");
        for (var way : expected.entrySet()) {
            String name = way.getKey();
            table.row(described.get(name), String.format(Locale.ROOT, "%.2fs", way.getValue()),
                    String.format(Locale.ROOT, "%.3fs", m.median(name)),
                    String.format(Locale.ROOT, "%.3f-%.3fs", m.min(name), m.max(name)),
                    String.format(Locale.ROOT, "%.2fx", m.median(name) / way.getValue()));
        }
        table.print(console.out());
        console.out().printf(Locale.ROOT, "%nmeasured: the median of the rounds; vs expected: measured over the"
                + " expected time (1.00x is the ideal)%n");
    }

    private static void ok(FetchResult result) {
        if (result == null || result.status() != 200) {
            throw new IllegalStateException("the delay endpoint answered " + (result == null ? "nothing"
                    : result.status() + " to " + result.url()));
        }
    }

}
