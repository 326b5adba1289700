package dev.reactivekit.data.sql;

/**
 * A snapshot of a {@link Database}'s pool.
 *
 * @param acquired connections lent out right now
 * @param idle     connections open and free
 * @param pending  callers waiting for a connection
 * @param maxSize  the pool's bound
 */
public record SqlPoolStats(int acquired, int idle, int pending, int maxSize) {
}
