package dev.reactivekit.io.internal;

import dev.reactivekit.io.http.PoolStats;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps the live metrics of each per-host pool that Reactor Netty creates, so a fetcher can report its pools
 * without Micrometer. Internal.
 */
public final class PoolMetrics implements ConnectionProvider.MeterRegistrar {

    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        pools.put(id + "@" + remoteAddress, metrics);
    }

    public PoolStats snapshot() {
        int acquired = 0;
        int idle = 0;
        int pending = 0;
        for (ConnectionPoolMetrics m : pools.values()) {
            acquired += m.acquiredSize();
            idle += m.idleSize();
            pending += m.pendingAcquireSize();
        }
        return new PoolStats(acquired, idle, pending, pools.size());
    }
}
