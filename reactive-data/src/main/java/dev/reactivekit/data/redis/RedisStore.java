package dev.reactivekit.data.redis;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.AuthenticationException;
import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.PoolStats;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.data.internal.JdkWarmUp;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanStream;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Redis as {@code Mono}/{@code Flux} (redis.asyncio's {@code Redis}), over Lettuce. One shared connection carries
 * every ordinary command, multiplexed: thousands of concurrent callers need no pool. Blocking commands and
 * transactions run on dedicated connections, pub/sub subscriptions on their own.
 *
 * <pre>{@code
 * RedisStore<String> redis = RedisStore.connect("redis://localhost:6379/0").block();
 * redis.set("user:1:name", "Ada", SetOptions.expireIn(Duration.ofHours(1)))
 *      .then(redis.get("user:1:name"))
 *      .subscribe(System.out::println);
 * }</pre>
 *
 * <h2>Commands</h2>
 * The store is the facade of the command groups of {@link RedisCommands} (strings, keys, hashes, lists, sets,
 * sorted sets, scripting, streams, publishing), whose conventions it lists; a {@link RedisBatch} offers the same
 * set. Beside them, the store alone has what streams many replies or holds a connection while it waits:
 * {@link #scan}, {@link #brpop}, {@link #blmove}, {@link #readGroup}, {@link #subscribe}, {@link #psubscribe};
 * and the ways to send several commands together: {@link #pipeline}, {@link #multi}, {@link #watch}.
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
 *       dev.reactivekit.core.OperationTimeoutException}, {@link LimitExceededException} (request queue full),
 *       {@link ClientClosedException} (after {@link #close()}).</li>
 *   <li>Cancelling a command abandons its reply (dropped when it arrives); a cancelled blocking command closes
 *       its dedicated connection, so the server stops waiting on it.</li>
 *   <li>Command results are delivered on the connection's event-loop thread: do not block in callbacks; use
 *       {@code publishOn} for slow work. Pub/sub messages are delivered on
 *       {@link RedisOptions#subscriberScheduler()}, so a slow subscriber holds up nobody else.</li>
 * </ul>
 * Thread-safe. {@link #close()} releases the connections and threads.
 *
 * @param <V> the value type: {@code String} or {@code byte[]}
 */
public final class RedisStore<V> implements RedisCommands<V>, AsyncCloseable {

    /** How long {@link #close()} waits for replies in flight before it closes the connections anyway. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);

    private final Connections<V> connections;
    private final StatefulConnection<String, V> shared;
    private final RedisClusterReactiveCommands<String, V> commands;
    private final BlockingConnections<V> blocking;
    private final Subscriptions<V> subscriptions;
    private final Transactions<V> transactions;
    private final Runner runner;
    private final Policy readPolicy;
    private final Policy writePolicy;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisStore(Connections<V> connections, StatefulConnection<String, V> shared) {
        this.connections = connections;
        this.shared = shared;
        this.commands = Connections.reactive(shared);
        this.name = "RedisStore " + connections.target.display();
        this.blocking = new BlockingConnections<>(connections, name);
        this.subscriptions = new Subscriptions<>(connections, this);
        this.transactions = new Transactions<>(this, blocking, connections.target.cluster());
        this.runner = new Runner();
        this.readPolicy = connections.options.policy();
        this.writePolicy = readPolicy.toBuilder().retry(RetryPolicy.none()).build();
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
     * Emits the store once the shared connection is up. Fails with a {@link ConfigurationException} naming a
     * malformed URL (its password masked) or a setting the server refuses (a database index out of range), an
     * {@link AuthenticationException} when the server refuses the credentials (both permanent: no policy retries
     * them), or a {@link RedisUnavailableException} naming the server when it cannot be reached (transient).
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
                return Mono.error(new ConfigurationException("not a Redis URL: " + RedisUrls.mask(url) + " ("
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
                            .then(Mono.error(RedisErrors.connectFailed(target.display(), e))))
                    .doOnCancel(() -> {
                        if (!done.get()) {
                            connections.shutdown(Duration.ofSeconds(2)).subscribe(null, e -> { });
                        }
                    });
        });
    }

    // ------------------------------------------------------------------------------------------------- keys

    /**
     * {@code SCAN} with {@code MATCH pattern} (a glob: {@code "user:*"}), cursor after cursor until the whole
     * keyspace was seen (every node of a cluster): each key that matched, possibly more than once (as Redis
     * guarantees: keys added or removed meanwhile may or may not appear). Never blocks the server as {@code KEYS}
     * does. Each step asks for about {@code count} keys. Not retried (a retry would start over).
     */
    public Flux<String> scan(String pattern, int count) {
        Checks.notNull(pattern, "pattern");
        Checks.positive(count, "count");
        return Deadline.honor(ScanStream.scan(commands, ScanArgs.Builder.matches(pattern).limit(count))
                .onErrorMap(e -> mapError(e, "SCAN", pattern)));
    }

    /** {@link #scan(String, int)} asking for 100 keys a step. */
    public Flux<String> scan(String pattern) {
        return scan(pattern, 100);
    }

    // ---------------------------------------------------------------------------------------- blocking lists

    /**
     * {@code BRPOP key timeout}: the last element, waiting up to {@code timeout} for one; empty if none came.
     * Runs on a dedicated connection. A write. A {@link dev.reactivekit.core.Deadline} in the subscriber's
     * context shortens the wait to the time left (the server stops waiting then) and, when nothing came before
     * it, fails with the deadline's error.
     */
    public Mono<V> brpop(String key, Duration timeout) {
        return brpop(List.of(Checks.notNull(key, "key")), timeout).map(Map.Entry::getValue);
    }

    /**
     * {@code BRPOP key... timeout}: the last element of the first non-empty list, as (list, element), waiting up
     * to {@code timeout}; empty if none came. Runs on a dedicated connection. A write.
     */
    public Mono<Map.Entry<String, V>> brpop(List<String> keys, Duration timeout) {
        List<String> checked = CommandRunner.checkKeys(keys);
        String[] array = checked.toArray(String[]::new);
        Duration asked = blockingWait(timeout);
        // Not through the policy: its timeout or concurrency limit would cut or hold the wait asked for. The
        // caller's deadline shortens the server's wait itself, and nothing coming before it is the deadline's error.
        return BlockingWait.within(asked, wait -> blocking.use("BRPOP", array[0], wait,
                                c -> c.brpop(wait.toMillis() / 1000.0, array))
                        // singleOrEmpty, not next(): next() would cancel the finished command, which closes its
                        // dedicated connection instead of keeping it for the next blocking command.
                        .singleOrEmpty()
                        .filter(KeyValue::hasValue)
                        .map(kv -> Map.entry(kv.getKey(), kv.getValue()))
                        .onErrorMap(e -> mapError(e, "BRPOP", array[0])));
    }

    /**
     * {@code BLMOVE source destination RIGHT LEFT timeout}: moves the last element of {@code source} to the head
     * of {@code destination}, waiting up to {@code timeout} for one; emits it, or nothing if none came. Runs on a
     * dedicated connection, within the caller's deadline as {@link #brpop(String, Duration)} does. A write.
     */
    public Mono<V> blmove(String source, String destination, Duration timeout) {
        Checks.notNull(source, "source");
        Checks.notNull(destination, "destination");
        Duration asked = blockingWait(timeout);
        return BlockingWait.within(asked, wait -> blocking.use("BLMOVE", source, wait,
                                c -> c.blmove(source, destination, LMoveArgs.Builder.rightLeft(), wait.toMillis() / 1000.0))
                        .singleOrEmpty()
                        .onErrorMap(e -> mapError(e, "BLMOVE", source)));
    }

    // ---------------------------------------------------------------------------------------------- streams

    /**
     * Reads new entries of {@code stream} for {@code consumer} in {@code group} ({@code XREADGROUP ... BLOCK}),
     * for as long as the {@code Flux} is subscribed, on a dedicated connection: up to {@code batchSize} entries
     * per read, each read waiting up to {@code block} for entries. Read as the subscriber asks (at most one
     * batch ahead). Each entry stays pending in the group until {@link StreamEntry#ack()}; to take over what a
     * consumer that died held, see {@link #xautoclaim}. Never completes by itself; a {@link Deadline} in the
     * subscriber's context ends it with the deadline's error.
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
        return Deadline.honor(blocking.use("XREADGROUP", stream, wait, c -> Flux.defer(() ->
                        c.xreadgroup(reader, args, XReadArgs.StreamOffset.lastConsumed(stream)))
                        .repeat())
                .map(m -> new StreamEntry<>(m.getStream(), m.getId(), m.getBody(), this, group))
                .onErrorMap(e -> mapError(e, "XREADGROUP", stream)));
    }

    // ---------------------------------------------------------------------------------------------- pub/sub

    /**
     * {@code SUBSCRIBE channel...} on a connection of its own: emits every message published to the channels
     * while subscribed, in the order Redis delivered them, on {@link RedisOptions#subscriberScheduler()}. After the
     * connection drops and comes back, it subscribes again and emits a {@link PubSubEvent.Gap} per channel
     * (messages published meanwhile are lost). Cancelling closes the connection, which ends the subscription on
     * the server. A subscriber that falls more than {@link RedisOptions#subscriberBuffer()} messages behind stops
     * receiving: it is handed the messages buffered so far, then a {@link LimitExceededException}. Never completes
     * by itself; closing the store ends it with a {@link ClientClosedException}.
     */
    public Flux<PubSubEvent<V>> subscribe(String... channels) {
        return subscriptions.listen(false, channels);
    }

    /** {@code PSUBSCRIBE pattern...}: as {@link #subscribe}, for glob patterns ({@code news.*}). */
    public Flux<PubSubEvent<V>> psubscribe(String... patterns) {
        return subscriptions.listen(true, patterns);
    }

    // ---------------------------------------------------------------------------- several commands together

    /**
     * Sends the commands {@code batch} adds in one write and one flush, and emits their results in the order
     * they were added (redis.asyncio's {@code pipeline(transaction=False)}; not a transaction: other clients'
     * commands may run between them). If a command fails, the others still run and the {@code Mono} fails with
     * the first failure in order, naming that command and key; each command's own {@code Mono} has its own
     * result. A write.
     *
     * <pre>{@code
     * redis.pipeline(batch -> users.forEach((id, name) -> batch.set("user:" + id, name)))
     * }</pre>
     */
    public Mono<List<Object>> pipeline(java.util.function.Consumer<RedisBatch<V>> batch) {
        Checks.notNull(batch, "batch");
        return writePolicy.apply("Redis PIPELINE", Mono.defer(() -> {
            RedisBatch<V> commandsInBatch = new RedisBatch<>(this, connections.target.cluster(), "pipeline");
            batch.accept(commandsInBatch);
            return commandsInBatch.run(shared, this::mapError);
        }));
    }

    /**
     * {@code MULTI}, the commands {@code transaction} adds, {@code EXEC}, on a dedicated connection: they run
     * together, with no other client's command between them (redis.asyncio's {@code pipeline(transaction=True)}).
     * Emits their results in order. Redis does not roll back: a command that fails while running (a wrong type)
     * fails alone, the others are applied, and the {@code Mono} fails with the first failure; a command refused
     * while queued (a wrong number of arguments) aborts the whole transaction. Not on a Redis Cluster
     * ({@link ConfigurationException}). A write.
     */
    public Mono<List<Object>> multi(java.util.function.Consumer<RedisBatch<V>> transaction) {
        Checks.notNull(transaction, "transaction");
        return writePolicy.apply("Redis MULTI", transactions.multi(transaction));
    }

    /**
     * An optimistic transaction: {@code WATCH keys} on a dedicated connection, then {@code plan} (which reads
     * what it needs, through this store as usual, and emits the commands to run), then {@code MULTI}, those
     * commands, {@code EXEC}. If any watched key changed between {@code WATCH} and {@code EXEC}, nothing is applied
     * and the {@code Mono} fails with a {@link RedisTransactionAbortedException}: subscribing again runs
     * {@code plan} again on fresh values. An empty {@code plan} writes nothing and emits an empty list.
     *
     * <pre>{@code
     * redis.watch(List.of("stock:42"), redis.get("stock:42").map(Long::parseLong)
     *                 .filter(stock -> stock > 0)
     *                 .map(stock -> tx -> tx.set("stock:42", String.valueOf(stock - 1))))
     *      .retryWhen(Retry.max(10).filter(RedisTransactionAbortedException.class::isInstance))
     * }</pre>
     */
    public Mono<List<Object>> watch(List<String> keys,
            Mono<? extends java.util.function.Consumer<RedisBatch<V>>> plan) {
        List<String> watched = CommandRunner.checkKeys(keys);
        Checks.notNull(plan, "plan");
        return writePolicy.apply("Redis WATCH " + RedisErrorMessages.shorten(watched.get(0)),
                transactions.watch(watched, plan));
    }

    /** A Lua script run by its SHA1 digest, sent whole only when the server lacks it; see {@link RedisScript}. */
    public RedisScript<V> script(String source) {
        return new RedisScript<>(this, Checks.notNull(source, "source"));
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
        return readPolicy.apply("Redis PING", Mono.defer(() -> {
            long start = System.nanoTime();
            return commands.ping().map(pong -> Duration.ofNanos(System.nanoTime() - start));
        }).onErrorMap(e -> mapError(e, "PING", null)));
    }

    /** A snapshot of the connections: open ones, replies awaited, dedicated connections in use. */
    public Mono<RedisStats> stats() {
        return connections.pendingReplies().map(pending -> new RedisStats(connections.connectionCount(), pending,
                new PoolStats(blocking.inUse(), blocking.idle(), blocking.waiting(),
                        connections.options.maxBlockingConnections())));
    }

    /** The options this store was made with. */
    public RedisOptions options() {
        return connections.options;
    }

    /**
     * Lettuce's reactive commands on the shared connection, for commands this class does not wrap. Calls made
     * here bypass the policy and the error mapping; never run blocking commands or transactions on it.
     */
    public RedisClusterReactiveCommands<String, V> lettuce() {
        return commands;
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_GRACE}. */
    @Override
    public Mono<Void> close() {
        return close(DEFAULT_CLOSE_GRACE);
    }

    /**
     * Closes every connection and stops the store's threads, waiting up to {@code grace} for replies in flight.
     * Later commands fail with a {@link ClientClosedException} naming the store and the command. Idempotent.
     */
    @Override
    public Mono<Void> close(Duration grace) {
        Checks.notNegative(grace, "grace");
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            blocking.close();
            return subscriptions.closeAll()
                    .then(Mono.fromCompletionStage(shared.closeAsync()))
                    .onErrorResume(e -> Mono.empty())
                    .then(connections.shutdown(grace));
        });
    }

    @Override
    public String toString() {
        return "RedisStore[" + connections.target.display() + (closed.get() ? ", closed]" : "]");
    }

    // ------------------------------------------------------------------------------------------- internals

    CommandRunner<V> runner() {
        return runner;
    }

    /** The Netty transport the store's connections run on (see {@link Connections#transport()}). */
    String transport() {
        return connections.transport();
    }

    RedisCodec<String, V> codec() {
        return connections.codec;
    }

    /**
     * {@code BLMOVE source destination RIGHT LEFT timeout} on a dedicated connection, each moved element handed to
     * {@code then}, again and again: one move per element requested, never ahead of demand (a move that found
     * nothing is made again). {@code repeat} rather than {@code concatMap}, which asks for the next element as
     * soon as the previous one is done, demand or not: that would move an element nobody asked for.
     */
    <R> Flux<R> moveLoop(String source, String destination, Duration wait, Function<V, Mono<R>> then) {
        double seconds = wait.toMillis() / 1000.0;
        return Deadline.honor(blocking.use("BLMOVE", source, wait, c -> Mono.defer(() ->
                        c.blmove(source, destination, LMoveArgs.Builder.rightLeft(), seconds))
                        .onErrorMap(e -> mapError(e, "BLMOVE", source))
                        .flatMap(then)
                        .repeat()));
    }

    Throwable mapError(Throwable error, String command, String key) {
        if (closed.get() && !(error instanceof ClientClosedException)) {
            // Permanent, unlike a dropped connection: no policy retries it.
            return closedError(command, key);
        }
        return RedisErrors.map(error, command, key, connections.options.commandTimeout(),
                connections.options.requestQueueSize());
    }

    ClientClosedException closedError(String command, String key) {
        return new ClientClosedException(name, key == null ? command : command + " " + RedisErrorMessages.shorten(key));
    }

    private static Duration blockingWait(Duration timeout) {
        Checks.positive(timeout, "timeout");
        Checks.isTrue(timeout.toMillis() > 0, () -> "a blocking wait must be at least 1 ms, was " + timeout);
        return timeout;
    }

    /**
     * Sends each command on the shared connection when subscribed, under the policy (its retry for reads only,
     * which also honours the caller's deadline); on a cluster, a multi-key command once per hash slot.
     */
    private final class Runner extends CommandRunner<V> {

        Runner() {
            super(connections.codec);
        }

        @Override
        <T> Mono<T> run(RedisCall<V, T> call) {
            Mono<T> attempt = call.splittable() && cluster() ? perSlot(call) : Mono.defer(() -> send(call));
            return (call.read ? readPolicy : writePolicy).apply(call.operation(),
                    attempt.onErrorMap(e -> mapError(e, call.name, call.key)));
        }

        @Override
        boolean cluster() {
            return connections.target.cluster();
        }

        @Override
        RedisStore<V> store() {
            return RedisStore.this;
        }

        private <T> Mono<T> perSlot(RedisCall<V, T> call) {
            return Flux.fromIterable(SlotHash.partition(codec, call.keys).values())
                    .flatMapSequential(keys -> Mono.defer(() -> send(call.forKeys.apply(keys)))
                            .map(Optional::of)
                            .defaultIfEmpty(Optional.empty()))
                    .collectList()
                    .flatMap(parts -> {
                        List<T> values = new ArrayList<>(parts.size());
                        parts.forEach(part -> values.add(part.orElse(null)));
                        return Mono.justOrEmpty(call.combine.apply(call.keys, values));
                    });
        }

        /** One command on the shared connection; cancelling abandons its reply. */
        @SuppressWarnings("unchecked")
        private <T> Mono<T> send(RedisCall<V, T> call) {
            return Mono.<T>create(sink -> {
                if (closed.get()) {
                    sink.error(closedError(call.name, call.key));
                    return;
                }
                AsyncCommand<String, V, Object> command = new AsyncCommand<>(new Command<>(call.type,
                        (CommandOutput<String, V, Object>) call.output.get(), call.args));
                command.whenComplete((raw, error) -> {
                    if (command.isCancelled()) {
                        return; // cancelled by the subscriber: nobody waits for it
                    }
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        if (call.isAnswer(cause)) {
                            sink.success(call.answer);
                        } else {
                            sink.error(cause);
                        }
                        return;
                    }
                    T value;
                    try {
                        value = call.result(raw);
                    } catch (RuntimeException e) {
                        sink.error(e);
                        return;
                    }
                    sink.success(value);
                });
                sink.onCancel(() -> command.cancel(true));
                try {
                    shared.dispatch(command);
                } catch (RuntimeException e) {
                    if (!(e instanceof CancellationException)) {
                        command.completeExceptionally(e);
                    }
                }
            });
        }
    }
}
