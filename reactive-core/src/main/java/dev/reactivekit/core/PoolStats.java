package dev.reactivekit.core;

/**
 * A snapshot of a pool of connections (or of any limited resource): the one shape every ReactiveKit client
 * reports, HTTP ({@code HttpFetcher.poolStats()}), SQL ({@code Database.poolStats()}) and Redis's dedicated
 * connections ({@code RedisStats.blocking()}).
 *
 * @param inUse   connections lent out now (to requests, statements, blocking commands in flight)
 * @param idle    open connections waiting in the pool for the next caller
 * @param waiting callers waiting for a connection
 * @param max     the most connections the pool may hold at once
 */
public record PoolStats(int inUse, int idle, int waiting, int max) {
}
