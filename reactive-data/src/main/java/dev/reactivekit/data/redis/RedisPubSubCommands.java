package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.PUBLISH;

import dev.reactivekit.core.internal.Checks;
import reactor.core.publisher.Mono;

/**
 * Publishing to pub/sub channels. Part of {@link RedisCommands}. (Subscribing holds a connection of its own and
 * streams messages for as long as it lasts: {@link RedisStore#subscribe}, {@link RedisStore#psubscribe}.)
 *
 * @param <V> the message type
 */
public sealed interface RedisPubSubCommands<V> permits RedisCommands {

    /** {@code PUBLISH channel message}: how many subscribers received it (on a cluster, those of one node). A write. */
    default Mono<Long> publish(String channel, V message) {
        CommandRunner<V> r = CommandRunner.of((RedisCommands<V>) this);
        Checks.notNull(channel, "channel");
        return r.write("PUBLISH", channel, PUBLISH, r.key(channel).addValue(Checks.notNull(message, "message")),
                r.integer(), CommandRunner.same());
    }
}
