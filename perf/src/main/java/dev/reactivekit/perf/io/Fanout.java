package dev.reactivekit.perf.io;

import static dev.reactivekit.perf.Measurements.seconds;

import dev.reactivekit.core.Concurrency;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.perf.DelayEndpoint;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.perf.vertx.VertxBaselines;
import io.vertx.ext.web.client.WebClient;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Fan-out: N GETs (10,000) of an endpoint answering after D (100 ms), C (1,000) at a time, against the showcase's
 * httpbin on 127.0.0.1. The ways a Java developer would write it, in one JVM, alternating round by round after a
 * warm-up: our {@code fetchAll}; raw Reactor Netty {@code HttpClient} with {@code flatMap(..., C)}; the JDK's
 * {@code HttpClient} with blocking calls on virtual threads, C at a time by a {@code Semaphore} (on a JVM that has
 * virtual threads, 21 and later); and the JDK's client on a fixed pool of platform threads (200), the classic
 * thread-per-request code; and Vert.x's Web Client (a pool of C connections), C at a time. Each is compared
 * with the ideal time, N / C x D (N / threads x D for the pool), and
 * ours with raw Reactor Netty round by round. Every response must be a 200, or the run counts the errors.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, sortOptions = false,
        description = "N GETs of a delay endpoint, C at a time: fetchAll vs raw Reactor Netty flatMap vs the JDK "
                + "HttpClient on virtual threads with a Semaphore vs a fixed thread pool, against the ideal N/C x D.")
public final class Fanout extends Scenario {

    static final String OURS = "HttpFetcher.fetchAll";
    static final String RAW = "Reactor Netty HttpClient flatMap";
    static final String VIRTUAL = "JDK HttpClient, virtual threads";
    static final String POOL = "JDK HttpClient, thread pool";
    static final String VERTX = "Vert.x WebClient";
    /** The ways as --ways names them. */
    static final Map<String, String> SHORT = Map.of(RAW, "raw", VIRTUAL, "virtual", VERTX, "vertx", POOL, "pool");

    @Option(names = "--requests", defaultValue = "10000", description = "GETs per run.")
    int requests;

    @Option(names = "--concurrency", defaultValue = "1000", description = "GETs at a time.")
    int concurrency;

    @Option(names = "--delay", defaultValue = "100ms", description = "How long the endpoint takes to answer.")
    Duration delay;

    @Option(names = "--threads", defaultValue = "200", description = "Platform threads of the thread-pool way.")
    int threads;

    @Option(names = "--ways", split = ",", paramLabel = "WAY",
            description = "Only these baselines besides fetchAll: raw, virtual, vertx, pool (default: all of them).")
    List<String> only;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds of each way.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up rounds of each way, not counted.")
    int warmup;

    @Override
    public List<String> quickArguments() {
        return List.of("--requests", "5000", "--rounds", "2", "--warmup", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (requests < 1 || concurrency < 1 || threads < 1 || rounds < 1 || warmup < 0) {
            throw new UsageException("--requests, --concurrency, --threads and --rounds must be at least 1, "
                    + "--warmup at least 0");
        }
        if (only != null && !SHORT.values().containsAll(only)) {
            throw new UsageException("--ways: " + only + " names a way that is not raw, virtual, vertx or pool");
        }
        DelayEndpoint bin = DelayEndpoint.start(delay);
        int connections = Math.min(requests, concurrency);
        HttpFetcher ours = HttpFetcher.builder().maxConnections(connections).maxConnectionsPerHost(connections)
                .maxWaiters(requests).build();
        ConnectionProvider provider = ConnectionProvider.builder("raw").maxConnections(connections)
                .pendingAcquireMaxCount(requests).build();
        HttpClient raw = HttpClient.create(provider);
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ExecutorService virtual = virtualThreads();
        AtomicLong errors = new AtomicLong();
        VertxBaselines vertx = new VertxBaselines();
        WebClient web = vertx.webClient(connections);
        try {
            List<String> urls = bin.urls(requests);
            List<URI> uris = urls.stream().map(URI::create).toList();
            LinkedHashMap<String, Measurements.Run> ways = new LinkedHashMap<>();
            ways.put(OURS, () -> seconds(() -> errors.addAndGet(requests - ours.fetchAll(urls,
                    Concurrency.limit(concurrency)).filter(o -> o.isSuccess() && o.orElseThrow().status() == 200)
                    .count().block())));
            ways.put(RAW, () -> seconds(() -> errors.addAndGet(requests - Flux.fromIterable(urls)
                    .flatMap(u -> raw.get().uri(u).responseSingle((response, body) -> body.asString()
                            .defaultIfEmpty("").map(text -> response.status().code())), concurrency)
                    .filter(code -> code == 200).count().block())));
            if (virtual != null) {
                Semaphore permits = new Semaphore(concurrency);
                ways.put(VIRTUAL, () -> seconds(() -> errors.addAndGet(blocking(virtual, jdk, uris, permits))));
            }
            ways.put(VERTX, () -> seconds(() -> errors.addAndGet(requests - Flux.fromIterable(urls)
                    .flatMap(u -> VertxBaselines.get(web, u), concurrency).filter(code -> code == 200).count().block())));
            ways.put(POOL, () -> seconds(() -> errors.addAndGet(blocking(pool, jdk, uris, null))));
            if (only != null) {
                ways.keySet().removeIf(way -> !way.equals(OURS) && !only.contains(SHORT.get(way)));
            }
            new Measurements().interleave(warmup, ways);
            errors.set(0);
            Measurements m = new Measurements();
            m.interleave(rounds, ways);
            double d = delay.toNanos() / 1e9;
            Map<String, Double> ideal = new LinkedHashMap<>();
            for (String way : ways.keySet()) {
                int atOnce = way.equals(POOL) ? Math.min(threads, requests) : connections;
                ideal.put(way, Math.ceil((double) requests / atOnce) * d);
            }
            print(m, ideal, errors.get());
            List<String> notes = new ArrayList<>();
            notes.add("ideal: N / at-once x delay, at once " + Math.min(concurrency, requests) + " (" + threads
                    + " for the thread pool)");
            if (errors.get() > 0) {
                notes.add(String.format(Locale.ROOT, "errors: %,d responses were not 200", errors.get()));
            }
            record(m.toCase(name(), String.format(Locale.ROOT, "%,d GETs of a %s endpoint, %,d at a time", requests,
                    Durations.format(delay), Math.min(concurrency, requests)), "s", false, OURS,
                    List.copyOf(ways.keySet()), ideal, notes));
            return errors.get() == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
        } finally {
            pool.shutdownNow();
            if (virtual != null) {
                virtual.shutdownNow();
            }
            ours.close().block(Duration.ofSeconds(10));
            web.close();
            vertx.close();
            provider.disposeLater().block(Duration.ofSeconds(10));
            bin.close();
        }
    }

    /** Blocking GETs on {@code executor}, at most {@code permits} at a time when given; returns the non-200s. */
    private static long blocking(ExecutorService executor, java.net.http.HttpClient jdk, List<URI> uris,
            Semaphore permits) {
        List<Future<Integer>> calls = new ArrayList<>(uris.size());
        for (URI uri : uris) {
            calls.add(executor.submit(() -> {
                if (permits != null) {
                    permits.acquire();
                }
                try {
                    return jdk.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode();
                } finally {
                    if (permits != null) {
                        permits.release();
                    }
                }
            }));
        }
        long failed = 0;
        for (Future<Integer> call : calls) {
            try {
                failed += call.get() == 200 ? 0 : 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                calls.forEach(c -> c.cancel(true));
                throw reactor.core.Exceptions.propagate(e); // as Reactor's block() does: Ctrl-C, not an error
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
            }
        }
        return failed;
    }

    /** A virtual thread per task, on JDK 21 and later (this code is compiled for 17: found by reflection). */
    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private void print(Measurements m, Map<String, Double> ideal, long errors) {
        if (json) {
            for (var way : ideal.entrySet()) {
                String name = way.getKey();
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("scenario", "fanout");
                record.put("way", name);
                record.put("requests", requests);
                record.put("at_once", Math.min(name.equals(POOL) ? threads : concurrency, requests));
                record.put("delay_ms", delay.toMillis());
                record.put("rounds", rounds);
                record.put("median_s", m.median(name));
                record.put("min_s", m.min(name));
                record.put("max_s", m.max(name));
                record.put("ideal_s", way.getValue());
                record.put("ratio_to_ideal", m.median(name) / way.getValue());
                record.put("paired_vs_fetchAll", m.pairedRatio(name, OURS));
                console.json(record);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("scenario", "fanout");
            summary.put("errors", errors);
            console.json(summary);
            return;
        }
        console.out().printf(Locale.ROOT, "%,d GETs, %,d at a time (%d platform threads in the pool), each answered"
                        + " after %s; %d rounds after %d of warm-up; Java %s%n%n", requests, Math.min(concurrency,
                requests), threads, Durations.format(delay), rounds, warmup, Runtime.version().feature());
        Table table = new Table("way", "ideal", "median", "min-max", "vs ideal", "ours vs it");
        for (var way : ideal.entrySet()) {
            String name = way.getKey();
            table.row(name, String.format(Locale.ROOT, "%.3fs", way.getValue()),
                    String.format(Locale.ROOT, "%.3fs", m.median(name)),
                    String.format(Locale.ROOT, "%.3f-%.3fs", m.min(name), m.max(name)),
                    String.format(Locale.ROOT, "%.2fx", m.median(name) / way.getValue()),
                    name.equals(OURS) ? "" : String.format(Locale.ROOT, "%.2fx", m.pairedRatio(name, OURS)));
        }
        table.print(console.out());
        console.out().printf(Locale.ROOT, "%nvs ideal: the median over N / at-once x delay; ours vs it: that way's time"
                + " over fetchAll's, round by round (above 1.00x: fetchAll is faster)%n");
        if (Runtime.version().feature() < 21) {
            console.out().printf(Locale.ROOT, "(no virtual threads on Java %d: run on 21+, e.g. JAVA_HOME=/usr/lib/jvm/"
                    + "temurin-25-jdk-amd64, for that way)%n", Runtime.version().feature());
        }
        if (errors > 0) {
            console.out().printf(Locale.ROOT, "errors: %,d responses were not 200%n", errors);
        }
    }

}
