package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.SADD;
import static io.lettuce.core.protocol.CommandType.SCARD;
import static io.lettuce.core.protocol.CommandType.SISMEMBER;
import static io.lettuce.core.protocol.CommandType.SMEMBERS;
import static io.lettuce.core.protocol.CommandType.SPOP;
import static io.lettuce.core.protocol.CommandType.SREM;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.output.ValueSetOutput;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Set commands. Part of {@link RedisCommands}.
 *
 * @param <V> the value type
 */
public sealed interface RedisSetCommands<V> permits RedisCommands {

    /** {@code SADD key member...}: how many members were added (members already there count 0). A write. */
    @SuppressWarnings("unchecked")
    default Mono<Long> sadd(String key, V... members) {
        CommandRunner<V> r = runner();
        return r.write("SADD", key, SADD, r.key(key).addValues(CommandRunner.checkValues("member", members)),
                r.integer(), CommandRunner.same());
    }

    /** {@code SREM key member...}: how many members were removed. A write. */
    @SuppressWarnings("unchecked")
    default Mono<Long> srem(String key, V... members) {
        CommandRunner<V> r = runner();
        return r.write("SREM", key, SREM, r.key(key).addValues(CommandRunner.checkValues("member", members)),
                r.integer(), CommandRunner.same());
    }

    /** {@code SISMEMBER key member}. A read. */
    default Mono<Boolean> sismember(String key, V member) {
        CommandRunner<V> r = runner();
        return r.read("SISMEMBER", key, SISMEMBER, r.key(key).addValue(Checks.notNull(member, "member")), r.bool(),
                CommandRunner.same());
    }

    /** {@code SMEMBERS key}: every member, in no particular order; an empty set when the key does not exist. A read. */
    default Mono<Set<V>> smembers(String key) {
        CommandRunner<V> r = runner();
        return r.read("SMEMBERS", key, SMEMBERS, r.key(key), () -> new ValueSetOutput<>(r.codec),
                (Set<V> members) -> members == null ? Set.<V>of() : Set.copyOf(members));
    }

    /** {@code SPOP key}: removes and emits a random member; empty when the set is empty. A write. */
    default Mono<V> spop(String key) {
        CommandRunner<V> r = runner();
        return r.write("SPOP", key, SPOP, r.key(key), r.value(), CommandRunner.same());
    }

    /** {@code SCARD key}: how many members, 0 when the key does not exist. A read. */
    default Mono<Long> scard(String key) {
        CommandRunner<V> r = runner();
        return r.read("SCARD", key, SCARD, r.key(key), r.integer(), CommandRunner.same());
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }
}
