package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.DECRBY;
import static io.lettuce.core.protocol.CommandType.GET;
import static io.lettuce.core.protocol.CommandType.GETDEL;
import static io.lettuce.core.protocol.CommandType.INCR;
import static io.lettuce.core.protocol.CommandType.INCRBY;
import static io.lettuce.core.protocol.CommandType.MGET;
import static io.lettuce.core.protocol.CommandType.MSET;
import static io.lettuce.core.protocol.CommandType.SET;
import static io.lettuce.core.protocol.CommandType.STRLEN;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.KeyValue;
import io.lettuce.core.output.KeyValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * String commands ({@code GET}, {@code SET}, counters). Part of {@link RedisCommands}: on a {@link RedisStore}
 * each runs at once, in a {@link RedisBatch} when the batch is sent.
 *
 * @param <V> the value type
 */
public sealed interface RedisStringCommands<V> permits RedisCommands {

    /** {@code GET key}; empty when the key does not exist. A read. */
    default Mono<V> get(String key) {
        CommandRunner<V> r = runner();
        return r.read("GET", key, GET, r.key(key), r.value(), CommandRunner.same());
    }

    /** {@code SET key value}. A write. */
    default Mono<Void> set(String key, V value) {
        CommandRunner<V> r = runner();
        return r.write("SET", key, SET, r.key(key).addValue(Checks.notNull(value, "value")), r.status(),
                CommandRunner.nothing());
    }

    /**
     * {@code SET key value [PX ms] [NX|XX]}: whether the value was written, {@code false} only when the
     * {@link SetOptions#ifAbsent() NX}/{@link SetOptions#ifPresent() XX} condition did not hold. A write.
     */
    default Mono<Boolean> set(String key, V value, SetOptions options) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(key).addValue(Checks.notNull(value, "value"));
        Checks.notNull(options, "options").toArgs().build(args);
        return r.write("SET", key, SET, args, r.status(), ok -> ok != null);
    }

    /** {@code GETDEL key}: the value, and the key removed; empty when it did not exist. A write. */
    default Mono<V> getdel(String key) {
        CommandRunner<V> r = runner();
        return r.write("GETDEL", key, GETDEL, r.key(key), r.value(), CommandRunner.same());
    }

    /** {@code INCR key}: the new value (a missing key counts from 0). A write. */
    default Mono<Long> incr(String key) {
        CommandRunner<V> r = runner();
        return r.write("INCR", key, INCR, r.key(key), r.integer(), CommandRunner.same());
    }

    /** {@code INCRBY key delta}: the new value. A write. */
    default Mono<Long> incrby(String key, long delta) {
        CommandRunner<V> r = runner();
        return r.write("INCRBY", key, INCRBY, r.key(key).add(delta), r.integer(), CommandRunner.same());
    }

    /** {@code DECRBY key delta}: the new value. A write. */
    default Mono<Long> decrby(String key, long delta) {
        CommandRunner<V> r = runner();
        return r.write("DECRBY", key, DECRBY, r.key(key).add(delta), r.integer(), CommandRunner.same());
    }

    /** {@code STRLEN key}: the value's length in bytes, 0 when the key does not exist. A read. */
    default Mono<Long> strlen(String key) {
        CommandRunner<V> r = runner();
        return r.read("STRLEN", key, STRLEN, r.key(key), r.integer(), CommandRunner.same());
    }

    /**
     * {@code MGET key...}: the existing keys with their values, in the order asked; missing keys are left out. On
     * a Redis Cluster, one {@code MGET} per hash slot. A read.
     */
    default Mono<Map<String, V>> mget(String... keys) {
        CommandRunner<V> r = runner();
        List<String> all = CommandRunner.checkKeys(keys);
        return r.run(RedisCall.<V, Map<String, V>>perSlot(all,
                some -> RedisCall.read("MGET", some.get(0), MGET, r.keys(some),
                        () -> new KeyValueListOutput<>(r.codec, some), (List<KeyValue<String, V>> found) -> {
                            Map<String, V> map = new LinkedHashMap<>();
                            found.forEach(kv -> {
                                if (kv.hasValue()) {
                                    map.put(kv.getKey(), kv.getValue());
                                }
                            });
                            return map;
                        }),
                (asked, parts) -> {
                    Map<String, V> merged = new LinkedHashMap<>();
                    parts.forEach(merged::putAll);
                    Map<String, V> ordered = new LinkedHashMap<>();
                    asked.forEach(k -> {
                        if (merged.containsKey(k)) {
                            ordered.put(k, merged.get(k));
                        }
                    });
                    return ordered;
                }));
    }

    /**
     * {@code MSET key value ...}: sets every entry, atomically on one server; on a Redis Cluster one {@code MSET}
     * per hash slot, each atomic on its own. A write.
     */
    default Mono<Void> mset(Map<String, V> entries) {
        CommandRunner<V> r = runner();
        Checks.notNull(entries, "entries");
        Checks.isTrue(!entries.isEmpty(), () -> "mset needs at least one entry");
        entries.forEach((k, v) -> {
            Checks.notNull(k, "key");
            Checks.notNull(v, "value of " + k);
        });
        Map<String, V> copy = new LinkedHashMap<>(entries);
        return r.run(RedisCall.<V, Void>perSlot(new ArrayList<>(copy.keySet()),
                some -> {
                    CommandArgs<String, V> args = r.none();
                    some.forEach(k -> args.addKey(k).addValue(copy.get(k)));
                    return RedisCall.write("MSET", some.get(0), MSET, args, r.status(), CommandRunner.nothing());
                },
                (asked, parts) -> null));
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }
}
