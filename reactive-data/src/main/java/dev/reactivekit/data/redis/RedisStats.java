package dev.reactivekit.data.redis;

/**
 * A snapshot of a {@link RedisStore}'s connections.
 *
 * @param connections      open connections (shared, blocking and pub/sub)
 * @param pendingReplies   commands written to a connection whose reply has not arrived yet, over all
 *                         connections (a cancelled command stays here until its reply is read and dropped)
 * @param blockingInUse    dedicated connections running a blocking command or stream right now
 * @param blockingIdle     dedicated connections kept open for the next blocking command
 * @param blockingWaiting  callers waiting for a dedicated connection to be free
 */
public record RedisStats(int connections, int pendingReplies, int blockingInUse, int blockingIdle,
        int blockingWaiting) {
}
