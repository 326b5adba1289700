package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The commands of one {@link RedisStore#pipeline pipeline}, collected while the pipeline's function runs and then
 * written in one go. Each method adds one command; the pipeline's result list holds one entry per command, in
 * order, typed as each method says ({@code null} where Redis answered nil). Not thread-safe: use it only inside
 * the function.
 *
 * @param <V> the value type
 */
public final class RedisBatch<V> {

    /** Commands one pipeline may hold: beyond it, split the work into several pipelines. */
    public static final int MAX_COMMANDS = 100_000;

    private final RedisCodec<String, V> codec;
    private final List<Entry<V>> entries = new ArrayList<>();

    RedisBatch(RedisCodec<String, V> codec) {
        this.codec = codec;
    }

    /** {@code SET key value}; result {@code Boolean.TRUE}. */
    public RedisBatch<V> set(String key, V value) {
        return set(key, value, SetOptions.none());
    }

    /** {@code SET key value [PX] [NX|XX]}; result whether it was written. */
    public RedisBatch<V> set(String key, V value, SetOptions options) {
        Checks.notNull(options, "options");
        CommandArgs<String, V> args = args(key).addValue(Checks.notNull(value, "value"));
        options.toArgs().build(args);
        return add("SET", key, CommandType.SET, new StatusOutput<>(codec), args, ok -> ok != null);
    }

    /** {@code GET key}; result the value or {@code null}. */
    public RedisBatch<V> get(String key) {
        return add("GET", key, CommandType.GET, new ValueOutput<>(codec), args(key), Function.identity());
    }

    /** {@code DEL key}; result {@code Long} 1 or 0. */
    public RedisBatch<V> del(String key) {
        return add("DEL", key, CommandType.DEL, new IntegerOutput<>(codec), args(key), Function.identity());
    }

    /** {@code INCR key}; result the new {@code Long} value. */
    public RedisBatch<V> incr(String key) {
        return add("INCR", key, CommandType.INCR, new IntegerOutput<>(codec), args(key), Function.identity());
    }

    /** {@code INCRBY key delta}; result the new {@code Long} value. */
    public RedisBatch<V> incrBy(String key, long delta) {
        return add("INCRBY", key, CommandType.INCRBY, new IntegerOutput<>(codec), args(key).add(delta),
                Function.identity());
    }

    /** {@code PEXPIRE key ttl}; result whether the key exists. */
    public RedisBatch<V> expire(String key, Duration ttl) {
        Checks.positive(ttl, "ttl");
        return add("PEXPIRE", key, CommandType.PEXPIRE, new BooleanOutput<>(codec), args(key).add(ttl.toMillis()),
                Function.identity());
    }

    /** {@code HSET key field value ...}; result the {@code Long} number of new fields. */
    public RedisBatch<V> hset(String key, Map<String, V> fields) {
        Checks.notNull(fields, "fields");
        Checks.isTrue(!fields.isEmpty(), () -> "hset needs at least one field");
        CommandArgs<String, V> args = args(key);
        fields.forEach((field, value) -> args.addKey(Checks.notNull(field, "field"))
                .addValue(Checks.notNull(value, "value")));
        return add("HSET", key, CommandType.HSET, new IntegerOutput<>(codec), args, Function.identity());
    }

    /** {@code HGET key field}; result the value or {@code null}. */
    public RedisBatch<V> hget(String key, String field) {
        return add("HGET", key, CommandType.HGET, new ValueOutput<>(codec),
                args(key).addKey(Checks.notNull(field, "field")), Function.identity());
    }

    /** {@code LPUSH key value}; result the list's new {@code Long} length. */
    public RedisBatch<V> lpush(String key, V value) {
        return add("LPUSH", key, CommandType.LPUSH, new IntegerOutput<>(codec),
                args(key).addValue(Checks.notNull(value, "value")), Function.identity());
    }

    /** {@code RPUSH key value}; result the list's new {@code Long} length. */
    public RedisBatch<V> rpush(String key, V value) {
        return add("RPUSH", key, CommandType.RPUSH, new IntegerOutput<>(codec),
                args(key).addValue(Checks.notNull(value, "value")), Function.identity());
    }

    /** {@code SADD key member}; result whether it was added. */
    public RedisBatch<V> sadd(String key, V member) {
        return add("SADD", key, CommandType.SADD, new IntegerOutput<>(codec),
                args(key).addValue(Checks.notNull(member, "member")), added -> ((Long) added) > 0);
    }

    /** {@code PUBLISH channel message}; result the {@code Long} number of receivers. */
    public RedisBatch<V> publish(String channel, V message) {
        return add("PUBLISH", channel, CommandType.PUBLISH, new IntegerOutput<>(codec),
                args(channel).addValue(Checks.notNull(message, "message")), Function.identity());
    }

    /** Commands added so far. */
    public int size() {
        return entries.size();
    }

    private CommandArgs<String, V> args(String key) {
        return new CommandArgs<>(codec).addKey(Checks.notNull(key, "key"));
    }

    private RedisBatch<V> add(String name, String key, CommandType type, CommandOutput<String, V, ?> output,
            CommandArgs<String, V> args, Function<Object, Object> convert) {
        Checks.isTrue(entries.size() < MAX_COMMANDS,
                () -> "a pipeline holds at most " + MAX_COMMANDS + " commands; split the work");
        entries.add(new Entry<>(name, key, new AsyncCommand<>(new Command<>(type, output, args)), convert));
        return this;
    }

    /** Writes every command with one flush and collects the results in order. */
    Mono<List<Object>> run(StatefulConnection<String, V> connection, ErrorMapper mapper) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        List<RedisCommand<String, V, ?>> commands = new ArrayList<>(entries.size());
        CompletableFuture<?>[] futures = new CompletableFuture<?>[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            AsyncCommand<String, V, ?> command = entries.get(i).command;
            commands.add(command);
            futures[i] = command;
        }
        connection.dispatch(commands);
        AtomicBoolean cancelled = new AtomicBoolean();
        return Mono.fromFuture(CompletableFuture.allOf(futures).handle((ok, error) -> Boolean.TRUE), true)
                // The completion may still arrive after a cancel: nobody wants the results (or their errors) then.
                .filter(done -> !cancelled.get())
                .map(done -> results(mapper))
                .doOnCancel(() -> {
                    cancelled.set(true);
                    entries.forEach(entry -> entry.command.cancel(true));
                });
    }

    private List<Object> results(ErrorMapper mapper) {
        List<Object> results = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry<V> entry = entries.get(i);
            try {
                results.add(entry.convert.apply(entry.command.join()));
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String command = entry.name + " (" + (i + 1) + " of " + entries.size() + " in a pipeline)";
                throw reactor.core.Exceptions.propagate(mapper.map(cause, command, entry.key));
            }
        }
        return Collections.unmodifiableList(results);
    }

    /** Maps a failure of one command to ReactiveKit's error for it. */
    @FunctionalInterface
    interface ErrorMapper {
        Throwable map(Throwable error, String command, String key);
    }

    private record Entry<V>(String name, String key, AsyncCommand<String, V, ?> command,
            Function<Object, Object> convert) {
    }
}
