package dev.reactivekit.perf.data;

import dev.reactivekit.data.redis.PubSubEvent;
import dev.reactivekit.data.redis.RedisOptions;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.perf.Measurements;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
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
 * Needs a Redis server: {@code --url}, default {@code REACTIVEKIT_REDIS_URL} or {@code redis://127.0.0.1:6379}.
 * Keys are {@code rkbench:*}, deleted at the end.
 * <pre>./reactivekit perf redis</pre>
 */
@Command(name = "redis", mixinStandardHelpOptions = true,
        description = "SET/GET and pub/sub throughput: RedisStore vs raw Lettuce vs redis-benchmark.")
public final class RedisBench implements Callable<Integer> {

    private static final String VALUE = "0123456789abcdef"; // 16 bytes
    private static final int IN_FLIGHT = 50;
    private static final int KEYS = 10_000;

    @Option(names = "--url", description = "Redis URL (default: $REACTIVEKIT_REDIS_URL or redis://127.0.0.1:6379).")
    String url;

    @Option(names = "--cases", defaultValue = "all", split = ",", description = "ops, pubsub or all (default ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--operations", defaultValue = "200000", description = "Operations or messages per run (default ${DEFAULT-VALUE}).")
    int operations;

    @Option(names = "--rounds", defaultValue = "6", description = "Measured runs per side (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up runs per side (default ${DEFAULT-VALUE}).")
    int warmup;


    @Override
    public Integer call() throws Exception {
        if (url == null) {
            String env = System.getenv("REACTIVEKIT_REDIS_URL");
            url = env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env;
        }
        boolean all = cases.contains("all");
        RedisStore<String> ours = RedisStore.connect(url).block(Duration.ofSeconds(10));
        RedisClient client = RedisClient.create(url);
        StatefulRedisConnection<String, String> rawConnection = client.connect();
        RedisReactiveCommands<String, String> raw = rawConnection.reactive();
        try {
            System.out.printf(Locale.ROOT, "%s; %d runs per side after %d warm-up runs, %,d operations per run%n%n", url,
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
        return 0;
    }

    // ------------------------------------------------------------------ (a) SET/GET

    private void operations(RedisStore<String> ours, RedisReactiveCommands<String, String> raw) throws Exception {
        Measurements.Run oursRun = () -> opsPerSecond(i -> i % 2 == 0
                ? ours.set(key(i), VALUE).then()
                : ours.get(key(i)).then());
        Measurements.Run rawRun = () -> opsPerSecond(i -> i % 2 == 0
                ? raw.set(key(i), VALUE).then()
                : raw.get(key(i)).then());
        for (int i = 0; i < warmup; i++) {
            oursRun.run();
            rawRun.run();
        }
        Measurements m = new Measurements();
        m.interleave(rounds, "RedisStore (defaults)", oursRun, "raw Lettuce reactive flatMap(50)", rawRun);
        System.out.printf(Locale.ROOT, "(a) %,d operations, half SET half GET, 16-byte values, %d in flight; ops/s%n",
                operations, IN_FLIGHT);
        System.out.print(m.table("ops/s", "raw Lettuce reactive flatMap(50)",
                List.of("RedisStore (defaults)", "raw Lettuce reactive flatMap(50)")));
        redisBenchmark().ifPresent(line -> System.out.println(line));
        System.out.println();
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
                "%-36s %12.0f   (SET %.0f, GET %.0f; -c %d, %,d of each, one run)", "redis-benchmark (C)", mixed, s, g,
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
        try {
            for (int i = 0; i < warmup; i++) {
                for (Measurements.Run run : runs.values()) {
                    run.run();
                }
            }
            Measurements m = new Measurements();
            m.interleave(rounds, runs);
            System.out.printf(Locale.ROOT, "(b) pub/sub, %,d messages, one publisher (%d in flight), one subscriber;"
                    + " messages/s, none lost%n", operations, IN_FLIGHT);
            System.out.print(m.table("msg/s", "raw Lettuce observeChannels", List.copyOf(runs.keySet())));
            System.out.println();
        } finally {
            onLoop.close().block(Duration.ofSeconds(10));
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
