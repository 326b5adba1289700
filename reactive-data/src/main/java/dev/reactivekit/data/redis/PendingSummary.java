package dev.reactivekit.data.redis;

import java.util.Map;

/**
 * What a consumer group has delivered and not had acknowledged, as {@code XPENDING stream group} sums it up
 * ({@link RedisStreamCommands#xpending(String, String)}).
 *
 * @param count     entries pending in all
 * @param lowestId  the smallest pending id, {@code null} when none is pending
 * @param highestId the largest pending id, {@code null} when none is pending
 * @param consumers pending entries per consumer
 */
public record PendingSummary(long count, String lowestId, String highestId, Map<String, Long> consumers) {

    public PendingSummary {
        consumers = Map.copyOf(consumers);
    }
}
