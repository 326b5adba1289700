package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.LINDEX;
import static io.lettuce.core.protocol.CommandType.LLEN;
import static io.lettuce.core.protocol.CommandType.LMOVE;
import static io.lettuce.core.protocol.CommandType.LPOP;
import static io.lettuce.core.protocol.CommandType.LPUSH;
import static io.lettuce.core.protocol.CommandType.LRANGE;
import static io.lettuce.core.protocol.CommandType.LREM;
import static io.lettuce.core.protocol.CommandType.LTRIM;
import static io.lettuce.core.protocol.CommandType.RPOP;
import static io.lettuce.core.protocol.CommandType.RPUSH;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * List commands. Part of {@link RedisCommands}. (The blocking ones, which hold a connection while they wait, are
 * the store's alone: {@link RedisStore#brpop}, {@link RedisStore#blmove}.)
 *
 * @param <V> the value type
 */
public sealed interface RedisListCommands<V> permits RedisCommands {

    /** {@code LPUSH key value...}: the list's new length. A write. */
    @SuppressWarnings("unchecked")
    default Mono<Long> lpush(String key, V... values) {
        CommandRunner<V> r = runner();
        return r.write("LPUSH", key, LPUSH, r.key(key).addValues(CommandRunner.checkValues("value", values)),
                r.integer(), CommandRunner.same());
    }

    /** {@code RPUSH key value...}: the list's new length. A write. */
    @SuppressWarnings("unchecked")
    default Mono<Long> rpush(String key, V... values) {
        CommandRunner<V> r = runner();
        return r.write("RPUSH", key, RPUSH, r.key(key).addValues(CommandRunner.checkValues("value", values)),
                r.integer(), CommandRunner.same());
    }

    /** {@code LPOP key}: the first element; empty when the list is empty. A write. */
    default Mono<V> lpop(String key) {
        CommandRunner<V> r = runner();
        return r.write("LPOP", key, LPOP, r.key(key), r.value(), CommandRunner.same());
    }

    /** {@code RPOP key}: the last element; empty when the list is empty. A write. */
    default Mono<V> rpop(String key) {
        CommandRunner<V> r = runner();
        return r.write("RPOP", key, RPOP, r.key(key), r.value(), CommandRunner.same());
    }

    /**
     * {@code LMOVE source destination RIGHT LEFT}: moves the last element of {@code source} to the head of
     * {@code destination} and emits it; empty when {@code source} is empty. A write.
     */
    default Mono<V> lmove(String source, String destination) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(source).addKey(Checks.notNull(destination, "destination"))
                .add(CommandKeyword.RIGHT).add(CommandKeyword.LEFT);
        return r.write("LMOVE", source, LMOVE, args, r.value(), CommandRunner.same());
    }

    /**
     * {@code LRANGE key start stop}: the elements from {@code start} to {@code stop}, both included (negative
     * counts from the end: {@code lrange(key, 0, -1)} is the whole list); an empty list when the key does not
     * exist. A read.
     */
    default Mono<List<V>> lrange(String key, long start, long stop) {
        CommandRunner<V> r = runner();
        return r.read("LRANGE", key, LRANGE, r.key(key).add(start).add(stop), () -> new ValueListOutput<>(r.codec),
                (List<V> values) -> values == null ? List.<V>of() : List.copyOf(values));
    }

    /** {@code LINDEX key index}: the element at {@code index} (negative counts from the end); empty if none. A read. */
    default Mono<V> lindex(String key, long index) {
        CommandRunner<V> r = runner();
        return r.read("LINDEX", key, LINDEX, r.key(key).add(index), r.value(), CommandRunner.same());
    }

    /** {@code LLEN key}: the list's length, 0 when the key does not exist. A read. */
    default Mono<Long> llen(String key) {
        CommandRunner<V> r = runner();
        return r.read("LLEN", key, LLEN, r.key(key), r.integer(), CommandRunner.same());
    }

    /**
     * {@code LTRIM key start stop}: keeps only the elements from {@code start} to {@code stop} ({@code ltrim(key,
     * 0, 49)} after each {@code LPUSH} keeps the newest 50). A write.
     */
    default Mono<Void> ltrim(String key, long start, long stop) {
        CommandRunner<V> r = runner();
        return r.write("LTRIM", key, LTRIM, r.key(key).add(start).add(stop), r.status(), CommandRunner.nothing());
    }

    /**
     * {@code LREM key count value}: removes up to {@code count} elements equal to {@code value}, from the head
     * ({@code count > 0}), the tail ({@code < 0}), or all of them ({@code 0}); emits how many. A write.
     */
    default Mono<Long> lrem(String key, long count, V value) {
        CommandRunner<V> r = runner();
        return r.write("LREM", key, LREM, r.key(key).add(count).addValue(Checks.notNull(value, "value")),
                r.integer(), CommandRunner.same());
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }
}
