package dev.reactivekit.data.redis;

import java.time.Instant;

/**
 * What a pub/sub subscription emits: a {@link Message}, or a {@link Gap} when the connection dropped and was
 * re-established, so messages published meanwhile were missed (Redis pub/sub keeps nothing for absent
 * subscribers). Use Redis Streams ({@link RedisStore#readGroup}) when nothing may be missed.
 *
 * <pre>{@code
 * redis.subscribe("news").subscribe(event -> {
 *     if (event instanceof PubSubEvent.Message<String> m) handle(m.channel(), m.payload());
 *     else if (event instanceof PubSubEvent.Gap<String> g) resync(g.channel());
 * });
 * }</pre>
 *
 * @param <V> the payload type
 */
public sealed interface PubSubEvent<V> permits PubSubEvent.Message, PubSubEvent.Gap {

    /**
     * A published message.
     *
     * @param channel the channel it was published to
     * @param pattern the pattern that matched it, or {@code null} for a plain {@code SUBSCRIBE}
     * @param payload the payload
     */
    record Message<V>(String channel, String pattern, V payload) implements PubSubEvent<V> {
    }

    /**
     * The subscription to {@code channel} (a channel or a pattern) was re-established after the connection
     * dropped, at {@code resumedAt}; messages published while it was down are lost.
     */
    record Gap<V>(String channel, Instant resumedAt) implements PubSubEvent<V> {
    }
}
