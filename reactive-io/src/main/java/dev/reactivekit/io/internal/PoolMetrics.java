package dev.reactivekit.io.internal;

import dev.reactivekit.core.PoolStats;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps the live metrics of each per-host pool that Reactor Netty creates, so a fetcher can report its pools
 * without Micrometer; a pool disposed for inactivity is deregistered, so its metrics go with it. Internal.
 */
public final class PoolMetrics implements ConnectionProvider.MeterRegistrar {

    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        pools.put(id + "@" + remoteAddress, metrics);
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        pools.remove(id + "@" + remoteAddress);
    }


    /**
     * The pools' sums, with {@code waiting} more requests waiting for the fetcher's own limits, and {@code max}
     * the most connections there may be.
     */
    public PoolStats snapshot(int waiting, int max) {
        int acquired = 0;
        int idle = 0;
        int pending = waiting;
        for (ConnectionPoolMetrics m : pools.values()) {
            acquired += m.acquiredSize();
            idle += m.idleSize();
            pending += m.pendingAcquireSize();
        }
        return new PoolStats(acquired, idle, pending, max);
    }

    /** Hosts with a pool now. */
    public int pools() {
        return pools.size();
    }
}
