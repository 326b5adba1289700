package dev.reactivekit.perf.io;

import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.perf.vertx.VertxBaselines;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * What the echo, http and ws scenarios share: our server and the raw Reactor Netty one started side by side, the
 * same load client on each, a warm-up, then rounds alternating between them; per connection count a case of
 * throughput and one of p99 latency (the p50 in its note).
 */
abstract class NetScenario extends Scenario {

    // No defaultValue: it would override the subclass's own (echo's 100,1000), set in its constructor.
    @Option(names = "--connections", split = ",", paramLabel = "N",
            description = "Connections at once, one message outstanding on each; a list runs a case per count.")
    List<Integer> connections = List.of(100);

    @Option(names = "--rounds", defaultValue = "6", description = "Measured rounds per side.")
    int rounds;

    @Option(names = "--seconds", defaultValue = "2", description = "Length of one round, in seconds.")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Warm-up per side before measuring, in seconds.")
    int warmupSeconds;

    @Option(names = "--vertx", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure Vert.x's server: one instance per core (its recommended set-up) and one (its default).")
    boolean vertx;

    /** What the servers speak. */
    abstract PlainServers.Protocol protocol();

    /** The case's title for {@code connections}: "TCP echo, 100 connections, 64-byte messages". */
    abstract String title(int connections);

    /** The load client for {@code connections} on the server at {@code url}. */
    abstract Loads.Load load(PlainServers.Running server, int connections);

    /** Ours and raw Reactor Netty's series' names: ours first. */
    abstract List<String> names();

    /** Vert.x's server, as a series name: "Vert.x NetServer". */
    abstract String vertxName();

    private final List<String> measured = new ArrayList<>();

    @Override
    public List<String> quickArguments() {
        return List.of("--rounds", "2", "--seconds", "1", "--warmup-seconds", "1");
    }

    /** The unit of the throughput case. */
    String unit() {
        return "round trips/s";
    }

    /** Measured here for other load generators (wrk) after ours; nothing by default. */
    void extra(Map<String, PlainServers.Running> servers) throws Exception {
    }

    @Override
    protected int measure() throws Exception {
        if (rounds < 1 || seconds < 1 || warmupSeconds < 0 || connections.stream().anyMatch(c -> c < 1)) {
            throw new UsageException("--rounds, --seconds and --connections must be at least 1, --warmup-seconds at least 0");
        }
        Map<String, PlainServers.Running> servers = new LinkedHashMap<>();
        long errors = 0;
        VertxBaselines baselines = vertx ? new VertxBaselines() : null;
        try {
            servers.put(names().get(0), PlainServers.start(protocol(), PlainServers.Impl.OURS, "127.0.0.1", 0));
            servers.put(names().get(1), PlainServers.start(protocol(), PlainServers.Impl.RAW, "127.0.0.1", 0));
            if (baselines != null) {
                int n = VertxBaselines.recommendedInstances();
                servers.put(vertxName() + ", " + n + " instances", baselines.server(protocol(), n));
                servers.put(vertxName() + ", 1 instance (default)", baselines.server(protocol(), 1));
            }
            measured.clear();
            measured.addAll(servers.keySet());
            header("%d rounds x %d s after %d s of warm-up per side", rounds, seconds, warmupSeconds);
            for (int n : connections) {
                errors += measure(servers, n);
            }
            extra(servers);
        } finally {
            servers.values().forEach(PlainServers.Running::close);
            if (baselines != null) {
                baselines.close();
            }
        }
        return errors == 0 ? ExitCodes.OK : ExitCodes.FAILURES;
    }

    private long measure(Map<String, PlainServers.Running> servers, int n) throws Exception {
        Map<String, Loads.Load> loads = new LinkedHashMap<>();
        try {
            for (var server : servers.entrySet()) {
                loads.put(server.getKey(), load(server.getValue(), n));
            }
            Measurements rate = new Measurements();
            Measurements p99 = new Measurements();
            Measurements p50 = new Measurements();
            long[] errors = {0};
            Function<String, Measurements.Run> round = name -> () -> {
                Loads.Window w = loads.get(name).measure(Duration.ofSeconds(seconds));
                p99.add(name, w.p99Millis());
                p50.add(name, w.p50Millis());
                errors[0] += w.errors();
                return w.perSecond();
            };
            if (warmupSeconds > 0) {
                for (Loads.Load load : loads.values()) {
                    load.measure(Duration.ofSeconds(warmupSeconds));
                }
            }
            LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
            measured.forEach(name -> runs.put(name, round.apply(name)));
            rate.interleave(rounds, runs);
            String title = title(n);
            List<String> notes = new ArrayList<>();
            if (errors[0] > 0) {
                notes.add(String.format(Locale.ROOT, "errors: %,d requests failed or were not 200", errors[0]));
            }
            report(rate.toCase(name(), title, unit(), true, measured.get(0), measured, Map.of(), notes));
            List<String> latencyNotes = new ArrayList<>();
            for (String name : measured) {
                latencyNotes.add(String.format(Locale.ROOT, "p50 of %s: %.3f ms (median of the rounds)", name,
                        p50.median(name)));
            }
            report(p99.toCase(name(), title + ", p99 latency", "ms", false, measured.get(0), measured, Map.of(),
                    latencyNotes));
            return errors[0];
        } finally {
            loads.values().forEach(Loads.Load::close);
        }
    }
}
