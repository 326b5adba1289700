package dev.reactivekit.data.redis;

import dev.reactivekit.core.PoolStats;

/**
 * A snapshot of a {@link RedisStore}'s connections.
 *
 * @param connections    open connections (shared, blocking and pub/sub)
 * @param pendingReplies commands written to a connection whose reply has not arrived yet, over all
 *                       connections (a cancelled command stays here until its reply is read and dropped)
 * @param blocking       the dedicated connections for blocking commands and stream readers: running one now,
 *                       kept open for the next, callers waiting for one, and {@code maxBlockingConnections}
 */
public record RedisStats(int connections, int pendingReplies, PoolStats blocking) {
}
