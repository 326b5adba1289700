package dev.reactivekit.io.http;

/**
 * A snapshot of a fetcher's connection pools, summed over every host.
 *
 * @param acquired connections lent to requests in flight
 * @param idle     open connections waiting in the pool
 * @param pending  requests waiting for a connection
 * @param pools    hosts with a pool
 */
public record PoolStats(int acquired, int idle, int pending, int pools) {
}
