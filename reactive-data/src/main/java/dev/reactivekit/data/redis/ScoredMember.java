package dev.reactivekit.data.redis;

/**
 * A member of a sorted set with its score, as {@link RedisSortedSetCommands#zrangeWithScores} and
 * {@link RedisSortedSetCommands#zpopmin} emit it.
 *
 * @param member the member
 * @param score  its score
 * @param <V>    the value type
 */
public record ScoredMember<V>(V member, double score) {
}
