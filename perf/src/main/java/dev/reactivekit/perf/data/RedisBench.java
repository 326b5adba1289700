package dev.reactivekit.perf.data;

import dev.reactivekit.data.redis.PubSubEvent;
import dev.reactivekit.data.redis.RedisOptions;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.perf.vertx.VertxBaselines;
import io.vertx.redis.client.RedisAPI;
import java.util.LinkedHashMap;
import dev.reactivekit.showcase.EmbeddedServers;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Redis throughput, {@link RedisStore} with its default options against the idiomatic raw Lettuce reactive code a
 * user would otherwise write (one shared connection of a default {@code RedisClient}, {@code flatMap(..., 50)}),
 * in one JVM, rounds alternating ABAB then BABA; and against {@code redis-benchmark -c 50} when installed:
 * <ol>
 *   <li>ops: 200,000 operations, half SET and half GET, 16-byte values, 50 in flight;</li>
 *   <li>pubsub: 200,000 messages from one publisher (50 in flight) to one subscriber, messages/s from the first
 *       publish to the last message received; every run checks that none was lost.</li>
 * </ol>
 * Runs against {@code --redis URL}, else {@code REACTIVEKIT_REDIS_URL}, else an embedded Redis started for the run.
 * Keys are {@code rkbench:*}, deleted at the end.
 * <pre>./reactivekit perf redis</pre>
 */
@Command(name = "redis", mixinStandardHelpOptions = true, sortOptions = false,
        description = "SET/GET and pub/sub throughput: RedisStore vs raw Lettuce vs redis-benchmark.")
public final class RedisBench extends Scenario {

    private static final String VALUE = "0123456789abcdef"; // 16 bytes
    private static final int IN_FLIGHT = 50;
    private static final int KEYS = 10_000;

    @Option(names = {"--redis", "--url"}, paramLabel = "URL",
            description = "Redis to measure against (default: $REACTIVEKIT_REDIS_URL, else an embedded Redis for the run).")
    String url;

    @Option(names = "--cases", defaultValue = "all", split = ",", description = "ops, pubsub or all.")
    List<String> cases;

    @Option(names = "--operations", defaultValue = "200000", description = "Operations or messages per run.")
    int operations;

    @Option(names = "--external", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run redis-benchmark when it is installed.")
    boolean external;

    @Option(names = "--rounds", defaultValue = "6", description = "Measured runs per side.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up runs per side.")
    int warmup;


    @Override
    public List<String> quickArguments() {
        return List.of("--operations", "50000", "--rounds", "2", "--warmup", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (operations < 1 || rounds < 1 || warmup < 0) {
            throw new UsageException("--operations and --rounds must be at least 1, --warmup at least 0");
        }
        if (url == null) {
            String env = System.getenv("REACTIVEKIT_REDIS_URL");
            url = env == null || env.isBlank() ? null : env;
        }
        EmbeddedServers.Redis embedded = null;
        if (url == null) {
            console.note("starting an embedded Redis (--redis URL to measure another)...");
            embedded = EmbeddedServers.Redis.start();
            url = embedded.url();
        }
        try {
            return measureOn();
        } finally {
            if (embedded != null) {
                embedded.close();
                url = null;
            }
        }
    }

    private int measureOn() throws Exception {
        boolean all = cases.contains("all");
        RedisStore<String> ours = RedisStore.connect(url).block(Duration.ofSeconds(10));
        RedisClient client = RedisClient.create(url);
        StatefulRedisConnection<String, String> rawConnection = client.connect();
        RedisReactiveCommands<String, String> raw = rawConnection.reactive();
        try {
            header("%s; %d runs per side after %d warm-up runs, %,d operations per run", url,
                    rounds, warmup, operations);
            if (all || cases.contains("ops")) {
                operations(ours, raw);
            }
            if (all || cases.contains("pubsub")) {
                pubSub(ours, client, raw);
            }
        } finally {
            ours.lettuce().eval("for _, k in ipairs(redis.call('KEYS', 'rkbench:*')) do redis.call('DEL', k) end",
                    io.lettuce.core.ScriptOutputType.STATUS, new String[0]).blockLast(Duration.ofSeconds(30));
            ours.close().block(Duration.ofSeconds(10));
            rawConnection.close();
            client.shutdown();
        }
        return ExitCodes.OK;
    }

    // ------------------------------------------------------------------ (a) SET/GET

    private void operations(RedisStore<String> ours, RedisReactiveCommands<String, String> raw) throws Exception {
        LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
        runs.put("RedisStore (defaults)", () -> opsPerSecond(i -> i % 2 == 0
                ? ours.set(key(i), VALUE).then()
                : ours.get(key(i)).then()));
        runs.put("raw Lettuce reactive flatMap(50)", () -> opsPerSecond(i -> i % 2 == 0
                ? raw.set(key(i), VALUE).then()
                : raw.get(key(i)).then()));
        VertxBaselines vertx = new VertxBaselines();
        VertxBaselines.RedisOne one = vertx.redisConnection(url);
        RedisAPI pooled = vertx.redisClient(url, 2 * IN_FLIGHT);
        runs.put("Vert.x redis, one connection", () -> opsPerSecond(i -> VertxBaselines.mono(i % 2 == 0
                ? one.api().set(List.of(key(i), VALUE)) : one.api().get(key(i))).then()));
        runs.put("Vert.x redis client, pooled (defaults)", () -> opsPerSecond(i -> VertxBaselines.mono(i % 2 == 0
                ? pooled.set(List.of(key(i), VALUE)) : pooled.get(key(i))).then()));
        Measurements m = new Measurements();
        try {
            new Measurements().interleave(warmup, runs);
            m.interleave(rounds, runs);
        } finally {
            one.close();
            pooled.close();
            vertx.close();
        }
        List<String> notes = new java.util.ArrayList<>();
        if (external) {
            redisBenchmark().ifPresent(notes::add);
        }
        report(m.toCase(name(), String.format(Locale.ROOT, "SET/GET, %,d operations, half each, 16-byte values, %d in"
                        + " flight", operations, IN_FLIGHT), "ops/s", true, "RedisStore (defaults)",
                List.copyOf(runs.keySet()), java.util.Map.of(), notes));
    }

    private double opsPerSecond(java.util.function.IntFunction<Mono<Void>> op) {
        long start = System.nanoTime();
        Long done = Flux.range(0, operations).flatMap(i -> op.apply(i).thenReturn(Boolean.TRUE), IN_FLIGHT).count().block();
        long elapsed = System.nanoTime() - start;
        if (done == null || done != operations) {
            throw new IllegalStateException("ran " + done + " of " + operations);
        }
        return operations / (elapsed / 1e9);
    }

    private java.util.Optional<String> redisBenchmark() throws Exception {
        java.net.URI uri = java.net.URI.create(url);
        ProcessBuilder pb = new ProcessBuilder("redis-benchmark", "-h", uri.getHost(), "-p",
                String.valueOf(uri.getPort() < 0 ? 6379 : uri.getPort()), "-c", String.valueOf(IN_FLIGHT), "-n",
                String.valueOf(operations / 2), "-d", "16", "-r", String.valueOf(KEYS), "-t", "set,get", "-q")
                .redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (java.io.IOException e) {
            return java.util.Optional.of("redis-benchmark: not installed, skipped");
        }
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return java.util.Optional.of("redis-benchmark: did not finish, skipped");
        }
        Matcher set = Pattern.compile("SET: ([0-9.]+) requests per second").matcher(output);
        Matcher get = Pattern.compile("GET: ([0-9.]+) requests per second").matcher(output);
        if (!set.find() || !get.find()) {
            return java.util.Optional.of("redis-benchmark: unreadable output: " + output.toString().strip());
        }
        double s = Double.parseDouble(set.group(1));
        double g = Double.parseDouble(get.group(1));
        double mixed = 2 / (1 / s + 1 / g); // half the operations each
        return java.util.Optional.of(String.format(Locale.ROOT,
                "redis-benchmark (C), one run: %.0f ops/s (SET %.0f, GET %.0f; -c %d, %,d of each)", mixed, s, g,
                IN_FLIGHT, operations / 2));
    }

    // ------------------------------------------------------------------ (b) pub/sub

    private void pubSub(RedisStore<String> ours, RedisClient client, RedisReactiveCommands<String, String> raw)
            throws Exception {
        AtomicInteger channel = new AtomicInteger();
        // The same store with messages delivered on the event loop instead of handed off to a scheduler: what the
        // hand-off (which keeps a slow subscriber from stalling the store's commands) costs.
        RedisStore<String> onLoop = RedisStore.connect(url, RedisOptions.builder()
                .subscriberScheduler(Schedulers.immediate()).build()).block(Duration.ofSeconds(10));
        Measurements.Run oursRun = () -> subscribeAndPublish(ours, raw, channel);
        Measurements.Run onLoopRun = () -> subscribeAndPublish(onLoop, raw, channel);
        Measurements.Run rawRun = () -> {
            String name = "rkbench:ch:" + channel.incrementAndGet();
            Sinks.One<Long> received = Sinks.one();
            Counter counter = new Counter(operations);
            StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
            try {
                Disposable subscription = connection.reactive().observeChannels()
                        .subscribe(message -> {
                            if (counter.add(message.getMessage())) {
                                received.tryEmitValue(System.nanoTime());
                            }
                        });
                connection.reactive().subscribe(name).block(Duration.ofSeconds(10));
                awaitSubscribers(raw, name);
                double rate = publishAndWait(name, counter, received.asMono(), i -> raw.publish(name, Integer.toString(i)));
                subscription.dispose();
                return rate;
            } finally {
                connection.close();
            }
        };
        java.util.LinkedHashMap<String, Measurements.Run> runs = new java.util.LinkedHashMap<>();
        runs.put("RedisStore subscribe/publish", oursRun);
        runs.put("RedisStore, on the event loop", onLoopRun);
        runs.put("raw Lettuce observeChannels", rawRun);
        VertxBaselines vertx = new VertxBaselines();
        VertxBaselines.RedisOne publisher = vertx.redisConnection(url);
        runs.put("Vert.x redis, a connection each", () -> {
            String name = "rkbench:ch:" + channel.incrementAndGet();
            Sinks.One<Long> received = Sinks.one();
            Counter counter = new Counter(operations);
            try (VertxBaselines.RedisOne sub = vertx.subscribe(url, name, payload -> {
                if (counter.add(payload)) {
                    received.tryEmitValue(System.nanoTime());
                }
            })) {
                awaitSubscribers(raw, name);
                return publishAndWait(name, counter, received.asMono(),
                        i -> VertxBaselines.mono(publisher.api().publish(name, Integer.toString(i))).map(r -> r.toLong()));
            }
        });
        try {
            for (int i = 0; i < warmup; i++) {
                for (Measurements.Run run : runs.values()) {
                    run.run();
                }
            }
            Measurements m = new Measurements();
            m.interleave(rounds, runs);
            report(m.toCase(name(), String.format(Locale.ROOT, "pub/sub, %,d messages, one publisher (%d in flight),"
                    + " one subscriber, none lost", operations, IN_FLIGHT), "messages/s", List.copyOf(runs.keySet())));
        } finally {
            onLoop.close().block(Duration.ofSeconds(10));
            publisher.close();
            vertx.close();
        }
    }

    private double subscribeAndPublish(RedisStore<String> store, RedisReactiveCommands<String, String> raw,
            AtomicInteger channel) {
        String name = "rkbench:ch:" + channel.incrementAndGet();
        Sinks.One<Long> received = Sinks.one();
        Counter counter = new Counter(operations);
        Disposable subscription = store.subscribe(name)
                .subscribe(event -> {
                    if (event instanceof PubSubEvent.Message<String> message && counter.add(message.payload())) {
                        received.tryEmitValue(System.nanoTime());
                    }
                });
        try {
            awaitSubscribers(raw, name);
            return publishAndWait(name, counter, received.asMono(), i -> store.publish(name, Integer.toString(i)));
        } finally {
            subscription.dispose();
        }
    }

    private double publishAndWait(String name, Counter counter, Mono<Long> lastReceived,
            java.util.function.IntFunction<Mono<Long>> publish) {
        long start = System.nanoTime();
        Flux.range(0, operations).flatMap(publish::apply, IN_FLIGHT).blockLast(Duration.ofMinutes(2));
        Long end = lastReceived.block(Duration.ofSeconds(30));
        if (end == null || counter.received() != operations) {
            throw new IllegalStateException(name + ": received " + counter.received() + " of " + operations);
        }
        return operations / ((end - start) / 1e9);
    }

    private static void awaitSubscribers(RedisReactiveCommands<String, String> raw, String name) {
        Mono.defer(() -> raw.pubsubNumsub(name))
                .map(counts -> counts.getOrDefault(name, 0L))
                .repeatWhen(r -> r.delayElements(Duration.ofMillis(5)))
                .takeUntil(n -> n > 0)
                .blockLast(Duration.ofSeconds(10));
    }

    /** Counts messages; every distinct payload once, so a lost message shows as a shortfall. */
    private static final class Counter {
        private final int expected;
        private final java.util.BitSet seen;
        private final AtomicLong count = new AtomicLong();

        Counter(int expected) {
            this.expected = expected;
            this.seen = new java.util.BitSet(expected);
        }

        /** Records one payload; true when the last expected one arrived. Called on one thread at a time. */
        boolean add(String payload) {
            int i = Integer.parseInt(payload);
            if (!seen.get(i)) {
                seen.set(i);
                return count.incrementAndGet() == expected;
            }
            return false;
        }

        long received() {
            return count.get();
        }
    }

    private static String key(int i) {
        return "rkbench:key:" + (i / 2 % KEYS);
    }
}
