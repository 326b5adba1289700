package dev.reactivekit.data.redis;

import java.util.Map;
import java.util.Set;

/**
 * A {@link RedisQueue} at one moment, read in one atomic step: {@code waiting} to be taken, {@code delayed}
 * (failed, waiting for their retry), {@code inProgress} held by each consumer (by consumer id; a consumer whose
 * heartbeat expired is not in {@code alive}, and its jobs go back to the queue at the next reap), {@code dead}
 * (parked after their last attempt), and {@code unfinished} (added and neither acknowledged nor dead).
 */
public record QueueStats(long waiting, long delayed, Map<String, Long> inProgress, Set<String> alive, long dead,
        long unfinished) {

    public QueueStats {
        inProgress = Map.copyOf(inProgress);
        alive = Set.copyOf(alive);
    }

    /** Jobs held by consumers, all together. */
    public long inProgressTotal() {
        return inProgress.values().stream().mapToLong(Long::longValue).sum();
    }
}
