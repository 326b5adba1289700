package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.ZADD;
import static io.lettuce.core.protocol.CommandType.ZCARD;
import static io.lettuce.core.protocol.CommandType.ZCOUNT;
import static io.lettuce.core.protocol.CommandType.ZINCRBY;
import static io.lettuce.core.protocol.CommandType.ZPOPMIN;
import static io.lettuce.core.protocol.CommandType.ZRANGE;
import static io.lettuce.core.protocol.CommandType.ZRANGEBYSCORE;
import static io.lettuce.core.protocol.CommandType.ZRANK;
import static io.lettuce.core.protocol.CommandType.ZREM;
import static io.lettuce.core.protocol.CommandType.ZREMRANGEBYSCORE;
import static io.lettuce.core.protocol.CommandType.ZSCORE;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.output.ScoredValueListOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Sorted set commands: members ordered by a score (a crawler's frontier by priority, a leaderboard, a delay
 * queue by due time). Part of {@link RedisCommands}. Score bounds are inclusive; {@code
 * Double.NEGATIVE_INFINITY} and {@code Double.POSITIVE_INFINITY} are Redis's {@code -inf} and {@code +inf}.
 *
 * @param <V> the value type
 */
public sealed interface RedisSortedSetCommands<V> permits RedisCommands {

    /** {@code ZADD key score member}: whether the member is new (an existing one gets the new score). A write. */
    default Mono<Boolean> zadd(String key, double score, V member) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.key(key).add(checkScore(score)).addValue(Checks.notNull(member, "member"));
        return r.write("ZADD", key, ZADD, args, r.integer(), (Long added) -> added > 0);
    }

    /** {@code ZADD key score member ...}: how many members are new. A write. */
    default Mono<Long> zadd(String key, Map<V, Double> scores) {
        CommandRunner<V> r = runner();
        Checks.notNull(scores, "scores");
        Checks.isTrue(!scores.isEmpty(), () -> "zadd needs at least one member");
        CommandArgs<String, V> args = r.key(key);
        scores.forEach((member, score) -> args.add(checkScore(Checks.notNull(score, "score")))
                .addValue(Checks.notNull(member, "member")));
        return r.write("ZADD", key, ZADD, args, r.integer(), CommandRunner.same());
    }

    /** {@code ZINCRBY key delta member}: the member's new score (a missing member counts from 0). A write. */
    default Mono<Double> zincrby(String key, double delta, V member) {
        CommandRunner<V> r = runner();
        return r.write("ZINCRBY", key, ZINCRBY, r.key(key).add(checkScore(delta)).addValue(Checks.notNull(member,
                "member")), r.number(), CommandRunner.same());
    }

    /** {@code ZSCORE key member}: the member's score; empty when it is not in the set. A read. */
    default Mono<Double> zscore(String key, V member) {
        CommandRunner<V> r = runner();
        return r.read("ZSCORE", key, ZSCORE, r.key(key).addValue(Checks.notNull(member, "member")), r.number(),
                CommandRunner.same());
    }

    /** {@code ZRANK key member}: the member's 0-based rank by ascending score; empty when it is not in the set. A read. */
    default Mono<Long> zrank(String key, V member) {
        CommandRunner<V> r = runner();
        return r.read("ZRANK", key, ZRANK, r.key(key).addValue(Checks.notNull(member, "member")), r.integer(),
                CommandRunner.same());
    }

    /** {@code ZREM key member...}: how many members were removed. A write. */
    @SuppressWarnings("unchecked")
    default Mono<Long> zrem(String key, V... members) {
        CommandRunner<V> r = runner();
        return r.write("ZREM", key, ZREM, r.key(key).addValues(CommandRunner.checkValues("member", members)),
                r.integer(), CommandRunner.same());
    }

    /** {@code ZCARD key}: how many members, 0 when the key does not exist. A read. */
    default Mono<Long> zcard(String key) {
        CommandRunner<V> r = runner();
        return r.read("ZCARD", key, ZCARD, r.key(key), r.integer(), CommandRunner.same());
    }

    /** {@code ZCOUNT key min max}: how many members score between {@code min} and {@code max}. A read. */
    default Mono<Long> zcount(String key, double min, double max) {
        CommandRunner<V> r = runner();
        return r.read("ZCOUNT", key, ZCOUNT, r.key(key).add(bound(min)).add(bound(max)), r.integer(),
                CommandRunner.same());
    }

    /**
     * {@code ZRANGE key start stop}: the members ranked {@code start} to {@code stop} (both included, by ascending
     * score; negative counts from the end); an empty list when the key does not exist. A read.
     */
    default Mono<List<V>> zrange(String key, long start, long stop) {
        CommandRunner<V> r = runner();
        return r.read("ZRANGE", key, ZRANGE, r.key(key).add(start).add(stop), () -> new ValueListOutput<>(r.codec),
                (List<V> values) -> values == null ? List.<V>of() : List.copyOf(values));
    }

    /** {@code ZRANGE key start stop WITHSCORES}: as {@link #zrange}, with the scores. A read. */
    default Mono<List<ScoredMember<V>>> zrangeWithScores(String key, long start, long stop) {
        CommandRunner<V> r = runner();
        return r.read("ZRANGE", key, ZRANGE, r.key(key).add(start).add(stop).add(CommandKeyword.WITHSCORES),
                () -> new ScoredValueListOutput<>(r.codec), (List<ScoredValue<V>> values) -> scored(values));
    }

    /**
     * {@code ZRANGEBYSCORE key min max LIMIT offset count}: up to {@code count} members scoring between {@code min}
     * and {@code max}, by ascending score, skipping the first {@code offset}. A read.
     */
    default Mono<List<V>> zrangeByScore(String key, double min, double max, long offset, long count) {
        CommandRunner<V> r = runner();
        Checks.isTrue(offset >= 0, () -> "`offset` must be >= 0: " + offset);
        Checks.positive(count, "count");
        CommandArgs<String, V> args = r.key(key).add(bound(min)).add(bound(max)).add(CommandKeyword.LIMIT)
                .add(offset).add(count);
        return r.read("ZRANGEBYSCORE", key, ZRANGEBYSCORE, args, () -> new ValueListOutput<>(r.codec),
                (List<V> values) -> values == null ? List.<V>of() : List.copyOf(values));
    }

    /**
     * {@code ZPOPMIN key count}: removes and emits up to {@code count} members with the lowest scores, lowest
     * first; an empty list when the set is empty. A write.
     */
    default Mono<List<ScoredMember<V>>> zpopmin(String key, long count) {
        CommandRunner<V> r = runner();
        Checks.positive(count, "count");
        return r.write("ZPOPMIN", key, ZPOPMIN, r.key(key).add(count), () -> new ScoredValueListOutput<>(r.codec),
                (List<ScoredValue<V>> values) -> scored(values));
    }

    /** {@code ZREMRANGEBYSCORE key min max}: removes the members scoring between the bounds; emits how many. A write. */
    default Mono<Long> zremRangeByScore(String key, double min, double max) {
        CommandRunner<V> r = runner();
        return r.write("ZREMRANGEBYSCORE", key, ZREMRANGEBYSCORE, r.key(key).add(bound(min)).add(bound(max)),
                r.integer(), CommandRunner.same());
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }

    private static double checkScore(double score) {
        Checks.isTrue(!Double.isNaN(score), () -> "a score cannot be NaN");
        return score;
    }

    private static String bound(double score) {
        checkScore(score);
        return score == Double.NEGATIVE_INFINITY ? "-inf" : score == Double.POSITIVE_INFINITY ? "+inf"
                : Double.toString(score);
    }

    private static <V> List<ScoredMember<V>> scored(List<ScoredValue<V>> values) {
        return values == null ? List.of()
                : values.stream().map(v -> new ScoredMember<>(v.getValue(), v.getScore())).toList();
    }
}
