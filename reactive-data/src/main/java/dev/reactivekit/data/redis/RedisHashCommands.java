package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.HDEL;
import static io.lettuce.core.protocol.CommandType.HEXISTS;
import static io.lettuce.core.protocol.CommandType.HGET;
import static io.lettuce.core.protocol.CommandType.HGETALL;
import static io.lettuce.core.protocol.CommandType.HINCRBY;
import static io.lettuce.core.protocol.CommandType.HLEN;
import static io.lettuce.core.protocol.CommandType.HSET;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.output.MapOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Hash commands. Part of {@link RedisCommands}.
 *
 * @param <V> the value type
 */
public sealed interface RedisHashCommands<V> permits RedisCommands {

    /** {@code HSET key field value}: whether the field is new. A write. */
    default Mono<Boolean> hset(String key, String field, V value) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(key).addKey(Checks.notNull(field, "field"))
                .addValue(Checks.notNull(value, "value"));
        return r.write("HSET", key, HSET, args, r.integer(), (Long added) -> added > 0);
    }

    /** {@code HSET key field value ...} (redis.asyncio's {@code hset(key, mapping=...)}): how many fields are new. A write. */
    default Mono<Long> hset(String key, Map<String, V> fields) {
        CommandRunner<V> r = runner();
        Checks.notNull(fields, "fields");
        Checks.isTrue(!fields.isEmpty(), () -> "hset needs at least one field");
        CommandArgs<String, V> args = r.key(key);
        fields.forEach((field, value) -> args.addKey(Checks.notNull(field, "field"))
                .addValue(Checks.notNull(value, "value of field " + field)));
        return r.write("HSET", key, HSET, args, r.integer(), CommandRunner.same());
    }

    /** {@code HGET key field}; empty when the key or field does not exist. A read. */
    default Mono<V> hget(String key, String field) {
        CommandRunner<V> r = runner();
        return r.read("HGET", key, HGET, r.key(key).addKey(Checks.notNull(field, "field")), r.value(),
                CommandRunner.same());
    }

    /** {@code HGETALL key}: every field; an empty map when the key does not exist. A read. */
    default Mono<Map<String, V>> hgetall(String key) {
        CommandRunner<V> r = runner();
        return r.read("HGETALL", key, HGETALL, r.key(key), () -> new MapOutput<>(r.codec),
                (Map<String, V> map) -> map == null ? Map.<String, V>of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }

    /** {@code HDEL key field...}: how many fields were removed. A write. */
    default Mono<Long> hdel(String key, String... fields) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(key);
        CommandRunner.checkValues("field", fields).forEach(args::addKey);
        return r.write("HDEL", key, HDEL, args, r.integer(), CommandRunner.same());
    }

    /** {@code HEXISTS key field}. A read. */
    default Mono<Boolean> hexists(String key, String field) {
        CommandRunner<V> r = runner();
        return r.read("HEXISTS", key, HEXISTS, r.key(key).addKey(Checks.notNull(field, "field")), r.bool(),
                CommandRunner.same());
    }

    /** {@code HLEN key}: how many fields, 0 when the key does not exist. A read. */
    default Mono<Long> hlen(String key) {
        CommandRunner<V> r = runner();
        return r.read("HLEN", key, HLEN, r.key(key), r.integer(), CommandRunner.same());
    }

    /** {@code HINCRBY key field delta}: the field's new value (a missing field counts from 0). A write. */
    default Mono<Long> hincrby(String key, String field, long delta) {
        CommandRunner<V> r = runner();
        return r.write("HINCRBY", key, HINCRBY, r.key(key).addKey(Checks.notNull(field, "field")).add(delta),
                r.integer(), CommandRunner.same());
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }
}
