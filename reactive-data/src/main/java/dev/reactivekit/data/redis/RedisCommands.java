package dev.reactivekit.data.redis;

/**
 * Every Redis command that answers with one reply, in groups as Lettuce has them: {@link RedisStringCommands
 * strings}, {@link RedisKeyCommands keys}, {@link RedisHashCommands hashes}, {@link RedisListCommands lists},
 * {@link RedisSetCommands sets}, {@link RedisSortedSetCommands sorted sets}, {@link RedisScriptingCommands
 * scripting}, {@link RedisStreamCommands streams} and {@link RedisPubSubCommands publishing}. The same set, with
 * the same signatures, runs two ways:
 * <ul>
 *   <li>on a {@link RedisStore}: each command is sent when its {@code Mono} is subscribed, again at each
 *       subscription, under the store's policy (reads may be retried, writes never);</li>
 *   <li>in a {@link RedisBatch} ({@link RedisStore#pipeline}, {@link RedisStore#multi}, {@link RedisStore#watch}):
 *       each command is added when its method is called, and its {@code Mono} emits the command's result once the
 *       batch has been sent and answered.</li>
 * </ul>
 * Conventions, in every group: method names are the Redis command's, lower case ({@code hgetall},
 * {@code zrangeByScore} where Redis has one word for several); the key comes first, then what the command
 * needs, a timeout or count last; one reply is one {@code Mono}: a value, empty when Redis answered nil (a
 * missing key or field), a collection (empty, never absent, for a missing key), a count ({@code Long}), a
 * yes/no ({@code Boolean}), or {@code Void} when Redis answers only {@code OK}. Arguments are checked when the
 * method is called ({@code IllegalArgumentException} naming the argument); errors from the server or the
 * connection arrive in the {@code Mono}, typed as {@link RedisStore} lists them.
 * <p>
 * Commands that stream many replies or hold a connection while they wait are the store's alone: {@code SCAN},
 * the blocking list commands, consumer-group reading loops, subscriptions.
 *
 * @param <V> the value type: {@code String} or {@code byte[]}
 */
public sealed interface RedisCommands<V> extends RedisStringCommands<V>, RedisKeyCommands<V>, RedisHashCommands<V>,
        RedisListCommands<V>, RedisSetCommands<V>, RedisSortedSetCommands<V>, RedisScriptingCommands<V>,
        RedisStreamCommands<V>, RedisPubSubCommands<V> permits RedisStore, RedisBatch {
}
