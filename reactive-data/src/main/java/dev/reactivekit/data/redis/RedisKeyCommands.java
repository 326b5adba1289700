package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.DEL;
import static io.lettuce.core.protocol.CommandType.EXISTS;
import static io.lettuce.core.protocol.CommandType.PERSIST;
import static io.lettuce.core.protocol.CommandType.PEXPIRE;
import static io.lettuce.core.protocol.CommandType.PTTL;
import static io.lettuce.core.protocol.CommandType.TYPE;
import static io.lettuce.core.protocol.CommandType.UNLINK;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Key commands: deleting, expiring, inspecting. Part of {@link RedisCommands}. (Iterating over keys,
 * {@code SCAN}, streams many replies and is the store's alone: {@link RedisStore#scan}.)
 *
 * @param <V> the value type
 */
public sealed interface RedisKeyCommands<V> permits RedisCommands {

    /** {@code DEL key...}: how many of the keys existed. On a Redis Cluster, one {@code DEL} per hash slot. A write. */
    default Mono<Long> del(String... keys) {
        return counted("DEL", DEL, CommandRunner.checkKeys(keys), false);
    }

    /** {@code UNLINK key...}: as {@link #del}, the memory reclaimed in the background. A write. */
    default Mono<Long> unlink(String... keys) {
        return counted("UNLINK", UNLINK, CommandRunner.checkKeys(keys), false);
    }

    /** {@code EXISTS key...}: how many of the keys exist (a key named twice counts twice). A read. */
    default Mono<Long> exists(String... keys) {
        return counted("EXISTS", EXISTS, CommandRunner.checkKeys(keys), true);
    }

    /** {@code PEXPIRE key ttl}: whether the key exists (and now expires after {@code ttl}). A write. */
    default Mono<Boolean> expire(String key, Duration ttl) {
        CommandRunner<V> r = runner();
        Checks.positive(ttl, "ttl");
        Checks.isTrue(ttl.toMillis() > 0, () -> "ttl must be at least 1 ms, was " + ttl);
        return r.write("PEXPIRE", key, PEXPIRE, r.key(key).add(ttl.toMillis()), r.bool(), CommandRunner.same());
    }

    /** {@code PERSIST key}: whether an expiry was removed. A write. */
    default Mono<Boolean> persist(String key) {
        CommandRunner<V> r = runner();
        return r.write("PERSIST", key, PERSIST, r.key(key), r.bool(), CommandRunner.same());
    }

    /**
     * {@code PTTL key}: the time left before the key expires, {@code Optional.empty()} when it never expires,
     * and an empty {@code Mono} when the key does not exist. A read.
     */
    default Mono<Optional<Duration>> ttl(String key) {
        CommandRunner<V> r = runner();
        return r.read("PTTL", key, PTTL, r.key(key), r.integer(), (Long ms) -> ms == null || ms == -2 ? null
                : ms == -1 ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(ms)));
    }

    /** {@code TYPE key}: {@code "string"}, {@code "list"}, {@code "hash"}, ... or {@code "none"}. A read. */
    default Mono<String> type(String key) {
        CommandRunner<V> r = runner();
        return r.read("TYPE", key, TYPE, r.key(key), r.status(), CommandRunner.same());
    }

    private Mono<Long> counted(String name, CommandType type, List<String> keys,
            boolean read) {
        CommandRunner<V> r = runner();
        return r.run(RedisCall.<V, Long>perSlot(keys,
                some -> read ? RedisCall.read(name, some.get(0), type, r.keys(some), r.integer(), CommandRunner.same())
                        : RedisCall.write(name, some.get(0), type, r.keys(some), r.integer(), CommandRunner.same()),
                (asked, parts) -> parts.stream().mapToLong(Long::longValue).sum()));
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }
}
