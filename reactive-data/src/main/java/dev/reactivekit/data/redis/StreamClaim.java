package dev.reactivekit.data.redis;

import java.util.List;

/**
 * One step of {@code XAUTOCLAIM} ({@link RedisStreamCommands#xautoclaim}): the entries claimed, and where the
 * next step starts ({@code "0-0"} once the whole pending list was scanned).
 *
 * @param next    the id to pass as {@code start} next time
 * @param entries the entries now held by the claiming consumer
 * @param <V>     the field value type
 */
public record StreamClaim<V>(String next, List<StreamEntry<V>> entries) {

    public StreamClaim {
        entries = List.copyOf(entries);
    }

    /** Whether the scan went through the whole pending list. */
    public boolean isComplete() {
        return "0-0".equals(next);
    }
}
