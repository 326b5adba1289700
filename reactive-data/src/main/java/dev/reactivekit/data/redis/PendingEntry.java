package dev.reactivekit.data.redis;

import java.time.Duration;

/**
 * An entry delivered to a consumer of a group and not acknowledged yet, as {@code XPENDING} lists it
 * ({@link RedisStreamCommands#xpending(String, String, int)}).
 *
 * @param id         the entry id
 * @param consumer   the consumer holding it
 * @param idle       how long since it was last delivered
 * @param deliveries how many times it was delivered (claims count)
 */
public record PendingEntry(String id, String consumer, Duration idle, long deliveries) {
}
