package dev.reactivekit.data.redis;

import dev.reactivekit.data.internal.Causes;
import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.data.internal.JdkWarmUp;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Redis as {@code Mono}/{@code Flux} (redis.asyncio's {@code Redis}), over Lettuce. One shared connection carries
 * every ordinary command, multiplexed: thousands of concurrent callers need no pool. Blocking commands run on
 * dedicated connections, pub/sub subscriptions on their own.
 *
 * <pre>{@code
 * RedisStore<String> redis = RedisStore.connect("redis://localhost:6379/0").block();
 * redis.set("user:1:name", "Ada", SetOptions.expireIn(Duration.ofHours(1)))
 *      .then(redis.get("user:1:name"))
 *      .subscribe(System.out::println);
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Every method is lazy: nothing is sent before subscription; each subscription sends the command again.</li>
 *   <li>Keys are strings (UTF-8); values are {@code String} ({@link #connect}) or {@code byte[]}
 *       ({@link #connectBinary}). A missing key or field is an empty {@code Mono}, never {@code null}.</li>
 *   <li>The {@link RedisOptions#policy() policy} applies to every command: its timeout, deadline, limit and
 *       circuit breaker to all; its retry only to idempotent reads (the methods documented as reads).</li>
 *   <li>Errors are typed and name the command and key, never the value: {@link RedisCommandException} (the
 *       server refused), {@link RedisWrongTypeException}, {@link RedisUnavailableException} (not connected;
 *       commands are rejected at once while reconnecting, never buffered), {@link
 *       dev.reactivekit.core.OperationTimeoutException}, {@link LimitExceededException} (request queue full).</li>
 *   <li>Cancelling a command abandons its reply (dropped when it arrives); a cancelled blocking command closes
 *       its dedicated connection, so the server stops waiting on it.</li>
 *   <li>Results are delivered on the connection's event-loop thread: do not block in callbacks; use
 *       {@code publishOn} for slow work.</li>
 * </ul>
 * Thread-safe. {@link #close()} releases the connections and threads.
 *
 * @param <V> the value type: {@code String} or {@code byte[]}
 */
public final class RedisStore<V> implements AsyncCloseable {

    private static final String STORE_CLOSED = "the RedisStore is closed";

    private final Connections<V> connections;
    private final StatefulConnection<String, V> shared;
    private final RedisClusterReactiveCommands<String, V> commands;
    private final BlockingConnections<V> blocking;
    private final Policy readPolicy;
    private final Policy writePolicy;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisStore(Connections<V> connections, StatefulConnection<String, V> shared) {
        this.connections = connections;
        this.shared = shared;
        this.commands = Connections.reactive(shared);
        this.blocking = new BlockingConnections<>(connections);
        Policy policy = connections.options.policy();
        this.readPolicy = isNone(policy) ? null : policy;
        Policy writes = policy.toBuilder().retry(RetryPolicy.none()).build();
        this.writePolicy = isNone(writes) ? null : writes;
    }

    /** Connects with the default options; values are UTF-8 strings. */
    public static Mono<RedisStore<String>> connect(String url) {
        return connect(url, RedisOptions.defaults());
    }

    /**
     * Connects to {@code url}: {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS,
     * {@code redis-sentinel://host:26379[,host2:26379]/db#master} for Sentinel, {@code redis-socket://path}, or
     * {@code redis-cluster://[[user]:password@]host:port[,host:port...]} ({@code rediss-cluster://} for TLS) with
     * seed nodes of a Redis Cluster, where commands are routed by key slot.
     * Emits the store once the shared connection is up; fails with an {@link IllegalArgumentException} naming
     * a malformed URL, or a {@link RedisUnavailableException} naming the server when it cannot be reached.
     */
    public static Mono<RedisStore<String>> connect(String url, RedisOptions options) {
        return open(url, StringCodec.UTF8, options);
    }

    /** Connects with the default options; values are raw bytes. */
    public static Mono<RedisStore<byte[]>> connectBinary(String url) {
        return connectBinary(url, RedisOptions.defaults());
    }

    /** {@link #connect(String, RedisOptions)} with values as raw bytes (keys stay UTF-8 strings). */
    public static Mono<RedisStore<byte[]>> connectBinary(String url, RedisOptions options) {
        return open(url, RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), options);
    }

    private static <V> Mono<RedisStore<V>> open(String url, RedisCodec<String, V> codec, RedisOptions options) {
        Checks.notNull(url, "url");
        Checks.notNull(options, "options");
        return Mono.defer(() -> {
            RedisTarget target;
            try {
                target = RedisUrls.parse(url);
            } catch (RuntimeException e) {
                return Mono.error(new IllegalArgumentException("not a Redis URL: " + RedisUrls.mask(url) + " ("
                        + e.getMessage() + ")", e));
            }
            for (RedisURI uri : target.uris()) {
                uri.setTimeout(options.commandTimeout());
                if (options.clientName() != null) {
                    uri.setClientName(options.clientName());
                }
            }
            Connections<V> connections = new Connections<>(target, codec, options);
            AtomicBoolean done = new AtomicBoolean();
            Mono<Void> ready = JdkWarmUp.networking()
                    .then(target.uris().stream().anyMatch(RedisURI::isSsl) ? JdkWarmUp.tls() : Mono.empty());
            return ready.then(Mono.fromCompletionStage(() -> connections.connect(false)))
                    .map(connection -> new RedisStore<>(connections, connection))
                    .doOnSuccess(store -> done.set(true))
                    .onErrorResume(e -> connections.shutdown(Duration.ofSeconds(2))
                            .onErrorResume(ignored -> Mono.empty())
                            .then(Mono.error(new RedisUnavailableException("CONNECT", null,
                                    "cannot connect to " + target.display() + ": " + Causes.rootMessage(e),
                                    e))))
                    .doOnCancel(() -> {
                        if (!done.get()) {
                            connections.shutdown(Duration.ofSeconds(2)).subscribe(null, e -> { });
                        }
                    });
        });
    }

    // ---------------------------------------------------------------------------------------------- strings

    /** {@code SET key value}; emits {@code true}. A write. */
    public Mono<Boolean> set(String key, V value) {
        Checks.notNull(key, "key");
        Checks.notNull(value, "value");
        return write("SET", key, commands.set(key, value).map(ok -> Boolean.TRUE));
    }

    /**
     * {@code SET key value [PX ms] [NX|XX]}; emits whether the value was written ({@code false} when the
     * {@link SetOptions#ifAbsent() NX}/{@link SetOptions#ifPresent() XX} condition did not hold). A write.
     */
    public Mono<Boolean> set(String key, V value, SetOptions options) {
        Checks.notNull(key, "key");
        Checks.notNull(value, "value");
        Checks.notNull(options, "options");
        return write("SET", key, commands.set(key, value, options.toArgs()).map(ok -> Boolean.TRUE)
                .defaultIfEmpty(Boolean.FALSE));
    }

    /** {@code GET key}; empty when the key does not exist. A read. */
    public Mono<V> get(String key) {
        Checks.notNull(key, "key");
        return read("GET", key, commands.get(key));
    }

    /** {@code GETDEL key}: the value, and the key removed; empty when it did not exist. A write. */
    public Mono<V> getDel(String key) {
        Checks.notNull(key, "key");
        return write("GETDEL", key, commands.getdel(key));
    }

    /** {@code INCR key}: the new value (a missing key counts from 0). A write. */
    public Mono<Long> incr(String key) {
        Checks.notNull(key, "key");
        return write("INCR", key, commands.incr(key));
    }

    /** {@code INCRBY key delta}: the new value. A write. */
    public Mono<Long> incrBy(String key, long delta) {
        Checks.notNull(key, "key");
        return write("INCRBY", key, commands.incrby(key, delta));
    }

    /** {@code PEXPIRE key ttl}: whether the key exists (and now expires). A write. */
    public Mono<Boolean> expire(String key, Duration ttl) {
        Checks.notNull(key, "key");
        Checks.positive(ttl, "ttl");
        return write("PEXPIRE", key, commands.pexpire(key, ttl.toMillis()));
    }

    /**
     * {@code PTTL key}: the time left before the key expires, {@code Optional.empty()} when it never expires,
     * and an empty {@code Mono} when the key does not exist. A read.
     */
    public Mono<Optional<Duration>> ttl(String key) {
        Checks.notNull(key, "key");
        return read("PTTL", key, commands.pttl(key)
                .filter(ms -> ms != -2)
                .map(ms -> ms == -1 ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(ms))));
    }

    /** {@code DEL key...}: how many of the keys existed. A write. */
    public Mono<Long> del(String... keys) {
        checkKeys(keys);
        return write("DEL", keys[0], commands.del(keys));
    }

    /** {@code EXISTS key...}: how many of the keys exist (a key named twice counts twice). A read. */
    public Mono<Long> exists(String... keys) {
        checkKeys(keys);
        return read("EXISTS", keys[0], commands.exists(keys));
    }

    /** {@code MGET key...}: the existing keys with their values, in the order asked; missing keys are left out. A read. */
    public Mono<Map<String, V>> mget(String... keys) {
        checkKeys(keys);
        return read("MGET", keys[0], commands.mget(keys)
                .collect(LinkedHashMap<String, V>::new, (map, kv) -> {
                    if (kv.hasValue()) {
                        map.put(kv.getKey(), kv.getValue());
                    }
                })
                .map(map -> (Map<String, V>) map));
    }

    /** {@code MSET key value ...}: sets every entry atomically. A write. */
    public Mono<Void> mset(Map<String, V> entries) {
        Checks.notNull(entries, "entries");
        Checks.isTrue(!entries.isEmpty(), () -> "mset needs at least one entry");
        return write("MSET", entries.keySet().iterator().next(), commands.mset(entries).then());
    }

    // ----------------------------------------------------------------------------------------------- hashes

    /** {@code HSET key field value ...} (redis.asyncio's {@code hset(key, mapping=...)}): fields added. A write. */
    public Mono<Long> hset(String key, Map<String, V> fields) {
        Checks.notNull(key, "key");
        Checks.notNull(fields, "fields");
        Checks.isTrue(!fields.isEmpty(), () -> "hset needs at least one field");
        return write("HSET", key, commands.hset(key, fields));
    }

    /** {@code HSET key field value}: whether the field is new. A write. */
    public Mono<Boolean> hset(String key, String field, V value) {
        Checks.notNull(key, "key");
        Checks.notNull(field, "field");
        Checks.notNull(value, "value");
        return write("HSET", key, commands.hset(key, field, value));
    }

    /** {@code HGET key field}; empty when the key or field does not exist. A read. */
    public Mono<V> hget(String key, String field) {
        Checks.notNull(key, "key");
        Checks.notNull(field, "field");
        return read("HGET", key, commands.hget(key, field));
    }

    /** {@code HGETALL key}: every field; an empty map when the key does not exist. A read. */
    public Mono<Map<String, V>> hgetAll(String key) {
        Checks.notNull(key, "key");
        return read("HGETALL", key, commands.hgetall(key)
                .collect(LinkedHashMap<String, V>::new, (map, kv) -> map.put(kv.getKey(), kv.getValue()))
                .map(map -> (Map<String, V>) map));
    }

    /** {@code HDEL key field...}: fields removed. A write. */
    public Mono<Long> hdel(String key, String... fields) {
        Checks.notNull(key, "key");
        checkKeys(fields);
        return write("HDEL", key, commands.hdel(key, fields));
    }

    /** {@code HINCRBY key field delta}: the field's new value. A write. */
    public Mono<Long> hincrBy(String key, String field, long delta) {
        Checks.notNull(key, "key");
        Checks.notNull(field, "field");
        return write("HINCRBY", key, commands.hincrby(key, field, delta));
    }

    // ------------------------------------------------------------------------------------------------ lists

    /** {@code LPUSH key value...}: the list's new length. A write. */
    @SafeVarargs
    public final Mono<Long> lpush(String key, V... values) {
        Checks.notNull(key, "key");
        checkValues(values);
        return write("LPUSH", key, commands.lpush(key, values));
    }

    /** {@code RPUSH key value...}: the list's new length. A write. */
    @SafeVarargs
    public final Mono<Long> rpush(String key, V... values) {
        Checks.notNull(key, "key");
        checkValues(values);
        return write("RPUSH", key, commands.rpush(key, values));
    }

    /** {@code LPOP key}: the first element; empty when the list is empty. A write. */
    public Mono<V> lpop(String key) {
        Checks.notNull(key, "key");
        return write("LPOP", key, commands.lpop(key));
    }

    /** {@code RPOP key}: the last element; empty when the list is empty. A write. */
    public Mono<V> rpop(String key) {
        Checks.notNull(key, "key");
        return write("RPOP", key, commands.rpop(key));
    }

    /**
     * {@code BRPOP key timeout}: the last element, waiting up to {@code timeout} for one; empty if none came.
     * Runs on a dedicated connection. A write.
     */
    public Mono<V> brpop(String key, Duration timeout) {
        return brpop(timeout, key).map(Map.Entry::getValue);
    }

    /**
     * {@code BRPOP key... timeout}: the last element of the first non-empty list, as (list, element), waiting up
     * to {@code timeout}; empty if none came. Runs on a dedicated connection. A write.
     */
    public Mono<Map.Entry<String, V>> brpop(Duration timeout, String... keys) {
        checkKeys(keys);
        Duration wait = blockingWait(timeout);
        double seconds = wait.toMillis() / 1000.0;
        // Not through the policy: its timeout or concurrency limit would cut or hold the wait asked for.
        return blocking.use("BRPOP", keys[0], wait, c -> c.brpop(seconds, keys))
                .next()
                .filter(KeyValue::hasValue)
                .map(kv -> Map.entry(kv.getKey(), kv.getValue()))
                .onErrorMap(e -> mapError(e, "BRPOP", keys[0]));
    }

    /** {@code LRANGE key start stop} (inclusive; negative counts from the end). A read. */
    public Flux<V> lrange(String key, long start, long stop) {
        Checks.notNull(key, "key");
        return read("LRANGE", key, commands.lrange(key, start, stop));
    }

    /** {@code LLEN key}. A read. */
    public Mono<Long> llen(String key) {
        Checks.notNull(key, "key");
        return read("LLEN", key, commands.llen(key));
    }

    // ------------------------------------------------------------------------------------------------- sets

    /** {@code SADD key member}: whether it was added (false: already there). A write. */
    @SuppressWarnings("unchecked")
    public Mono<Boolean> sadd(String key, V member) {
        Checks.notNull(key, "key");
        Checks.notNull(member, "member");
        return write("SADD", key, commands.sadd(key, member).map(added -> added > 0));
    }

    /** {@code SADD key member...}: how many were added. A write. */
    @SafeVarargs
    public final Mono<Long> saddAll(String key, V... members) {
        Checks.notNull(key, "key");
        checkValues(members);
        return write("SADD", key, commands.sadd(key, members));
    }

    /** {@code SISMEMBER key member}. A read. */
    public Mono<Boolean> sismember(String key, V member) {
        Checks.notNull(key, "key");
        Checks.notNull(member, "member");
        return read("SISMEMBER", key, commands.sismember(key, member));
    }

    /** {@code SMEMBERS key}, in no particular order. A read. */
    public Flux<V> smembers(String key) {
        Checks.notNull(key, "key");
        return read("SMEMBERS", key, commands.smembers(key));
    }

    /** {@code SREM key member...}: how many were removed. A write. */
    @SafeVarargs
    public final Mono<Long> srem(String key, V... members) {
        Checks.notNull(key, "key");
        checkValues(members);
        return write("SREM", key, commands.srem(key, members));
    }

    /** {@code SCARD key}. A read. */
    public Mono<Long> scard(String key) {
        Checks.notNull(key, "key");
        return read("SCARD", key, commands.scard(key));
    }

    // ------------------------------------------------------------------------------------------- pipelining

    /**
     * Sends the commands {@code batch} adds in one write and one flush, and emits their results in the order
     * they were added (redis.asyncio's {@code pipeline()}; not a transaction: other clients' commands may run
     * between them). Result types are listed on {@link RedisBatch}. If a command fails, the others still run
     * and the {@code Mono} fails with the first failure in order, naming that command and key. A write.
     *
     * <pre>{@code
     * redis.pipeline(batch -> users.forEach((id, name) -> batch.set("user:" + id, name)))
     * }</pre>
     */
    public Mono<List<Object>> pipeline(java.util.function.Consumer<RedisBatch<V>> batch) {
        Checks.notNull(batch, "batch");
        return write("PIPELINE", null, Mono.defer(() -> {
            RedisBatch<V> commandsInBatch = new RedisBatch<>(connections.codec);
            batch.accept(commandsInBatch);
            return commandsInBatch.run(shared, this::mapError);
        }));
    }

    // ---------------------------------------------------------------------------------------------- pub/sub

    /** {@code PUBLISH channel message}: how many subscribers received it. A write. */
    public Mono<Long> publish(String channel, V message) {
        Checks.notNull(channel, "channel");
        Checks.notNull(message, "message");
        return write("PUBLISH", channel, commands.publish(channel, message));
    }

    /**
     * {@code SUBSCRIBE channel...} on a connection of its own: emits every message published to the channels
     * while subscribed, in the order Redis delivered them. After the connection drops and comes back, it
     * subscribes again and emits a {@link PubSubEvent.Gap} per channel (messages published meanwhile are lost).
     * Cancelling closes the connection, which ends the subscription on the server. A subscriber that falls more
     * than {@link RedisOptions#subscriberBuffer()} messages behind stops receiving: it is handed the messages
     * buffered so far, then a {@link LimitExceededException}. Never completes by itself.
     */
    public Flux<PubSubEvent<V>> subscribe(String... channels) {
        return listen(false, channels);
    }

    /** {@code PSUBSCRIBE pattern...}: as {@link #subscribe}, for glob patterns ({@code news.*}). */
    public Flux<PubSubEvent<V>> psubscribe(String... patterns) {
        return listen(true, patterns);
    }

    private Flux<PubSubEvent<V>> listen(boolean patterns, String[] names) {
        checkKeys(names);
        String command = patterns ? "PSUBSCRIBE" : "SUBSCRIBE";
        String key = String.join(" ", names);
        int buffer = connections.options.subscriberBuffer();
        return Flux.usingWhen(
                Mono.defer(() -> {
                    var connecting = connections.connectPubSub();
                    return Mono.<StatefulRedisPubSubConnection<String, V>>fromCompletionStage(connecting)
                            // Cancelled while connecting: the connection may still arrive; close it then.
                            .doOnCancel(() -> connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync));
                }).onErrorMap(e -> mapError(e, command, key)),
                connection -> Flux.<PubSubEvent<V>>create(sink -> {
                    Listener<V> listener = new Listener<>(sink, patterns);
                    connection.addListener(listener);
                    sink.onDispose(() -> connection.removeListener(listener));
                    var subscribed = patterns ? connection.async().psubscribe(names)
                            : connection.async().subscribe(names);
                    subscribed.whenComplete((ok, error) -> {
                        if (error != null) {
                            sink.error(mapError(error, command, key));
                        }
                    });
                }, FluxSink.OverflowStrategy.IGNORE)
                        .onBackpressureBuffer(buffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                        .onErrorMap(Exceptions::isOverflow, e -> new LimitExceededException("Redis " + command
                                + " " + RedisErrorMessages.shorten(key) + ": the subscriber fell more than " + buffer
                                + " messages behind (subscriberBuffer)", "subscriberBuffer", buffer)),
                RedisStore::closePubSub,
                (connection, error) -> closePubSub(connection),
                RedisStore::closePubSub);
    }

    private static <V> Mono<Void> closePubSub(StatefulRedisPubSubConnection<String, V> connection) {
        return Mono.fromCompletionStage(connection.closeAsync()).onErrorResume(e -> Mono.empty());
    }

    /** Forwards messages to the sink; a second confirmation of the same subscription means a reconnect. */
    private static final class Listener<V> extends RedisPubSubAdapter<String, V> {

        private final FluxSink<PubSubEvent<V>> sink;
        private final boolean patterns;
        private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

        Listener(FluxSink<PubSubEvent<V>> sink, boolean patterns) {
            this.sink = sink;
            this.patterns = patterns;
        }

        @Override
        public void message(String channel, V message) {
            if (!patterns) {
                sink.next(new PubSubEvent.Message<>(channel, null, message));
            }
        }

        @Override
        public void message(String pattern, String channel, V message) {
            if (patterns) {
                sink.next(new PubSubEvent.Message<>(channel, pattern, message));
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            if (!patterns) {
                confirm(channel);
            }
        }

        @Override
        public void psubscribed(String pattern, long count) {
            if (patterns) {
                confirm(pattern);
            }
        }

        private void confirm(String name) {
            if (!confirmed.add(name)) {
                sink.next(new PubSubEvent.Gap<>(name, Instant.now()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- streams

    /** {@code XADD stream * field value ...}: the new entry's id. A write. */
    public Mono<String> xadd(String stream, Map<String, V> fields) {
        Checks.notNull(stream, "stream");
        Checks.notNull(fields, "fields");
        Checks.isTrue(!fields.isEmpty(), () -> "xadd needs at least one field");
        return write("XADD", stream, commands.xadd(stream, fields));
    }

    /** {@code XLEN stream}. A read. */
    public Mono<Long> xlen(String stream) {
        Checks.notNull(stream, "stream");
        return read("XLEN", stream, commands.xlen(stream));
    }

    /**
     * {@code XGROUP CREATE stream group $ MKSTREAM}: creates the consumer group (and the stream), reading entries
     * added from now on; emits {@code false} if the group already existed. A write.
     */
    public Mono<Boolean> createGroup(String stream, String group) {
        Checks.notNull(stream, "stream");
        Checks.notNull(group, "group");
        return write("XGROUP CREATE", stream,
                commands.xgroupCreate(XReadArgs.StreamOffset.latest(stream), group, XGroupCreateArgs.Builder.mkstream())
                        .map(ok -> Boolean.TRUE)
                        .onErrorResume(e -> String.valueOf(e.getMessage()).startsWith("BUSYGROUP"),
                                e -> Mono.just(Boolean.FALSE)));
    }

    /**
     * Reads new entries of {@code stream} for {@code consumer} in {@code group} ({@code XREADGROUP ... BLOCK}),
     * for as long as the {@code Flux} is subscribed, on a dedicated connection: up to {@code batchSize} entries
     * per read, each read waiting up to {@code block} for entries. Read as the subscriber asks (at most one
     * batch ahead). Each entry stays pending in the group until {@link StreamEntry#ack()}. Never completes.
     */
    public Flux<StreamEntry<V>> readGroup(String stream, String group, String consumer, int batchSize,
            Duration block) {
        Checks.notNull(stream, "stream");
        Checks.notNull(group, "group");
        Checks.notNull(consumer, "consumer");
        Checks.positive(batchSize, "batchSize");
        Duration wait = blockingWait(block);
        XReadArgs args = XReadArgs.Builder.block(wait).count(batchSize);
        Consumer<String> reader = Consumer.from(group, consumer);
        return blocking.use("XREADGROUP", stream, wait, c -> Flux.defer(() ->
                        c.xreadgroup(reader, args, XReadArgs.StreamOffset.lastConsumed(stream)))
                        .repeat())
                .map(m -> new StreamEntry<>(m.getStream(), m.getId(), m.getBody(), this, group))
                .onErrorMap(e -> mapError(e, "XREADGROUP", stream));
    }

    /** {@code XACK stream group id...}: how many were still pending. A write. */
    public Mono<Long> xack(String stream, String group, String... ids) {
        Checks.notNull(stream, "stream");
        Checks.notNull(group, "group");
        checkKeys(ids);
        return write("XACK", stream, commands.xack(stream, group, ids));
    }

    // ------------------------------------------------------------------------------------------------ queue

    /**
     * A reliable job queue named {@code name} on this store; see {@link RedisQueue}. Queues are cheap views:
     * every call with the same name works on the same jobs.
     */
    public RedisQueue<V> queue(String name, QueueOptions options) {
        return new RedisQueue<>(this, Checks.notNull(name, "name"), Checks.notNull(options, "options"));
    }

    /** {@link #queue(String, QueueOptions)} with the default options. */
    public RedisQueue<V> queue(String name) {
        return queue(name, QueueOptions.defaults());
    }

    // ---------------------------------------------------------------------------------------- housekeeping

    /** {@code PING}: the round trip time. A read. */
    public Mono<Duration> ping() {
        return read("PING", null, Mono.defer(() -> {
            long start = System.nanoTime();
            return commands.ping().map(pong -> Duration.ofNanos(System.nanoTime() - start));
        }));
    }

    /** A snapshot of the connections: open ones, replies awaited, dedicated connections in use. */
    public Mono<RedisStats> stats() {
        return connections.pendingReplies().map(pending -> new RedisStats(connections.connectionCount(), pending,
                blocking.inUse(), blocking.idle(), blocking.waiting()));
    }

    /** The options this store was made with. */
    public RedisOptions options() {
        return connections.options;
    }

    /**
     * Lettuce's reactive commands on the shared connection, for commands this class does not wrap. Calls made
     * here bypass the policy and the error mapping; never run blocking commands on it.
     */
    public RedisClusterReactiveCommands<String, V> lettuce() {
        return commands;
    }

    /**
     * Closes every connection and stops the store's threads, waiting up to 2 seconds for replies in flight.
     * Later commands fail with an {@link IllegalStateException} saying so. Idempotent.
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            blocking.close();
            return Mono.fromCompletionStage(shared.closeAsync())
                    .onErrorResume(e -> Mono.empty())
                    .then(connections.shutdown(Duration.ofSeconds(2)));
        });
    }

    @Override
    public String toString() {
        return "RedisStore[" + connections.target.display() + (closed.get() ? ", closed]" : "]");
    }

    // ------------------------------------------------------------------------------------------- internals

    /** Runs a script or other command not wrapped above on the shared connection; a write. */
    <T> Flux<T> dispatch(String command, String key, ProtocolKeyword type, CommandOutput<String, V, ?> output,
            CommandArgs<String, V> args) {
        return write(command, key, commands.<T>dispatch(type, output, args));
    }

    RedisCodec<String, V> codec() {
        return connections.codec;
    }

    BlockingConnections<V> blocking() {
        return blocking;
    }

    /** {@code BLMOVE source destination RIGHT LEFT timeout} on a dedicated connection, as a repeating loop. */
    Flux<V> moveLoop(String source, String destination, Duration wait) {
        double seconds = wait.toMillis() / 1000.0;
        return blocking.use("BLMOVE", source, wait, c -> Flux.defer(() ->
                        c.blmove(source, destination, LMoveArgs.Builder.rightLeft(), seconds))
                        .repeat())
                .onErrorMap(e -> mapError(e, "BLMOVE", source));
    }

    Throwable mapError(Throwable error, String command, String key) {
        if (closed.get() && !String.valueOf(error.getMessage()).endsWith(STORE_CLOSED)) {
            // Permanent, unlike a dropped connection: no policy retries it.
            return new IllegalStateException(RedisErrorMessages.describe(command, key, STORE_CLOSED),
                    error);
        }
        return RedisErrors.map(error, command, key, connections.options.commandTimeout(),
                connections.options.requestQueueSize());
    }

    private <T> Mono<T> read(String command, String key, Mono<T> call) {
        Mono<T> mapped = call.onErrorMap(e -> mapError(e, command, key));
        return readPolicy == null ? mapped : readPolicy.apply(operationName(command, key), mapped);
    }

    private <T> Flux<T> read(String command, String key, Flux<T> call) {
        Flux<T> mapped = call.onErrorMap(e -> mapError(e, command, key));
        return readPolicy == null ? mapped : readPolicy.apply(operationName(command, key), mapped);
    }

    private <T> Mono<T> write(String command, String key, Mono<T> call) {
        Mono<T> mapped = call.onErrorMap(e -> mapError(e, command, key));
        return writePolicy == null ? mapped : writePolicy.apply(operationName(command, key), mapped);
    }

    private <T> Flux<T> write(String command, String key, Flux<T> call) {
        Flux<T> mapped = call.onErrorMap(e -> mapError(e, command, key));
        return writePolicy == null ? mapped : writePolicy.apply(operationName(command, key), mapped);
    }

    private static String operationName(String command, String key) {
        return key == null ? "Redis " + command : "Redis " + command + " " + RedisErrorMessages.shorten(key);
    }

    private static boolean isNone(Policy policy) {
        return policy.timeout() == null && policy.deadline() == null && policy.retry().maxAttempts() <= 1
                && policy.concurrencyLimit() == null && policy.circuitBreaker() == null;
    }

    private static Duration blockingWait(Duration timeout) {
        Checks.positive(timeout, "timeout");
        Checks.isTrue(timeout.toMillis() > 0, () -> "a blocking wait must be at least 1 ms, was " + timeout);
        return timeout;
    }

    private static void checkKeys(String[] keys) {
        Checks.notNull(keys, "keys");
        Checks.isTrue(keys.length > 0, () -> "at least one key is needed");
        for (int i = 0; i < keys.length; i++) {
            int index = i;
            Checks.isTrue(keys[i] != null, () -> "key " + index + " is null");
        }
    }

    private static <V> void checkValues(V[] values) {
        Checks.notNull(values, "values");
        Checks.isTrue(values.length > 0, () -> "at least one value is needed");
        for (int i = 0; i < values.length; i++) {
            int index = i;
            Checks.isTrue(values[i] != null, () -> "value " + index + " is null");
        }
    }
}
